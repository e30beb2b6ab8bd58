"""Who hears about a change of a case or a licence. Called by services inside their transaction;
delivery happens after commit."""

from apps.accounts.models import User
from apps.core.mail import send_templated_on_commit
from apps.core.roles import Role

PRODUCER_ACTIONS = {
    "submit",
    "take",
    "request_information",
    "approve",
    "deny",
    "close_lapsed",
    "withdraw",
}


def _company_users(organisation_id: int):
    return User.objects.filter(membership__organisation_id=organisation_id, is_active=True)


def _approvers():
    return User.objects.filter(groups__name=Role.APPROVER.value, is_active=True)


def recipients_for_application(app, action: str, actor) -> list[User]:
    people: dict[int, User] = {}
    if action in PRODUCER_ACTIONS:
        people.update({u.pk: u for u in _company_users(app.organisation_id)})
    if (
        action in {"assign", "answer_information", "send_back", "withdraw"}
        and app.assigned_reviewer_id
    ):
        people[app.assigned_reviewer_id] = app.assigned_reviewer
    if action == "recommend":
        people.update({u.pk: u for u in _approvers()})
    if actor is not None:
        people.pop(actor.pk, None)
    return list(people.values())


def application_changed(app, action: str, actor) -> None:
    for user in recipients_for_application(app, action, actor):
        send_templated_on_commit(
            template="licensing/email/application_changed",
            to=user.email,
            language=user.language,
            context={"application": app, "action": action, "user": user},
        )


def licence_changed(licence, action: str, actor) -> None:
    people = {u.pk: u for u in _company_users(licence.organisation_id)}
    if action == "amendment_request":
        people = {u.pk: u for u in _approvers()}
    if actor is not None:
        people.pop(actor.pk, None)
    for user in people.values():
        send_templated_on_commit(
            template="licensing/email/licence_changed",
            to=user.email,
            language=user.language,
            context={"licence": licence, "action": action, "user": user},
        )
