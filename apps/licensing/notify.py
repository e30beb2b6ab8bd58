"""Who hears about a change of a case or a licence, and where their notification points.

Called by services inside their transaction: `apps.notifications.notify` writes the in-app
notification and queues the e-mail through the outbox, so nothing leaves before the commit and a
rolled-back change tells nobody. Titles are lazy translations filled per recipient, so each one
reads them in their own language. Producers are sent to their own pages, officials to the case.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.roles import Role
from apps.notifications.services import notify

PRODUCER_ACTIONS = {
    "submit",
    "take",
    "request_information",
    "approve",
    "deny",
    "close_lapsed",
    "withdraw",
}

APPLICATION_TITLES = {
    "submit": _("%(ref)s was submitted"),
    "take": _("%(ref)s is under review"),
    "assign": _("%(ref)s was assigned to you for review"),
    "request_information": _("%(ref)s: the authority asks for information"),
    "answer_information": _("%(ref)s: the producer answered the request for information"),
    "close_lapsed": _("%(ref)s was closed: the request for information went unanswered"),
    "recommend": _("%(ref)s is reviewed and waits for a decision"),
    "send_back": _("%(ref)s was sent back for more review"),
    "approve": _("%(ref)s was approved"),
    "deny": _("%(ref)s was denied"),
    "withdraw": _("%(ref)s was withdrawn"),
}
LICENCE_TITLES = {
    "amendment_request": _("Licence %(number)s: an amendment waits for a decision"),
    "amendment_decision": _("Licence %(number)s: the amendment was decided"),
}
LICENCE_STATUS_TITLE = _("Licence %(number)s is now %(status)s")
STATUS_BODY = _("Status: %(status)s.")


def _company_users(organisation_id: int):
    return User.objects.filter(membership__organisation_id=organisation_id, is_active=True)


def _approvers():
    return User.objects.filter(groups__name=Role.APPROVER.value, is_active=True)


def recipients_for_application(app, action: str, actor) -> list[User]:
    return [user for _side, user in _application_audience(app, action, actor)]


def _application_audience(app, action: str, actor) -> list[tuple[str, User]]:
    """(side, user) pairs: "producer" for the company's staff, "official" for the authority."""
    people: dict[int, tuple[str, User]] = {}
    if action in PRODUCER_ACTIONS:
        people.update({u.pk: ("producer", u) for u in _company_users(app.organisation_id)})
    if (
        action in {"assign", "answer_information", "send_back", "withdraw"}
        and app.assigned_reviewer_id
    ):
        people[app.assigned_reviewer_id] = ("official", app.assigned_reviewer)
    if action == "recommend":
        people.update({u.pk: ("official", u) for u in _approvers()})
    if actor is not None:
        people.pop(actor.pk, None)
    return list(people.values())


def application_link(app, side: str) -> str:
    if side == "producer":
        return reverse("licensing:application_detail", args=[app.pk])
    return reverse("review:case_detail", args=[app.pk])


def application_changed(app, action: str, actor) -> None:
    audience = _application_audience(app, action, actor)
    params = {"ref": app.reference, "status": app.get_status_display()}
    for side in ("producer", "official"):
        recipients = [user for s, user in audience if s == side]
        if recipients:
            notify(
                recipients=recipients,
                kind=f"licensing.application.{action}",
                title=APPLICATION_TITLES.get(action, _("%(ref)s: %(status)s")),
                body=STATUS_BODY,
                params=params,
                link=application_link(app, side),
                obj=app,
            )


def licence_link(licence, side: str) -> str:
    if side == "producer":
        return reverse("licensing:licence_detail", args=[licence.pk])
    return reverse("review:licence_detail", args=[licence.pk])


def licence_changed(licence, action: str, actor) -> None:
    if action == "amendment_request":
        side, people = "official", {u.pk: u for u in _approvers()}
    else:
        side, people = "producer", {u.pk: u for u in _company_users(licence.organisation_id)}
    if actor is not None:
        people.pop(actor.pk, None)
    if not people:
        return
    notify(
        recipients=list(people.values()),
        kind=f"licensing.licence.{action}",
        title=LICENCE_TITLES.get(action, LICENCE_STATUS_TITLE),
        body=STATUS_BODY,
        params={"number": licence.number, "status": licence.get_status_display()},
        link=licence_link(licence, side),
        obj=licence,
    )
