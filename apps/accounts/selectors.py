"""Every read of accounts data, scoped to the user who asks."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from apps.accounts import permissions
from apps.accounts.models import ApiToken, Invitation, Organisation, User
from apps.core.roles import AUTHORITY_ROLES, Role, has_role, is_producer


def organisation_list_for(user, *, search: str = "", status: str = "") -> QuerySet[Organisation]:
    if permissions.can_view_organisations(user):
        qs = Organisation.objects.all()
    elif is_producer(user):
        qs = Organisation.objects.filter(pk=user.membership.organisation_id)
    else:
        qs = Organisation.objects.none()
    if search:
        qs = qs.filter(
            Q(legal_name__icontains=search)
            | Q(native_name__icontains=search)
            | Q(uscc__icontains=search)
            | Q(province__icontains=search)
        )
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__user__is_active=True))
    )


def organisation_get_for(user, pk: int) -> Organisation:
    try:
        return organisation_list_for(user).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def member_list_for(user, organisation: Organisation | None = None) -> QuerySet[User]:
    """Producers see their own colleagues; authority roles see the members of any company."""
    if is_producer(user):
        return User.objects.filter(membership__organisation_id=user.membership.organisation_id)
    if permissions.can_view_organisations(user) and organisation is not None:
        return User.objects.filter(membership__organisation=organisation)
    return User.objects.none()


def member_get_for(user, pk: int) -> User:
    try:
        return member_list_for(user).select_related("membership").get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def invitation_list_for(user) -> QuerySet[Invitation]:
    if not permissions.can_manage_team(user):
        return Invitation.objects.none()
    return Invitation.objects.filter(organisation_id=user.membership.organisation_id)


def invitation_get_for(user, pk: int) -> Invitation:
    try:
        return invitation_list_for(user).get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None


def official_list_for(user, *, search: str = "", role: str = "") -> QuerySet[User]:
    if not (has_role(user, Role.ADMINISTRATOR) or has_role(user, Role.AUDITOR)):
        return User.objects.none()
    qs = User.objects.filter(groups__name__in=[r.value for r in AUTHORITY_ROLES]).distinct()
    if search:
        qs = qs.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    if role:
        qs = qs.filter(groups__name=role)
    return qs.prefetch_related("groups")


def official_get_for(user, pk: int) -> User:
    try:
        return official_list_for(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def token_list_for(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_get_for(user, pk: int) -> ApiToken:
    try:
        return token_list_for(user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
