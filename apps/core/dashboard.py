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
    if role in (Role.REVIEWER, Role.APPROVER):
        context["review_counts"] = _review_counts(user)
    from apps.transactions.selectors import home_summary

    context["transactions"] = home_summary(user)
    return context


def _review_counts(user) -> dict[str, int]:
    from apps.licensing import clock
    from apps.licensing.selectors_official import preset_counts
    from apps.workcalendar.selectors import work_calendar

    return preset_counts(user, clock.today(), work_calendar())
