"""Provides the newsletter's topics and its consent texts, as data.

A consent text is versioned: ``CONSENT_VERSION`` names the text in force, ``v1/ru`` one
language of it. A changed wording is a new version (``v2``), never an edit of ``v1``: a
consent already given names the version and keeps the text it was given for, so what was
shown can always be proved (38-ФЗ «О рекламе», ст. 18 ч. 1).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.contract import newsletter as nl


@dataclass(frozen=True)
class TopicInfo:
    title: dict[str, str]
    description: dict[str, str]


TOPICS: dict[nl.Topic, TopicInfo] = {
    "service_news": TopicInfo(
        {"ru": "Новости сервиса", "en": "Service news"},
        {"ru": "Новые возможности Бухты и изменения в её работе",
         "en": "What is new in Buhta and changes to the service"},
    ),
    "law_changes": TopicInfo(
        {"ru": "Изменения в законах", "en": "Changes in the law"},
        {"ru": "Новые налоги, ставки, формы и сроки отчётности",
         "en": "New taxes, rates, forms and filing deadlines"},
    ),
    "tips": TopicInfo(
        {"ru": "Советы", "en": "Tips"},
        {"ru": "Как вести учёт быстрее и без ошибок",
         "en": "How to keep the books faster and without mistakes"},
    ),
}

CONSENT_VERSION = "v2"
"""v2 (2026-12): the way back to the subscription in the app named as the app has it
(v1 said «Аккаунт → Рассылки», a path the app never had)."""

CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "v1": {
        "ru": (
            "Я даю согласие получать на адрес {email} рассылку сервиса «Бухта» "
            "по теме «{title}»: письма с новостями и рекламой сервиса, не чаще одного "
            "раза в неделю. Согласие можно отозвать в любой момент: в приложении "
            "(Аккаунт → Рассылки) или по ссылке «Отписаться» в каждом письме."
        ),
        "en": (
            "I agree to receive the newsletter of the Buhta service on «{title}» at "
            "{email}: news and advertising of the service, at most once a week. I can "
            "withdraw this consent at any time: in the app (Account → Newsletter) or by "
            "the «Unsubscribe» link in every issue."
        ),
    },
    "v2": {
        "ru": (
            "Я даю согласие получать на адрес {email} рассылку сервиса «Бухта» "
            "по теме «{title}»: письма с новостями и рекламой сервиса, не чаще одного "
            "раза в неделю. Согласие можно отозвать в любой момент: в приложении "
            "(Уведомления, клавиша u → Рассылка, клавиша l) или по ссылке «Отписаться» "
            "в каждом письме."
        ),
        "en": (
            "I agree to receive the newsletter of the Buhta service on «{title}» at "
            "{email}: news and advertising of the service, at most once a week. I can "
            "withdraw this consent at any time: in the app (Notifications, key u → "
            "Newsletter, key l) or by the «Unsubscribe» link in every issue."
        ),
    },
}


def lang_of(lang: str) -> str:
    return lang if lang in ("ru", "en") else "ru"


def title(topic: str, lang: str) -> str:
    return TOPICS[topic].title[lang_of(lang)]  # type: ignore[index]


def description(topic: str, lang: str) -> str:
    return TOPICS[topic].description[lang_of(lang)]  # type: ignore[index]


@dataclass(frozen=True)
class ConsentText:
    id: str
    text: str
    sha256: str


def consent_text(topic: str, email: str, lang: str, version: str = CONSENT_VERSION
                 ) -> ConsentText:
    """The text shown before subscribing ``email`` to ``topic``, as the caller reads it."""
    lang = lang_of(lang)
    text = CONSENT_TEXTS[version][lang].format(email=email, title=title(topic, lang))
    return ConsentText(f"{version}/{lang}", text, hashlib.sha256(text.encode()).hexdigest())


def shown_text(text_id: str, topic: str, email: str) -> ConsentText | None:
    """The text a client says it showed (``v1/ru``), if that is a text in force."""
    version, _, lang = text_id.partition("/")
    if version != CONSENT_VERSION or lang not in CONSENT_TEXTS[version]:
        return None
    return consent_text(topic, email, lang, version)
