"""``buhta --help`` and ``buhta export --help`` in Russian, argparse's own words too (issue 12)."""

from __future__ import annotations

import pytest

from client.i18n import set_locale
from tui.__main__ import parse


@pytest.fixture(autouse=True)
def _restore():
    yield
    set_locale("ru")


def help_of(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        parse([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_export_help_is_russian(capsys):
    set_locale("ru")
    text = help_of(capsys, "export")
    assert text.startswith("использование: buhta export")
    assert "параметры:" in text
    assert "показать эту справку и выйти" in text
    assert "журнал в этот файл" in text
    for english in ("usage:", "options:", "show this help", "the organisation", "journal dialect"):
        assert english not in text, english
    assert "команды:" in help_of(capsys)  # the subcommands' section of buhta --help


def test_a_wrong_flag_is_refused_in_russian(capsys):
    set_locale("ru")
    with pytest.raises(SystemExit) as done:
        parse(["export", "--format", "csv"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "buhta export: ошибка: параметр --format: недопустимое значение" in err
    assert "error" not in err and "invalid choice" not in err


def test_english_stays_english(capsys):
    set_locale("en")
    text = help_of(capsys, "export")
    assert text.startswith("usage: buhta export")
    assert "show this help message and exit" in text


def test_the_lang_flag_picks_the_helps_language(capsys):
    set_locale("ru")
    assert help_of(capsys, "--lang", "en", "export").startswith("usage: buhta export")
    assert help_of(capsys, "--lang=ru", "export").startswith("использование: buhta export")
