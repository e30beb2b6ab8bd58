"""What each role's home page shows. Later capabilities add their own figures here."""

from apps.core.roles import Role


def home_context(user, role: Role) -> dict:
    from apps.accounts import selectors as account_selectors

    context: dict = {"role": role}
    if role in (Role.PRODUCER_ADMIN, Role.PRODUCER_STAFF):
        organisation = user.membership.organisation
        context["organisation"] = organisation
        context["member_count"] = (
            account_selectors.member_list_for(user).filter(is_active=True).count()
        )
        from apps.licensing.selectors_producer import producer_summary

        context["licensing"] = producer_summary(user)
    else:
        context["pending_organisations"] = (
            account_selectors.organisation_list_for(user).filter(status="pending").count()
        )
    return context
