"""Client records in a producer's book: create, change, archive, screen.

Each service checks the permission predicate, validates everything before it writes (bad input
changes nothing and says what is wrong, per field), writes inside one transaction with an audit
event, and leaves slow follow-ups (re-screening every client after a list change) to a Celery task
enqueued on commit.
"""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from apps.audit.services import audit_record, diff
from apps.clients import permissions, screening
from apps.clients.matching import (
    normalise_identifier,
    normalise_name,
)
from apps.clients.models import (
    Client,
    PartyRole,
    RegistrationKind,
    Sector,
)
from apps.clients.services.entities import link_entity
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError

CLIENT_FIELDS = [
    "legal_name",
    "native_name",
    "aliases",
    "country",
    "registration_number",
    "registration_kind",
    "address",
    "website",
    "sector",
    "roles",
    "contact_name",
    "contact_email",
    "contact_phone",
    "parent",
    "ownership_pct",
]
MAX_SUBSIDIARY_DEPTH = 10


def clean_country(value, errors: dict, field: str = "country", *, required: bool = True) -> str:
    code = str(value or "").strip().upper()
    if not code:
        if required:
            errors[field] = [_("Choose the country (ISO 3166 two-letter code, e.g. DE or JP).")]
        return ""
    if code not in countries:
        errors[field] = [
            _("Unknown country code “%(code)s”: use an ISO 3166 two-letter code such as DE or JP.")
            % {"code": code}
        ]
    return code


