"""Pieces built in parallel, connected: licence pages link the printable licence, its PDF and
its ledger; the case page links parties to their entity and hits; officials' decisions need a
recent re-authentication and bring the official back to the page that holds the form."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.urls import reverse

from apps.clients.services.entities import link_entity
from apps.core.security.sessions import AUTH_AT
from apps.licensing.models import Amendment, Licence
from apps.licensing.workflow import ApplicationStatus as S
from tests.licensing import official_world as ow
from tests.otp import totp_code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(producer, reviewer, approver):
    return ow.licence(producer, reviewer, approver)


def stale(client):
    """Pretend the user last typed their password longer ago than RECENT_AUTH_MAX_AGE."""
    session = client.session
    session[AUTH_AT] = time.time() - settings.RECENT_AUTH_MAX_AGE - 5
    session.save()
    return client


def reauth_target(response) -> str:
    assert response.status_code == 302
    parsed = urlparse(response.url)
    assert parsed.path == reverse("accounts:reauthenticate")
    return parse_qs(parsed.query)["next"][0]


# -- links -----------------------------------------------------------------------------------


def test_holder_licence_page_links_print_pdf_and_ledger(client_for, producer, licence):
    client = client_for(producer)
    page = client.get(reverse("licensing:licence_detail", args=[licence.pk])).content.decode()
    for name in ("review:licence_print", "review:licence_pdf", "transactions:licence_ledger"):
        assert reverse(name, args=[licence.pk]) in page
    # and the holder may follow them
    assert client.get(reverse("review:licence_print", args=[licence.pk])).status_code == 200
    pdf = client.get(reverse("review:licence_pdf", args=[licence.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    ledger = client.get(reverse("transactions:licence_ledger", args=[licence.pk]))
    assert ledger.status_code == 200
    assert reverse("licensing:licence_detail", args=[licence.pk]) in ledger.content.decode()


def test_other_producer_cannot_follow_the_holder_links(client_for, other_producer, licence):
    client = client_for(other_producer)
    for name in ("review:licence_print", "review:licence_pdf", "transactions:licence_ledger"):
        assert client.get(reverse(name, args=[licence.pk])).status_code == 404


def test_official_licence_page_links_the_ledger(client_for, auditor, licence):
    client = client_for(auditor)
    page = client.get(reverse("review:licence_detail", args=[licence.pk])).content.decode()
    ledger_url = reverse("transactions:licence_ledger", args=[licence.pk])
    assert ledger_url in page
    ledger = client.get(ledger_url).content.decode()
    assert reverse("review:licence_detail", args=[licence.pk]) in ledger


def test_case_page_links_parties_to_their_entity(client_for, reviewer, producer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    party = app.parties.select_related("client").first()
    link_entity(party.client)  # what the clients service does when a client is saved
    party.client.refresh_from_db()
    assert party.client.entity_id
    page = client_for(reviewer).get(reverse("review:case_detail", args=[app.pk])).content.decode()
    assert reverse("clients:entity_detail", args=[party.client.entity_id]) in page


# -- recent re-authentication before decisions ------------------------------------------------


def test_stale_session_cannot_decide_a_case(client_for, reviewer, approver, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    client = stale(client_for(approver))
    response = client.post(
        reverse("review:case_decide", args=[app.pk]),
        {"decision": "deny", "reasons": "Listed end user."},
    )
    assert reauth_target(response) == reverse("review:case_detail", args=[app.pk])
    assert ow.refreshed(app).status == S.REVIEWED


def test_reauthenticated_approver_decides(client_for, reviewer, approver, producer, password):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    client = stale(client_for(approver))
    back = reverse("review:case_detail", args=[app.pk])
    confirmed = client.post(
        f"{reverse('accounts:reauthenticate')}?next={back}",
        {"password": password, "token": totp_code_for(approver)},
    )
    assert confirmed.status_code == 302
    assert confirmed.url == back
    response = client.post(
        reverse("review:case_decide", args=[app.pk]),
        {"decision": "deny", "reasons": "Listed end user."},
    )
    assert response.status_code == 302
    assert ow.refreshed(app).status == S.DENIED


def test_stale_session_cannot_suspend_or_revoke(client_for, approver, licence):
    client = stale(client_for(approver))
    transition = reverse("review:licence_transition", args=[licence.pk])
    for action in ("suspend", "revoke"):
        response = client.post(transition, {"action": action, "reason": "Audit"})
        assert reauth_target(response) == reverse("review:licence_detail", args=[licence.pk])
    assert Licence.objects.get(pk=licence.pk).status == "active"


def test_stale_session_cannot_decide_an_amendment(client_for, approver, producer, licence):
    amendment = ow.amendment(producer, licence)
    client = stale(client_for(approver))
    response = client.post(
        reverse("review:amendment_decide", args=[amendment.pk]),
        {"decision": "grant", "reason": "Fine"},
    )
    assert reauth_target(response) == reverse("review:licence_detail", args=[licence.pk])
    assert Amendment.objects.get(pk=amendment.pk).status == "requested"


def test_decision_views_carry_the_recent_auth_decorator():
    from apps.licensing.views import official

    for view in (official.case_decide, official.licence_transition, official.amendment_decide):
        assert getattr(view, "recent_auth_max_age", "missing") != "missing", view.__name__


def test_stale_session_still_reads_the_case(client_for, reviewer, approver, producer):
    """Reading is not a decision: a GET is never sent to re-authenticate."""
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    client = stale(client_for(approver))
    assert client.get(reverse("review:case_detail", args=[app.pk])).status_code == 200


# -- home pages show transaction and return figures ------------------------------------------


def test_producer_home_shows_shipments_and_returns(client_for, producer):
    page = client_for(producer).get(reverse("core:home")).content.decode()
    assert 'data-testid="reports-this-month"' in page
    assert 'data-testid="returns-open"' in page
    assert reverse("transactions:returns") in page


def test_official_home_shows_shipments_and_missing_returns(client_for, reviewer):
    page = client_for(reviewer).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-reports"' in page
    assert 'data-testid="returns-missing"' in page
    assert reverse("transactions:search") in page
