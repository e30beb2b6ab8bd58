"""Audit cases for apps/accounts/services.py (see tests/audit/coverage.py)."""

from apps.accounts import services
from apps.accounts.models import Invitation
from tests.audit.coverage import AuditCase, Expect
from tests.factories import PASSWORD, valid_uscc


def _register(fx, _):
    user = services.organisation_register(
        legal_name="Baotou Coverage Metals Co., Ltd.",
        native_name="包头测试",
        uscc=valid_uscc(9_999),
        address="1 Steel Road, Baotou",
        province="Inner Mongolia",
        admin_email="new-admin@baotou.test",
        admin_full_name="Gao Feng",
        password=PASSWORD,
    )
    return Expect(
        "organisation.register",
        user.membership.organisation,
        actor=user,
        changes=("uscc", "legal_name", "admin_email"),
    )


def _invite(fx):
    _invitation, token = services.invitation_create(
        actor=fx("producer_admin"), email="colleague@company.test", role="producer_staff"
    )
    return token


def _accept(fx, token):
    user = services.invitation_accept(token=token, full_name="Xu Ming", password=PASSWORD)
    invitation = Invitation.objects.get(email="colleague@company.test")
    return Expect("invitation.accept", invitation, actor=user, changes=("user", "role"))


def _revoke(fx, token):
    invitation = Invitation.objects.get(email="colleague@company.test")
    services.invitation_revoke(actor=fx("producer_admin"), invitation=invitation)
    return Expect("invitation.revoke", invitation, actor=fx("producer_admin"))


def _token(fx):
    return services.api_token_create(actor=fx("auditor"), name="erp", expires_in_days=30)[0]


CASES = {
    "organisation_register": AuditCase(call=_register),
    "organisation_set_status": AuditCase(
        call=lambda fx, _: Expect(
            "organisation.suspend",
            services.organisation_set_status(
                actor=fx("administrator"),
                organisation=fx("company"),
                action="suspend",
                reason="Failed end-use check",
            ),
            actor=fx("administrator"),
            changes=("status", "reason"),
        )
    ),
    "invitation_create": AuditCase(
        call=lambda fx, _: Expect(
            "invitation.create",
            services.invitation_create(
                actor=fx("producer_admin"), email="new@company.test", role="producer_staff"
            )[0],
            actor=fx("producer_admin"),
            changes=("email", "role"),
        )
    ),
    "invitation_accept": AuditCase(setup=_invite, call=_accept),
    "invitation_revoke": AuditCase(setup=_invite, call=_revoke),
    "member_set_active": AuditCase(
        call=lambda fx, _: Expect(
            "user.deactivate",
            services.member_set_active(
                actor=fx("producer_admin"), member=fx("producer"), active=False
            ),
            actor=fx("producer_admin"),
            changes=("is_active",),
        )
    ),
    "official_create": AuditCase(
        call=lambda fx, _: Expect(
            "official.create",
            services.official_create(
                actor=fx("administrator"),
                email="new-reviewer@authority.test",
                full_name="Qian Li",
                roles=["reviewer"],
            ),
            actor=fx("administrator"),
            changes=("email", "roles"),
        )
    ),
    "official_set_active": AuditCase(
        call=lambda fx, _: Expect(
            "user.deactivate",
            services.official_set_active(
                actor=fx("administrator"), official=fx("reviewer"), active=False
            ),
            actor=fx("administrator"),
            changes=("is_active",),
        )
    ),
    "user_set_language": AuditCase(
        call=lambda fx, _: Expect(
            "user.set_language",
            services.user_set_language(actor=fx("reviewer"), language="zh-hans"),
            actor=fx("reviewer"),
            changes=("language",),
        )
    ),
    "api_token_create": AuditCase(
        call=lambda fx, _: Expect(
            "api_token.create", _token(fx), actor=fx("auditor"), changes=("name", "expires_at")
        )
    ),
    "api_token_revoke": AuditCase(
        setup=_token,
        call=lambda fx, token: Expect(
            "api_token.revoke",
            services.api_token_revoke(actor=fx("auditor"), token=token),
            actor=fx("auditor"),
        ),
    ),
    "password_changed": AuditCase(
        call=lambda fx, _: Expect(
            "user.password_change",
            services.password_changed(actor=fx("reviewer")) or fx("reviewer"),
            actor=fx("reviewer"),
        )
    ),
}

NOT_WRITES = {
    "invitation_for_token": "a lookup of an invitation by its token; writes nothing",
}
