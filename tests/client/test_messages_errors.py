"""OS and pydantic refusals in the interface's language, not English (issue 12)."""

from __future__ import annotations

import errno
from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from client.errors import os_error_text, pydantic_text
from client.i18n import set_locale
from core import contract as m
from tui.errors import field_of


@pytest.fixture(autouse=True)
def _russian():
    set_locale("ru")
    yield
    set_locale("ru")


def test_os_errors_by_errno(tmp_path):
    try:
        (tmp_path / "нет" / "файл.txt").read_bytes()
    except OSError as exc:
        assert exc.strerror == "No such file or directory"
        assert os_error_text(exc) == "нет такого файла или папки"
    assert os_error_text(PermissionError(errno.EACCES, "Permission denied")) == \
        "нет прав доступа"
    assert os_error_text(IsADirectoryError(errno.EISDIR, "Is a directory")) == \
        "это папка, а не файл"
    assert os_error_text(OSError(errno.ENOSPC, "No space left on device")) == \
        "на диске нет места"
    assert os_error_text(OSError(errno.ECHILD, "No child processes")) == \
        "ошибка файловой системы (ECHILD)"
    assert os_error_text(OSError("no errno")) == "ошибка файловой системы"
    set_locale("en")
    assert os_error_text(FileNotFoundError(errno.ENOENT, "x")) == "no such file or directory"


class Sample(BaseModel):
    address: Annotated[str, Field(min_length=1, max_length=500)]
    count: int = 0
    share: Annotated[int, Field(ge=0, le=100)] = 0
    items: Annotated[list[int], Field(max_length=2)] = []


def first_error(**values) -> dict:
    with pytest.raises(ValidationError) as caught:
        Sample(**values)
    return caught.value.errors()[0]


def test_pydantic_errors_by_type_and_limit():
    assert pydantic_text(first_error(address="д" * 501)) == "не длиннее 500 символов"
    assert pydantic_text(first_error(address="")) == "Заполните поле"
    assert pydantic_text(first_error(address="a", count="пять")) == "нужно целое число"
    assert pydantic_text(first_error(address="a", share=101)) == "должно быть не больше 100"
    assert pydantic_text(first_error(address="a", share=-1)) == "должно быть не меньше 0"
    assert pydantic_text(first_error(address="a", items=[1, 2, 3])) == \
        "не больше 2 элементов"
    assert pydantic_text({"type": "string_too_long", "ctx": {"max_length": 21}}) == \
        "не длиннее 21 символа"
    assert pydantic_text({"type": "something_new"}) == "неверное значение"
    set_locale("en")
    assert pydantic_text(first_error(address="д" * 501)) == "at most 500 characters"


def test_a_wire_models_refusal_is_russian():
    org = {
        "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
        "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
        "address": "г. Москва, " + "д" * 600, "director": "Иванов И. И.",
        "tax_regime": "usn_income",
    }
    with pytest.raises(ValidationError) as caught:
        m.OrgIn.model_validate(org)
    loc, text = field_of(caught.value)
    assert loc == ["address"]
    assert text == "не длиннее 500 символов"  # was «String should have at most 500 characters»
