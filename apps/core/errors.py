"""Errors that services raise and views / API turn into messages users can act on."""


class DomainError(Exception):
    """A request that the rules refuse. The message is shown to the user as it is."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "permission_denied"


class ConflictError(DomainError):
    """The object is no longer in the state the action needs (another user acted first)."""

    status_code = 409
    code = "conflict"
