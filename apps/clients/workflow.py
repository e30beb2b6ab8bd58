"""The screening hit decision table: pure, no database.

Reviewers and approvers decide open hits; a confirmed hit may later be dismissed (a mistake
corrected) with a reason. Reopening and lapsing are the screening's own moves, never a person's.
"""

from apps.clients.models import ScreeningHit

S = ScreeningHit.Status

# action -> (allowed from, to)
HIT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "confirm": (frozenset({S.OPEN}), S.CONFIRMED),
    "dismiss": (frozenset({S.OPEN, S.CONFIRMED}), S.DISMISSED),
}


def hit_target(action: str, current: str) -> str | None:
    """The status an action leads to from `current`, or None when the table refuses it."""
    if action not in HIT_TRANSITIONS:
        return None
    sources, target = HIT_TRANSITIONS[action]
    return target if current in sources else None
