"""Entities: linking client records of several producers to one real-world firm; merge, split."""

from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.clients import permissions
from apps.clients.matching import (
    ENTITY_THRESHOLD,
    name_similarity,
)
from apps.clients.models import (
    Client,
    ClientEntity,
    EntityLinkChange,
)
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError


def _entity_candidates(client: Client) -> list[ClientEntity]:
    base = ClientEntity.objects.filter(country=client.country, merged_into__isnull=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM clients_cliententity WHERE name_norm %% %s"
                " ORDER BY similarity(name_norm, %s) DESC LIMIT 20",
                [client.name_norm, client.name_norm],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return list(base.filter(pk__in=ids))
    words = [w for w in client.name_norm.split() if len(w) >= 3] or [client.name_norm]
    condition = None
    for word in words:
        q = base.filter(name_norm__contains=word[:4])
        condition = q if condition is None else condition | q
    return list(condition[:200])


def link_entity(client: Client) -> None:
    """Attach the record to the real-world entity it names, creating one when none fits.

    Same country and registration number link at once; otherwise a close name in the same country
    links unless both sides carry different registration numbers.
    """
    if client.entity_pinned:
        return
    entity = None
    if client.reg_norm:
        entity = (
            ClientEntity.objects.filter(
                country=client.country, reg_norm=client.reg_norm, merged_into__isnull=True
            )
            .order_by("pk")
            .first()
        )
    if entity is None:
        scored = [
            (name_similarity(client.name_norm, e.name_norm), e)
            for e in _entity_candidates(client)
            if not (client.reg_norm and e.reg_norm and e.reg_norm != client.reg_norm)
        ]
        scored = [(s, e) for s, e in scored if s >= ENTITY_THRESHOLD]
        if scored:
            entity = max(scored, key=lambda pair: (pair[0], -pair[1].pk))[1]
    if entity is None:
        if client.entity_id and client.entity.clients.exclude(pk=client.pk).count() == 0:
            entity = client.entity  # its own entity: follow the client's new identity
        else:
            entity = ClientEntity()
        _fill_entity(entity, client)
    elif client.reg_norm and not entity.reg_norm:
        entity.registration_number, entity.reg_norm = client.registration_number, client.reg_norm
        entity.save(update_fields=["registration_number", "reg_norm", "updated_at"])
    if client.entity_id != entity.pk:
        client.entity = entity
        client.save(update_fields=["entity", "updated_at"])


def _fill_entity(entity: ClientEntity, client: Client) -> None:
    entity.name = client.legal_name
    entity.country = client.country
    entity.registration_number = client.registration_number
    entity.name_norm = client.name_norm
    entity.reg_norm = client.reg_norm
    entity.save()


@transaction.atomic
def entity_merge(*, actor, source: ClientEntity, target: ClientEntity, reason: str) -> ClientEntity:
    """An official says two entities are one firm: every record of `source` moves to `target`."""
    if not permissions.can_relink_entities(actor):
        raise PermissionDeniedError(_("Only reviewers and approvers merge entities."))
    if not reason.strip():
        raise DomainError(
            _("Give the reason for the merge."), field_errors={"reason": [_("Required.")]}
        )
    locked = {
        e.pk: e
        for e in ClientEntity.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    source, target = locked[source.pk], locked.get(target.pk)
    if target is None or source.pk == target.pk:
        raise DomainError(
            _("Choose another entity to merge into."),
            field_errors={"target": [_("Choose another entity.")]},
        )
    if source.merged_into_id or target.merged_into_id:
        raise ConflictError(_("One of these entities was already merged into another."))
    moved = list(source.clients.values_list("pk", flat=True))
    Client.objects.filter(pk__in=moved).update(entity=target, entity_pinned=True)
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    EntityLinkChange.objects.create(
        action=EntityLinkChange.Action.MERGE,
        from_entity=source,
        to_entity=target,
        client_ids=moved,
        reason=reason.strip(),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="entity.merge",
        obj=target,
        changes={"from": source.pk, "clients": moved, "reason": reason.strip()},
    )
    return target


@transaction.atomic
def entity_split(*, actor, entity: ClientEntity, client: Client, reason: str) -> ClientEntity:
    """An official says a record names another firm: it gets an entity of its own."""
    if not permissions.can_relink_entities(actor):
        raise PermissionDeniedError(_("Only reviewers and approvers split entities."))
    if not reason.strip():
        raise DomainError(
            _("Give the reason for the split."), field_errors={"reason": [_("Required.")]}
        )
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.entity_id != entity.pk:
        raise ConflictError(_("This client record is no longer linked to this entity."))
    if entity.clients.count() < 2:
        raise DomainError(_("This is the entity's only record; there is nothing to split off."))
    new_entity = ClientEntity()
    _fill_entity(new_entity, locked)
    locked.entity, locked.entity_pinned = new_entity, True
    locked.save(update_fields=["entity", "entity_pinned", "updated_at"])
    EntityLinkChange.objects.create(
        action=EntityLinkChange.Action.SPLIT,
        from_entity=entity,
        to_entity=new_entity,
        client_ids=[locked.pk],
        reason=reason.strip(),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="entity.split",
        obj=entity,
        changes={"client": locked.pk, "new_entity": new_entity.pk, "reason": reason.strip()},
    )
    return new_entity
