"""The ledger against licence balances: compare-and-set draw-downs, reversals, exhaustion and
reactivation of an exhausted licence that was given quantities back.

Every movement is one conditional UPDATE of the licence line (`balance >= amount`) plus an
append-only LedgerEntry in the same transaction, so balance == granted - sum(ledger) always and
the database's CHECK (balance >= 0) is never the thing that says no. Lines are updated in id
order so two transactions drawing on the same lines never deadlock.
"""

from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from apps.core.errors import ConflictError, DomainError
from apps.licensing import services as licensing_services
from apps.licensing.models import Licence, LicenceLine
from apps.transactions import units
from apps.transactions.selectors import licence_restorable


def draw(amounts: dict[int, Decimal], labels: dict[int, str] | None = None) -> dict[int, Decimal]:
    """Draw each line down by its amount, or refuse (nothing drawn: the caller's transaction
    rolls back). Returns each line's balance afterwards."""
    after: dict[int, Decimal] = {}
    for line_id in sorted(amounts):
        amount = amounts[line_id]
        if amount <= 0:
            continue
        updated = LicenceLine.objects.filter(pk=line_id, balance__gte=amount).update(
            balance=F("balance") - amount
        )
        balance, unit, number = LicenceLine.objects.values_list(
            "balance", "unit", "licence__number"
        ).get(pk=line_id)
        if updated == 0:
            label = (labels or {}).get(line_id) or _("Licence %(n)s") % {"n": number}
            raise DomainError(
                _("%(label)s: %(asked)s asked, the licence line has %(left)s left")
                % {
                    "label": label,
                    "asked": units.fmt(amount, unit),
                    "left": units.fmt(balance, unit),
                },
                field_errors={"lines": [_("Not enough left on licence %(n)s.") % {"n": number}]},
            )
        after[line_id] = balance
    return after


def give_back(line_id: int, amount: Decimal) -> Decimal:
    """Return `amount` to a line (a reversal); the grant is the ceiling."""
    updated = LicenceLine.objects.filter(
        pk=line_id, balance__lte=F("quantity_granted") - amount
    ).update(balance=F("balance") + amount)
    if updated == 0:
        raise ConflictError(_("The licence line cannot take back more than was granted."))
    return LicenceLine.objects.values_list("balance", flat=True).get(pk=line_id)


def exhaust_used_up(licence_ids) -> list[int]:
    """Mark exhausted every active licence whose lines are all at zero; the holder is told by
    the licensing service (notify.licence_changed). The caller's one audit event names the
    licences exhausted (the report's `licence_exhausted`)."""
    exhausted = []
    for licence_id in sorted(set(licence_ids)):
        if LicenceLine.objects.filter(licence_id=licence_id, balance__gt=0).exists():
            continue
        if not Licence.objects.filter(pk=licence_id, status="active").exists():
            continue
        try:
            licensing_services.licence_transition(
                actor=None, licence=Licence(pk=licence_id), action="exhaust", audit=False
            )
        except ConflictError:
            continue
        exhausted.append(licence_id)
    return exhausted


def restore_replenished(licence_ids, *, reason: str) -> list[int]:
    """Make active again every exhausted licence, still valid, that a reversal gave quantities
    back to. The transition is recorded in the licence's history (with `reason`) and the holder
    is told; the caller's one audit event names the licences restored (`licence_restored`)."""
    restored = []
    for licence in Licence.objects.filter(pk__in=set(licence_ids)).order_by("pk"):
        if not licence_restorable(licence):
            continue
        if not LicenceLine.objects.filter(licence_id=licence.pk, balance__gt=0).exists():
            continue
        try:
            licensing_services.licence_transition(
                actor=None, licence=licence, action="restore", reason=reason, audit=False
            )
        except ConflictError:
            continue
        restored.append(licence.pk)
    return restored
