"""Every write on users, organisations, invitations and API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts import permissions
from apps.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from apps.accounts.validators import normalise_uscc, validate_uscc
from apps.audit.services import audit_record
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.core.mail import send_templated_on_commit
from apps.core.roles import AUTHORITY_ROLES, Role, forget_roles
from apps.core.security.sessions import sessions_end_for
from apps.notifications.services import notify


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field_errors={"password": exc.messages}) from None


def _email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def _add_to_role(user: User, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.value))
    forget_roles(user)


@transaction.atomic
def organisation_register(
    *,
    legal_name: str,
    native_name: str,
    uscc: str,
    address: str,
    province: str,
    admin_email: str,
    admin_full_name: str,
    password: str,
) -> User:
    """A producer registers its company and its first administrator; the company starts pending."""
    code = normalise_uscc(uscc)
    errors: dict[str, list[str]] = {}
    try:
        validate_uscc(code)
    except ValidationError as exc:
        errors["uscc"] = exc.messages
    if Organisation.objects.filter(uscc=code).exists():
        errors["uscc"] = [
            _("A company with this unified social credit code is already registered.")
        ]
    if Organisation.objects.filter(legal_name__iexact=legal_name.strip()).exists():
        errors["legal_name"] = [_("A company with this legal name is already registered.")]
    if _email_taken(admin_email):
        errors["admin_email"] = [_("An account with this e-mail address already exists.")]
    candidate = User(email=admin_email, full_name=admin_full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise DomainError(_("The registration has errors; nothing was saved."), field_errors=errors)

    try:
        organisation = Organisation.objects.create(
            legal_name=legal_name.strip(),
            native_name=native_name.strip(),
            uscc=code,
            address=address.strip(),
            province=province.strip(),
        )
        user = User.objects.create_user(admin_email, password, full_name=admin_full_name.strip())
    except IntegrityError:
        # Two registrations of the same company raced past the checks above.
        raise ConflictError(
            _("This company or e-mail address was registered a moment ago.")
        ) from None
    Membership.objects.create(user=user, organisation=organisation, role=Role.PRODUCER_ADMIN)
    _add_to_role(user, Role.PRODUCER_ADMIN)
    audit_record(
        actor=user,
        action="organisation.register",
        obj=organisation,
        changes={"uscc": code, "legal_name": organisation.legal_name, "admin_email": user.email},
    )
    notify(
        recipients=User.objects.filter(groups__name=Role.ADMINISTRATOR.value, is_active=True),
        kind="accounts.organisation_registered",
        title=gettext_lazy("%(company)s registered and awaits verification"),
        params={"company": organisation.legal_name},
        link=reverse("accounts:organisation_detail", args=[organisation.pk]),
        obj=organisation,
    )
    return user


ORGANISATION_TRANSITIONS = {
    # action: (allowed from, to)
    "verify": ({Organisation.Status.PENDING}, Organisation.Status.VERIFIED),
    "suspend": (
        {Organisation.Status.VERIFIED, Organisation.Status.PENDING},
        Organisation.Status.SUSPENDED,
    ),
    "reinstate": ({Organisation.Status.SUSPENDED}, Organisation.Status.VERIFIED),
}


@transaction.atomic
def organisation_set_status(
    *, actor: User, organisation: Organisation, action: str, reason: str = ""
) -> Organisation:
    """Verify, suspend or reinstate a producer; repeating the same action changes nothing."""
    if not permissions.can_verify_organisations(actor):
        raise PermissionDeniedError(_("Only administrators verify or suspend companies."))
    if action not in ORGANISATION_TRANSITIONS:
        raise DomainError(_("Unknown action."))
    sources, target = ORGANISATION_TRANSITIONS[action]
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.status == target:
        return locked
    if locked.status not in sources:
        raise ConflictError(
            _("The company is %(status)s; it cannot be changed that way.")
            % {"status": locked.get_status_display().lower()}
        )
    if action == "suspend" and not reason.strip():
        raise DomainError(
            _("Give the reason for the suspension."),
            field_errors={"reason": [_("This field is required.")]},
        )
    before = locked.status
    locked.status = target
    locked.status_reason = reason.strip()
    fields = ["status", "status_reason"]
    if target == Organisation.Status.VERIFIED and locked.verified_at is None:
        locked.verified_at = timezone.now()
        fields.append("verified_at")
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"organisation.{action}",
        obj=locked,
        changes={"status": [before, target], "reason": reason.strip()},
    )
    for membership in locked.memberships.select_related("user").filter(user__is_active=True):
        send_templated_on_commit(
            template="accounts/email/organisation_status",
            to=membership.user.email,
            language=membership.user.language,
            context={"organisation": locked, "user": membership.user},
        )
    return locked


@transaction.atomic
def invitation_create(*, actor: User, email: str, role: str) -> tuple[Invitation, str]:
    """A producer administrator invites a colleague; the token travels only in the e-mail."""
    if not permissions.can_manage_team(actor):
        raise PermissionDeniedError(_("Only your company's administrator can invite colleagues."))
    email = email.strip().lower()
    if role not in {Role.PRODUCER_ADMIN, Role.PRODUCER_STAFF}:
        raise DomainError(_("Choose a producer role."), field_errors={"role": [_("Invalid role.")]})
    if _email_taken(email):
        raise DomainError(
            _("An account with this e-mail address already exists."),
            field_errors={"email": [_("This address already has an account.")]},
        )
    organisation = actor.membership.organisation
    now = timezone.now()
    # A new invitation replaces any open one for the same address, so only one link works.
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=Invitation.hash_token(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        changes={"email": email, "role": role},
    )
    send_templated_on_commit(
        template="accounts/email/invitation",
        to=email,
        language=actor.language,
        context={
            "invitation": invitation,
            "inviter": actor,
            "link": settings.SITE_URL + reverse("accounts:invitation_accept", args=[token]),
        },
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Turn an open invitation into an account; an expired, revoked or used link creates nothing."""
    found = invitation_for_token(token)
    if found is None:
        raise DomainError(
            _("This invitation link is not valid. Ask your administrator for a new one.")
        )
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    state = invitation.state
    if state == "accepted":
        raise ConflictError(_("This invitation has already been used. Sign in instead."))
    if state == "revoked":
        raise DomainError(_("This invitation was replaced or withdrawn. Ask for a new one."))
    if state == "expired":
        raise DomainError(_("This invitation has expired. Ask your administrator for a new one."))
    if _email_taken(invitation.email):
        raise ConflictError(
            _("An account with this e-mail address already exists. Sign in instead.")
        )
    if not full_name.strip():
        raise DomainError(
            _("Enter your full name."), field_errors={"full_name": [_("This field is required.")]}
        )
    _check_password(password, User(email=invitation.email, full_name=full_name))
    user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
    Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    _add_to_role(user, Role(invitation.role))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        action="invitation.accept",
        obj=invitation,
        changes={"user": user.email, "role": invitation.role},
    )
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if not permissions.can_manage_team(actor) or (
        invitation.organisation_id != actor.membership.organisation_id
    ):
        raise PermissionDeniedError(_("You cannot withdraw this invitation."))
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated:
        audit_record(actor=actor, action="invitation.revoke", obj=invitation)
    invitation.refresh_from_db()
    return invitation