def clean_text_list(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("\r", "\n").replace(";", "\n").split("\n")
    seen: dict[str, None] = {}
    for item in value or []:
        text = str(item).strip()
        if text:
            seen[text] = None
    return list(seen)


def _clean_client(organisation, data: dict, client: Client | None) -> dict:
    """The client's fields, validated against the rules of the producer's book."""
    errors: dict[str, list[str]] = {}
    clean = {
        key: (data.get(key) or "").strip()
        for key in (
            "legal_name",
            "native_name",
            "registration_number",
            "registration_kind",
            "address",
            "website",
            "sector",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
    }
    if not clean["legal_name"]:
        errors["legal_name"] = [_("Give the client's legal name in Latin script.")]
    elif not normalise_name(clean["legal_name"]):
        errors["legal_name"] = [_("The name needs letters besides a company form like “Ltd”.")]
    clean["country"] = clean_country(data.get("country"), errors)
    clean["aliases"] = clean_text_list(data.get("aliases"))
    roles = clean_text_list(data.get("roles"))
    unknown_roles = [r for r in roles if r not in PartyRole.values]
    if not roles:
        errors["roles"] = [_("Choose at least one role this client plays.")]
    elif unknown_roles:
        errors["roles"] = [_("Unknown role: %(r)s.") % {"r": ", ".join(unknown_roles)}]
    clean["roles"] = roles
    if clean["sector"] not in Sector.values:
        errors["sector"] = [_("Choose the client's sector.")]
    if clean["registration_kind"] and clean["registration_kind"] not in RegistrationKind.values:
        errors["registration_kind"] = [_("Unknown kind of registration number.")]
    if clean["registration_number"] and not clean["registration_kind"]:
        errors["registration_kind"] = [_("Say what kind of number the registration number is.")]
    reg_norm = normalise_identifier(clean["registration_number"])
    if clean["registration_number"] and not reg_norm:
        errors["registration_number"] = [_("A registration number needs letters or digits.")]
    if reg_norm:
        duplicate = Client.objects.filter(
            organisation=organisation, reg_norm=reg_norm, archived_at__isnull=True
        ).exclude(pk=getattr(client, "pk", None))
        other = duplicate.first()
        if other is not None:
            errors["registration_number"] = [
                _("Your client “%(name)s” already has this registration number.")
                % {"name": other.legal_name}
            ]
    clean["reg_norm"] = reg_norm
    for key, validator, message in (
        ("website", URLValidator(schemes=["http", "https"]), _("Enter a full web address.")),
        ("contact_email", EmailValidator(), _("Enter a valid e-mail address.")),
    ):
        if clean[key]:
            try:
                validator(clean[key])
            except ValidationError:
                errors[key] = [message]
    clean["parent"], clean["ownership_pct"] = _clean_ownership(organisation, data, client, errors)
    if errors:
        raise DomainError(_("The client has errors; nothing was saved."), field_errors=errors)
    clean["name_norm"] = normalise_name(clean["legal_name"])
    return clean


def _clean_ownership(organisation, data: dict, client: Client | None, errors: dict):
    parent = data.get("parent")
    raw_pct = data.get("ownership_pct")
    if parent in (None, ""):
        if raw_pct not in (None, ""):
            errors["parent"] = [_("Choose the parent company that owns this share.")]
        return None, None
    if not isinstance(parent, Client):
        parent = Client.objects.filter(pk=parent).first() if str(parent).isdigit() else None
    if parent is None or parent.organisation_id != organisation.pk:
        errors["parent"] = [_("The parent company must be a client in your own book.")]
        return None, None
    if parent.archived_at is not None:
        errors["parent"] = [_("The parent company is archived.")]
    try:
        pct = Decimal(str(raw_pct)).quantize(Decimal("0.01")) if raw_pct not in (None, "") else None
    except (InvalidOperation, ValueError):
        pct = None
        errors["ownership_pct"] = [_("Enter the share as a number between 0 and 100.")]
    else:
        if pct is None:
            errors["ownership_pct"] = [_("Give the share the parent company owns (in %).")]
        elif not Decimal("0") < pct <= Decimal("100"):
            errors["ownership_pct"] = [_("The share must be above 0 and at most 100 %.")]
    if client is not None and client.pk is not None:
        chain, current = [], parent
        for _step in range(1000):
            if current is None:
                break
            chain.append(current.legal_name)
            if current.pk == client.pk:
                errors["parent"] = [
                    _("Ownership cycle: %(chain)s would own itself.")
                    % {"chain": " → ".join([client.legal_name, *chain])}
                ]
                break
            current = current.parent
    return parent, pct


def _snapshot(client: Client) -> dict:
    return {
        key: (
            getattr(client, "parent_id", None)
            if key == "parent"
            else str(getattr(client, key))
            if key in ("country", "ownership_pct")
            else getattr(client, key)
        )
        for key in CLIENT_FIELDS
    }


@transaction.atomic
def client_create(*, actor, data: dict) -> Client:
    """Add a client to the actor's book, link it to its real-world entity and screen it."""
    if not permissions.can_keep_client_book(actor):
        raise PermissionDeniedError(_("Only staff of a verified producer keep a client book."))
    organisation = actor.membership.organisation
    clean = _clean_client(organisation, data, None)
    client = Client(organisation=organisation, created_by=actor, **clean)
    _save_unique(client)
    link_entity(client)
    screened = _screen_with_subsidiaries(client)
    audit_record(
        actor=actor,
        action="client.create",
        obj=client,
        changes={**_snapshot(client), "screening": screened},
    )
    client.refresh_from_db(fields=["screening_status", "screened_at"])
    return client


@transaction.atomic
def client_update(*, actor, client: Client, data: dict) -> Client:
    """Change a client record; a change of identity re-links and re-screens it (and its owned)."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if not permissions.can_change_client(actor, locked):
        raise PermissionDeniedError(_("You cannot change this client."))
    before = _snapshot(locked)
    clean = _clean_client(locked.organisation, data, locked)
    for key, value in clean.items():
        setattr(locked, key, value)
    _save_unique(locked)
    changes = diff(before, _snapshot(locked))
    if not changes:
        return locked
    link_entity(locked)
    screened = _screen_with_subsidiaries(locked)
    audit_record(
        actor=actor, action="client.update", obj=locked, changes={**changes, "screening": screened}
    )
    locked.refresh_from_db(fields=["screening_status", "screened_at"])
    return locked


@transaction.atomic
def client_archive(*, actor, client: Client) -> Client:
    """Take a client out of the book without deleting it (records that name it stay intact)."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.archived_at is not None:
        return locked
    if not permissions.can_change_client(actor, locked):
        raise PermissionDeniedError(_("You cannot archive this client."))
    owned = locked.subsidiaries.filter(archived_at__isnull=True)
    if owned.exists():
        raise ConflictError(
            _("%(name)s is the recorded parent of %(children)s; change those clients first.")
            % {
                "name": locked.legal_name,
                "children": ", ".join(owned.values_list("legal_name", flat=True)[:5]),
            }
        )
    locked.archived_at = timezone.now()
    locked.save(update_fields=["archived_at", "updated_at"])
    audit_record(actor=actor, action="client.archive", obj=locked, changes={})
    return locked


def _save_unique(client: Client) -> None:
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        raise ConflictError(
            _("Another client with this registration number was saved a moment ago."),
            field_errors={"registration_number": [_("Already used in your client book.")]},
        ) from None


def _descendants(client: Client) -> list[Client]:
    found, frontier = [], [client.pk]
    for _depth in range(MAX_SUBSIDIARY_DEPTH):
        children = list(Client.objects.filter(parent_id__in=frontier, archived_at__isnull=True))
        if not children:
            break
        found.extend(children)
        frontier = [c.pk for c in children]
    return found


def _screen_with_subsidiaries(client: Client) -> dict:
    """Screen the client and the clients it owns; the outcome goes into the caller's one event."""
    targets = [client, *_descendants(client)]
    outcome = screening.record_hits(targets)
    return {
        "screened": outcome.screened,
        "new_hits": outcome.created,
        "reopened": outcome.reopened,
        "lapsed": outcome.lapsed,
    }


@transaction.atomic
def client_screen(client: Client, *, actor=None, reason: str = "") -> str:
    """Screen one client record now (licensing calls this on submission, transactions on report).

    Returns the client's screening status afterwards. One audit event when the screening changed a
    hit (new, reopened or lapsed); a screening that finds what is already recorded changes nothing
    and records nothing, as `clients_rescreen` does.
    """
    outcome = screening.record_hits([client])
    if outcome.created or outcome.reopened or outcome.lapsed:
        audit_record(
            actor=actor,
            actor_label=None if actor else "screening",
            action="client.screen",
            obj=client,
            changes={
                "reason": reason,
                "new_hits": outcome.created,
                "reopened": outcome.reopened,
                "lapsed": outcome.lapsed,
            },
        )
    return Client.objects.values_list("screening_status", flat=True).get(pk=client.pk)


def clients_rescreen(
    *, entry_ids: Sequence[int] = (), batch_size: int = 500, after_id: int = 0
) -> screening.ScreeningOutcome:
    """Screen every active client again, in batches, each in its own transaction.

    Safe to run twice and to interrupt: screening the same data again changes nothing.
    """
    total = screening.ScreeningOutcome()
    last = after_id
    while True:
        batch = list(
            Client.objects.filter(archived_at__isnull=True, pk__gt=last).order_by("pk")[:batch_size]
        )
        if not batch:
            return total
        with transaction.atomic():
            outcome = screening.record_hits(batch)
            if outcome.created or outcome.reopened or outcome.lapsed:
                audit_record(
                    actor=None,
                    actor_label="clients.rescreen_after_list_change",
                    action="clients.rescreen",
                    changes={
                        "list_entries": list(entry_ids)[:100],
                        "clients": [batch[0].pk, batch[-1].pk],
                        "new_hits": outcome.created,
                        "reopened": outcome.reopened,
                        "lapsed": outcome.lapsed,
                    },
                )
        for key in ("screened", "created", "reopened", "lapsed"):
            setattr(total, key, getattr(total, key) + getattr(outcome, key))
        last = batch[-1].pk
