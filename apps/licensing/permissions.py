"""Who someone is *to a case*: the actor kinds of workflow.py, shared by views, API and services."""

from apps.core.roles import Role, has_role, is_producer


def is_linked(user, organisation_id: int) -> bool:
    """A declared link between an official and a company: they never act on its cases."""
    cache = getattr(user, "_licensing_links", None)
    if cache is None:
        cache = set(user.company_links.values_list("organisation_id", flat=True))
        user._licensing_links = cache
    return organisation_id in cache


def owns(user, application) -> bool:
    membership = getattr(user, "membership", None)
    return (
        is_producer(user)
        and membership is not None
        and membership.organisation_id == application.organisation_id
        and membership.organisation.is_verified
    )


def application_actor_kinds(user, application) -> set[str]:
    kinds: set[str] = set()
    if not user.is_authenticated or not user.is_active:
        return kinds
    if owns(user, application):
        kinds.add("producer")
        return kinds
    if is_linked(user, application.organisation_id):
        return kinds
    if has_role(user, Role.REVIEWER):
        kinds.add("reviewer")
        if application.assigned_reviewer_id == user.pk:
            kinds.add("assigned_reviewer")
    if has_role(user, Role.APPROVER):
        kinds.add("supervisor")
        if application.reviewed_by_id != user.pk and application.assigned_reviewer_id != user.pk:
            kinds.add("approver")
    return kinds


def licence_actor_kinds(user, licence) -> set[str]:
    kinds: set[str] = set()
    if not user.is_authenticated or not user.is_active:
        return kinds
    membership = getattr(user, "membership", None)
    if is_producer(user) and membership and membership.organisation_id == licence.organisation_id:
        kinds.add("producer")
    elif has_role(user, Role.APPROVER) and not is_linked(user, licence.organisation_id):
        kinds.add("approver")
    return kinds


def can_view_application(user, application) -> bool:
    if has_role(user, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR):
        return True
    membership = getattr(user, "membership", None)
    return bool(membership and membership.organisation_id == application.organisation_id)


def can_edit_draft(user, application) -> bool:
    return owns(user, application) and application.status == "draft"


def can_see_internal_notes(user) -> bool:
    return has_role(user, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)


def can_mark_fast_track(user, application) -> bool:
    return bool({"reviewer", "supervisor"} & application_actor_kinds(user, application))