@transaction.atomic
def member_set_active(*, actor: User, member: User, active: bool) -> User:
    """A producer administrator deactivates or reactivates a colleague (never themselves)."""
    if not permissions.can_manage_member(actor, member):
        raise PermissionDeniedError(_("You cannot change this user."))
    if member.pk == actor.pk and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    locked = User.objects.select_for_update().get(pk=member.pk)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=locked,
        changes={"is_active": [not active, active], **_cut_off(locked, active)},
    )
    return locked


def _cut_off(user: User, active: bool) -> dict:
    """A deactivated user is signed out everywhere and their API tokens are revoked for good,
    so reactivating the account later does not revive an old session or token."""
    if active:
        return {}
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return {"sessions_ended": sessions_end_for(user), "tokens_revoked": tokens}


@transaction.atomic
def official_create(*, actor: User, email: str, full_name: str, roles: list[str]) -> User:
    """An administrator creates an official or auditor, who sets a password from an e-mail link."""
    if not permissions.can_manage_officials(actor):
        raise PermissionDeniedError(_("Only administrators create officials."))
    email = email.strip().lower()
    wanted = {Role(r) for r in roles if r in {x.value for x in AUTHORITY_ROLES}}
    if not wanted:
        raise DomainError(
            _("Choose at least one role."), field_errors={"roles": [_("Choose at least one role.")]}
        )
    if _email_taken(email):
        raise DomainError(
            _("An account with this e-mail address already exists."),
            field_errors={"email": [_("This address already has an account.")]},
        )
    user = User.objects.create_user(email, None, full_name=full_name.strip())
    for role in sorted(wanted):
        _add_to_role(user, role)
    audit_record(
        actor=actor,
        action="official.create",
        obj=user,
        changes={"email": email, "roles": sorted(r.value for r in wanted)},
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
    )
    send_templated_on_commit(
        template="accounts/email/official_welcome",
        to=email,
        language=user.language,
        context={"user": user, "link": link},
    )
    return user


@transaction.atomic
def official_set_active(*, actor: User, official: User, active: bool) -> User:
    if not permissions.can_manage_officials(actor) or hasattr(official, "membership"):
        raise PermissionDeniedError(_("Only administrators change officials."))
    if official.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."))
    updated = User.objects.filter(pk=official.pk).exclude(is_active=active).update(is_active=active)
    if updated:
        audit_record(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            obj=official,
            changes={"is_active": [not active, active], **_cut_off(official, active)},
        )
    official.refresh_from_db()
    return official


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Unknown language."))
    if actor.language != language:
        before = actor.language
        actor.language = language
        actor.save(update_fields=["language"])
        audit_record(
            actor=actor,
            action="user.set_language",
            obj=actor,
            changes={"language": [before, language]},
        )
    return actor


API_TOKEN_PREFIX = "rt_"  # noqa: S105 - a public marker, not a secret


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    """A personal API token; the returned key is shown once and never stored in clear."""
    name = name.strip()
    if not name:
        raise DomainError(
            _("Give the token a name."), field_errors={"name": [_("This field is required.")]}
        )
    if actor.api_tokens.filter(name__iexact=name, revoked_at__isnull=True).exists():
        raise DomainError(
            _("You already have an active token with this name."),
            field_errors={"name": [_("Choose another name.")]},
        )
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=key[:10],
        key_hash=ApiToken.hash_key(key),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        changes={"name": name, "expires_at": expires_at},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDeniedError(_("You can only revoke your own tokens."))
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit_record(actor=actor, action="api_token.revoke", obj=token)
    token.refresh_from_db()
    return token


@transaction.atomic
def password_changed(*, actor: User) -> None:
    """Record a password change or reset (Django's views write the hash itself)."""
    audit_record(actor=actor, action="user.password_change", obj=actor)
