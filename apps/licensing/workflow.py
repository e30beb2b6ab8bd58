"""The transition tables of applications and licences: who may move a case from where to where.

Pure data and pure functions: no database, no request. Services ask `check_*` before they write;
views ask `available_*` to show only the buttons that would work. Anything not in a table is
refused.

Actors are described by what they are *to this case*, which the caller works out (permissions.py):
- "producer": staff of the company that owns the case;
- "assigned_reviewer": the reviewer the case is assigned to;
- "reviewer": any reviewer not linked to the company;
- "supervisor": an approver acting as queue supervisor (assigns cases);
- "approver": an approver not linked to the company who did not review the case (four-eyes);
- "system": a Celery task acting on the rules (expiry, exhaustion, lapse, assigning a case
  nobody took).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    EXHAUSTED = "exhausted", _("Exhausted")
    SURRENDERED = "surrendered", _("Surrendered")


S = ApplicationStatus
L = LicenceStatus
OPEN_APPLICATION_STATES = frozenset(
    {S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.REVIEWED}
)
FINAL_APPLICATION_STATES = frozenset({S.APPROVED, S.DENIED, S.WITHDRAWN, S.LAPSED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    actors: frozenset
    label: str
    needs_reason: bool = False


def _t(action, sources, target, actors, label, needs_reason=False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors), label, needs_reason)


APPLICATION_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("submit", {S.DRAFT}, S.SUBMITTED, {"producer"}, _("Submit")),
        _t("take", {S.SUBMITTED}, S.UNDER_REVIEW, {"reviewer"}, _("Take this case")),
        # "system": the chase that hands a case nobody took to the least-loaded reviewer; the
        # service lets it assign only a case still waiting (it never reassigns).
        _t(
            "assign",
            {S.SUBMITTED, S.UNDER_REVIEW},
            S.UNDER_REVIEW,
            {"supervisor", "system"},
            _("Assign"),
        ),
        _t(
            "request_information",
            {S.UNDER_REVIEW},
            S.INFORMATION_REQUESTED,
            {"assigned_reviewer"},
            _("Request information"),
        ),
        _t(
            "answer_information",
            {S.INFORMATION_REQUESTED},
            S.UNDER_REVIEW,
            {"producer"},
            _("Answer the request"),
        ),
        _t(
            "close_lapsed",
            {S.INFORMATION_REQUESTED},
            S.LAPSED,
            {"assigned_reviewer", "system"},
            _("Close as lapsed"),
            needs_reason=True,
        ),
        _t("recommend", {S.UNDER_REVIEW}, S.REVIEWED, {"assigned_reviewer"}, _("Recommend")),
        _t(
            "send_back",
            {S.REVIEWED},
            S.UNDER_REVIEW,
            {"approver"},
            _("Send back for more review"),
            needs_reason=True,
        ),
        _t("approve", {S.REVIEWED}, S.APPROVED, {"approver"}, _("Approve")),
        _t("deny", {S.REVIEWED}, S.DENIED, {"approver"}, _("Deny"), needs_reason=True),
        _t(
            "withdraw",
            {S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.REVIEWED},
            S.WITHDRAWN,
            {"producer"},
            _("Withdraw"),
            needs_reason=True,
        ),
    ]
}

LICENCE_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("suspend", {L.ACTIVE}, L.SUSPENDED, {"approver"}, _("Suspend"), needs_reason=True),
        _t("reinstate", {L.SUSPENDED}, L.ACTIVE, {"approver"}, _("Reinstate"), needs_reason=True),
        _t(
            "revoke",
            {L.ACTIVE, L.SUSPENDED},
            L.REVOKED,
            {"approver"},
            _("Revoke"),
            needs_reason=True,
        ),
        _t(
            "surrender",
            {L.ACTIVE, L.SUSPENDED},
            L.SURRENDERED,
            {"producer"},
            _("Surrender"),
            needs_reason=True,
        ),
        _t("expire", {L.ACTIVE, L.SUSPENDED}, L.EXPIRED, {"system"}, _("Expire")),
        _t("exhaust", {L.ACTIVE}, L.EXHAUSTED, {"system"}, _("Mark exhausted")),
        # A cancelled or corrected report gives quantities back: the licence is usable again
        # (the caller checks that it is still within its validity).
        _t("restore", {L.EXHAUSTED}, L.ACTIVE, {"system"}, _("Reactivate (balance restored)")),
    ]
}


class TransitionRefused(Exception):
    """The table does not allow this action now. `code` says why, for a 403 or a 409."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code  # "unknown_action" | "wrong_state" | "not_allowed" | "reason_required"
        self.message = message


def check(
    table: dict[str, Transition], action: str, state: str, actor_kinds: set[str], reason: str = ""
) -> Transition:
    """The transition for `action` from `state` by someone who is `actor_kinds` to the case.

    Raises TransitionRefused. A wrong state is a conflict (someone else acted first, or a forged
    request); a wrong actor is a permission problem. The state is checked first, so a double
    click answers "already done" rather than "not allowed".
    """
    transition = table.get(action)
    if transition is None:
        raise TransitionRefused("unknown_action", f"Unknown action {action!r}.")
    if state not in transition.sources:
        raise TransitionRefused(
            "wrong_state",
            str(_("This case is %(state)s; “%(action)s” is no longer possible."))
            % {"state": _label(state), "action": transition.label},
        )
    if not (transition.actors & actor_kinds):
        raise TransitionRefused("not_allowed", str(_("You may not do this on this case.")))
    if transition.needs_reason and not reason.strip():
        raise TransitionRefused("reason_required", str(_("Give a reason.")))
    return transition


def available(table: dict[str, Transition], state: str, actor_kinds: set[str]) -> list[Transition]:
    """The transitions someone who is `actor_kinds` to the case could take from `state`."""
    return [t for t in table.values() if state in t.sources and t.actors & actor_kinds]


def _label(state: str) -> str:
    for choices in (ApplicationStatus, LicenceStatus):
        if state in choices.values:
            return str(choices(state).label).lower()
    return state
