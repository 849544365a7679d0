"""A name that carries its own quotes is not quoted a second time by the text around it."""

from __future__ import annotations

from client.i18n import t


def test_a_quoted_name_is_not_quoted_twice():
    # The catalogue says «Контрагент «{name}» сохранён».
    assert t("counterparties.saved", lang="ru", name="ООО «Покупатель»") == \
        "Контрагент ООО «Покупатель» сохранён"
    assert t("counterparties.saved", lang="ru", name="Покупатель") == \
        "Контрагент «Покупатель» сохранён"


def test_english_quotes_too():
    text = t("counterparties.saved", lang="en", name="LLC “Buyer”")
    assert "““" not in text and "””" not in text and "LLC “Buyer”" in text


def test_a_lone_quote_mark_is_not_a_quoted_name():
    # An unclosed quote in a journal query is a fragment the user typed, not a name in
    # quotes: the text still sets it off, «Запрос не понят: «desc:"не закрыта» …».
    assert t("counterparties.saved", lang="ru", name='desc:"не закрыта') == \
        'Контрагент «desc:"не закрыта» сохранён'
    assert t("counterparties.saved", lang="ru", name='ООО "Покупатель"') == \
        'Контрагент ООО "Покупатель" сохранён'
