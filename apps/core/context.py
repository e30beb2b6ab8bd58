"""Who is acting, from where: set per request (or per task) and read by the audit trail and logs."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionContext:
    request_id: str = "-"
    ip_address: str | None = None
    user_agent: str = ""
    user_id: int | None = None
    task: str = ""  # the Celery task running, by name ("licensing.expire_licences")


_EMPTY = ActionContext()
_current: contextvars.ContextVar[ActionContext | None] = contextvars.ContextVar(
    "raretrack_action_context", default=None
)


def current() -> ActionContext:
    return _current.get() or _EMPTY


def bind(context: ActionContext) -> contextvars.Token:
    return _current.set(context)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
