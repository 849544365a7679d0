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


def pydantic_text(error: dict[str, object]) -> str:
    """One of pydantic's errors (``ValidationError.errors()[i]``) in the interface's
    language, by its type and ``ctx``: ``string_too_long`` with ``max_length`` 500 →
    «не длиннее 500 символов» (not «String should have at most 500 characters»)."""
    from client.i18n import nt
    from core.pydantic_errors import describe

    return describe(error, t, nt)
