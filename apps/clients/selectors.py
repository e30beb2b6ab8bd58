"""Every read of clients data, scoped to the user who asks (404 for what they may not see)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.clients import permissions
from apps.clients.matching import normalise_name
from apps.clients.models import (
    Client,
    ClientEntity,
    EntityLinkChange,
    ListEntry,
    ScreeningHit,
)
from apps.core.roles import is_producer


def client_list_for(
    user,
    *,
    search: str = "",
    country: str = "",
    sector: str = "",
    role: str = "",
    screening_status: str = "",
    archived: bool = False,
) -> QuerySet[Client]:
    """The user's own company's client book; nobody else's, ever."""
    if not (is_producer(user) and permissions.can_keep_client_book(user)):
        return Client.objects.none()
    qs = Client.objects.filter(organisation_id=user.membership.organisation_id)
    qs = qs.filter(archived_at__isnull=not archived)
    if search:
        norm = normalise_name(search)
        condition = (
            Q(legal_name__icontains=search)
            | Q(native_name__icontains=search)
            | Q(registration_number__icontains=search)
        )
        if norm:
            condition |= Q(name_norm__contains=norm)
        qs = qs.filter(condition)
    if country:
        qs = qs.filter(country=country.upper())
    if sector:
        qs = qs.filter(sector=sector)
    if role:
        qs = qs.filter(roles__icontains=f'"{role}"')
    if screening_status:
        qs = qs.filter(screening_status=screening_status)
    return qs.select_related("parent")


def client_get_for(user, pk: int, *, include_archived: bool = True) -> Client:
    qs = client_list_for(user)
    if include_archived:
        qs = qs | client_list_for(user, archived=True)
    try:
        return qs.get(pk=pk)
    except Client.DoesNotExist:
        raise Http404 from None


def parent_choices_for(user, client: Client | None = None) -> QuerySet[Client]:
    qs = client_list_for(user)
    if client is not None:
        qs = qs.exclude(pk=client.pk)
    return qs.order_by("legal_name")


def entity_list_for(user, *, search: str = "", country: str = "") -> QuerySet[ClientEntity]:
    if not permissions.can_view_entities(user):
        return ClientEntity.objects.none()
    qs = ClientEntity.objects.filter(merged_into__isnull=True)
    if search:
        norm = normalise_name(search)
        condition = Q(name__icontains=search) | Q(registration_number__icontains=search)
        if norm:
            condition |= Q(name_norm__contains=norm)
        qs = qs.filter(condition)
    if country:
        qs = qs.filter(country=country.upper())
    return qs.annotate(
        record_count=Count("clients", distinct=True),
        producer_count=Count("clients__organisation", distinct=True),
        open_hits=Count("clients__hits", filter=Q(clients__hits__status="open"), distinct=True),
    ).filter(record_count__gt=0)


def entity_get_for(user, pk: int) -> ClientEntity:
    if not permissions.can_view_entities(user):
        raise Http404
    try:
        return ClientEntity.objects.get(pk=pk)
    except ClientEntity.DoesNotExist:
        raise Http404 from None


def entity_records(entity: ClientEntity) -> QuerySet[Client]:
    return entity.clients.select_related("organisation").order_by("organisation__legal_name")


def entity_link_history(entity: ClientEntity) -> QuerySet[EntityLinkChange]:
    return EntityLinkChange.objects.filter(
        Q(from_entity=entity) | Q(to_entity=entity)
    ).select_related("actor", "from_entity", "to_entity")


def hit_list_for(
    user, *, status: str = "", kind: str = "", search: str = "", entity: int | None = None
) -> QuerySet[ScreeningHit]:
    if not permissions.can_view_hits(user):
        return ScreeningHit.objects.none()
    qs = ScreeningHit.objects.select_related(
        "client", "client__organisation", "list_entry", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(list_entry__kind=kind)
    if search:
        qs = qs.filter(
            Q(client__legal_name__icontains=search) | Q(list_entry__name__icontains=search)
        )
    if entity:
        qs = qs.filter(client__entity_id=entity)
    return qs


def hit_get_for(user, pk: int) -> ScreeningHit:
    try:
        return hit_list_for(user).get(pk=pk)
    except ScreeningHit.DoesNotExist:
        raise Http404 from None


def list_entry_list_for(
    user, *, search: str = "", kind: str = "", in_force: str = ""
) -> QuerySet[ListEntry]:
    if not permissions.can_view_lists(user):
        return ListEntry.objects.none()
    qs = ListEntry.objects.annotate(
        hit_count=Count("hits", filter=Q(hits__status__in=["open", "confirmed"]))
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(terms__value__contains=normalise_name(search)))
        qs = qs.distinct()
    if kind:
        qs = qs.filter(kind=kind)
    today = timezone.localdate()
    current = Q(listed_on__lte=today) & (Q(delisted_on__isnull=True) | Q(delisted_on__gt=today))
    if in_force == "yes":
        qs = qs.filter(current)
    elif in_force == "no":
        qs = qs.exclude(current)
    return qs


def list_entry_get_for(user, pk: int) -> ListEntry:
    try:
        return list_entry_list_for(user).get(pk=pk)
    except ListEntry.DoesNotExist:
        raise Http404 from None


def hits_for_entity(user, entity: ClientEntity) -> QuerySet[ScreeningHit]:
    return hit_list_for(user, entity=entity.pk)
