"""Provides the typed errors the client layer raises; screens never see httpx."""

from __future__ import annotations

from client.i18n import t


class ApiError(Exception):
    """A refusal or failure, with the server's stable ``code`` and a human ``detail``."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        retry_after: int | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.retry_after = retry_after
        self.errors = errors or []

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {self.code!r})"


class NetworkError(ApiError):
    """The server could not be reached after the retries."""

    def __init__(self, cause: str = "") -> None:
        super().__init__(0, "network.unavailable", t("error.network.unavailable"))
        self.cause = cause


class AuthError(ApiError):
    """401: not signed in, the access expired and could not be renewed."""


class SessionRevoked(AuthError):
    """401 for a revoked or expired device; the local credentials are already dropped."""


class Forbidden(ApiError):
    """403."""


class NotFound(ApiError):
    """404."""


class Conflict(ApiError):
    """409."""


class ValidationFailed(ApiError):
    """400/422: the request was refused for its content."""


class RateLimited(ApiError):
    """429: wait ``retry_after`` seconds."""


class ServerError(ApiError):
    """5xx, or a response that could not be read."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: ValidationFailed,
    401: AuthError,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: ValidationFailed,
    429: RateLimited,
}


def error_class(status: int) -> type[ApiError]:
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ApiError)


# --- the words of refusals that do not come from the server -------------------------

_OS_ERRORS = {
    "ENOENT": "oserror.not_found", "EACCES": "oserror.denied", "EPERM": "oserror.denied",
    "EISDIR": "oserror.is_dir", "ENOTDIR": "oserror.not_dir", "ENOSPC": "oserror.no_space",
    "EDQUOT": "oserror.no_space", "EROFS": "oserror.read_only", "EEXIST": "oserror.exists",
    "ENAMETOOLONG": "oserror.name_too_long", "EBUSY": "oserror.busy",
    "ETXTBSY": "oserror.busy", "EIO": "oserror.io", "EMFILE": "oserror.too_many",
    "ENFILE": "oserror.too_many", "ELOOP": "oserror.loop", "EINVAL": "oserror.invalid",
    "EFBIG": "oserror.too_big", "EXDEV": "oserror.other_disk",
}


def os_error_text(error: OSError) -> str:
    """Why a file could not be read or written, in the interface's language, by errno:
    ``FileNotFoundError`` → «нет такого файла или папки» (not «No such file or directory»)."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    key = _OS_ERRORS.get(name)
    if key is not None:
        return t(key)
    if error.errno:
        return t("oserror.code", code=name or error.errno)
    return t("oserror.unknown")


# pydantic error type → catalogue key; a plural key takes the count from ``ctx``.
_PYDANTIC = {
    "missing": "validation.required",
    "string_type": "pyd.text", "string_pattern_mismatch": "pyd.pattern",
    "string_unicode": "pyd.text",
    "int_type": "pyd.integer", "int_parsing": "pyd.integer", "int_from_float": "pyd.integer",
    "float_type": "pyd.number", "float_parsing": "pyd.number",
    "decimal_type": "pyd.number", "decimal_parsing": "pyd.number",
    "decimal_max_places": "pyd.max_places", "decimal_max_digits": "pyd.max_digits",
    "decimal_whole_digits": "pyd.whole_digits", "finite_number": "pyd.number",
    "greater_than": "pyd.gt", "greater_than_equal": "pyd.ge",
    "less_than": "pyd.lt", "less_than_equal": "pyd.le",
    "bool_type": "pyd.bool", "bool_parsing": "pyd.bool",
    "date_type": "pyd.date", "date_parsing": "pyd.date", "date_from_datetime_parsing":
    "pyd.date", "date_from_datetime_inexact": "pyd.date",
    "datetime_type": "pyd.datetime", "datetime_parsing": "pyd.datetime",
    "datetime_from_date_parsing": "pyd.datetime",
    "literal_error": "pyd.one_of", "enum": "pyd.one_of",
    "uuid_type": "pyd.uuid", "uuid_parsing": "pyd.uuid",
    "extra_forbidden": "pyd.extra", "list_type": "pyd.list", "dict_type": "pyd.object",
    "model_type": "pyd.object", "model_attributes_type": "pyd.object",
    "json_invalid": "pyd.json", "url_parsing": "pyd.url", "url_type": "pyd.url",
}
_PYDANTIC_PLURAL = {
    "string_too_long": ("pyd.string_too_long", "max_length"),
    "string_too_short": ("pyd.string_too_short", "min_length"),
    "too_long": ("pyd.too_long", "max_length"),
    "too_short": ("pyd.too_short", "min_length"),
}
_BOUND = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt",
          "less_than_equal": "le", "decimal_max_places": "decimal_places",
          "decimal_max_digits": "max_digits", "decimal_whole_digits": "whole_digits"}


def pydantic_text(error: dict[str, object]) -> str:
    """One of pydantic's errors (``ValidationError.errors()[i]``) in the interface's
    language, by its type and ``ctx``: ``string_too_long`` with ``max_length`` 500 →
    «не длиннее 500 символов» (not «String should have at most 500 characters»)."""
    from client.i18n import nt

    kind = str(error.get("type", ""))
    ctx = error.get("ctx")
    ctx = ctx if isinstance(ctx, dict) else {}
    if kind in _PYDANTIC_PLURAL:
        key, bound = _PYDANTIC_PLURAL[kind]
        count = ctx.get(bound)
        if isinstance(count, int):
            if kind == "string_too_short" and count == 1:
                return t("validation.required")
            return nt(key, count)
    if kind == "value_error":
        # A check of our own: its text (already in the interface's language), or ours.
        cause = ctx.get("error")
        text = str(cause) if cause is not None else ""
        return text if text and not text.isascii() else t("pyd.invalid")
    key = _PYDANTIC.get(kind)
    if key is None:
        return t("pyd.invalid")
    if kind in _BOUND:
        return t(key, limit=ctx.get(_BOUND[kind], ""))
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", f" {t('pyd.or')} ")
        return t(key, expected=expected)
    return t(key)
