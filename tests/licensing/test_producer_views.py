"""Every producer action through the pages, with bad input changing nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.licensing import services
from apps.licensing.models import Amendment, Application, Document
from apps.licensing.workflow import ApplicationStatus as S
from tests.licensing.conftest import make_client, pdf

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"licensing:{name}", args=args)


@pytest.fixture
def web(client_for, producer):
    return client_for(producer)


def line_post(entry, **overrides):
    return {
        "catalogue_entry": entry.pk,
        "form": "metal",
        "element_content_pct": "99.5",
        "quantity": "120.5",
        "unit": "kg",
        "unit_price": "350.00",
        "currency": "EUR",
        "hs_code": "2805301200",
        "specification": "Dy ≥ 99.5 %",
        **overrides,
    }


def test_empty_list_tells_the_producer_to_start_one(web):
    page = web.get(url("application_list")).content.decode()
    assert "You have no applications yet" in page
    assert url("application_create") in page


def test_create_a_draft_with_the_licence_type_only(web, producer):
    response = web.post(url("application_create"), {"licence_type": "single"})
    app = Application.objects.get()
    assert response.status_code == 302
    assert response.url == url("application_detail", app.pk)
    assert app.status == S.DRAFT
    assert app.created_by == producer


def test_create_without_licence_type_says_so_and_creates_nothing(web):
    response = web.post(url("application_create"), {"contract_number": "X"})
    assert response.status_code == 200
    assert "Choose single or general." in response.content.decode()
    assert not Application.objects.exists()


def test_header_edit_saves_and_future_contract_date_is_refused(web, make_draft):
    app = make_draft()
    response = web.post(
        url("application_header", app.pk),
        {"licence_type": "single", "contract_number": "C-9", "contract_date": "2999-01-01"},
    )
    assert "cannot be in the future" in response.content.decode()
    app.refresh_from_db()
    assert app.contract_number == "C-2026-001"
    response = web.post(
        url("application_header", app.pk),
        {"licence_type": "general", "contract_number": "C-9", "destination_country": "JP"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.licence_type, app.contract_number, app.destination_country) == (
        "general",
        "C-9",
        "JP",
    )


def test_unknown_destination_country_is_refused(web, make_draft):
    app = make_draft()
    response = web.post(
        url("application_header", app.pk), {"licence_type": "single", "destination_country": "XX"}
    )
    assert "Unknown country" in response.content.decode()
    app.refresh_from_db()
    assert app.destination_country == "DE"


def test_add_edit_and_remove_a_line(web, make_draft, dysprosium):
    app = make_draft()
    response = web.post(url("line_add", app.pk), line_post(dysprosium))
    assert response.status_code == 302
    assert app.lines.count() == 2
    line = app.lines.get(position=2)
    assert (line.quantity, line.currency, line.line_value) == (
        Decimal("120.500"),
        "EUR",
        Decimal("42175.00"),
    )
    page = web.get(url("application_detail", app.pk)).content.decode()
    assert "42175.00 EUR" in page
    web.post(url("line_edit", app.pk, 2), line_post(dysprosium, quantity="10"))
    assert app.lines.get(position=2).quantity == Decimal("10")
    web.post(url("line_remove", app.pk, 1))
    assert list(app.lines.values_list("position", "quantity")) == [(1, Decimal("10.000"))]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": "0"}, "The quantity must be positive."),
        ({"unit_price": "-1"}, "The unit price cannot be negative."),
        ({"hs_code": "28053012"}, "Give the 10-digit HS code"),
        ({"currency": "XYZ"}, "Select a valid choice"),
        ({"form": "oxide"}, "is exported as"),
        ({"element_content_pct": "101"}, "less than or equal to 100"),
        ({"catalogue_entry": "999999"}, "not in the catalogue in force today"),
    ],
)
def test_bad_line_input_names_the_field_and_changes_nothing(
    web, make_draft, dysprosium, overrides, message
):
    app = make_draft()
    before = list(app.lines.values())
    response = web.post(url("line_add", app.pk), line_post(dysprosium, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(app.lines.values()) == before


def test_suspended_catalogue_entry_is_not_offered(web, make_draft, dysprosium):
    app = make_draft()
    dysprosium.suspended_until = date(2999, 1, 1)
    dysprosium.save()
    page = web.get(url("line_add", app.pk)).content.decode()
    assert f'value="{dysprosium.pk}"' not in page


def test_parties_selects_offer_only_clients_able_to_play_the_role(
    web, make_draft, company, producer
):
    app = make_draft()
    only_buyer = make_client(company, producer, "Only Purchaser KK", ["purchaser"], country="JP")
    archived = make_client(company, producer, "Archived AG", ["end_user"])
    archived.archived_at = "2025-01-01T00:00Z"
    archived.save()
    page = web.get(url("application_parties", app.pk)).content.decode()
    purchaser_select = page.split('name="purchaser"')[1].split("</select>")[0]
    end_user_select = page.split('name="end_user"')[1].split("</select>")[0]
    assert "Only Purchaser KK" in purchaser_select
    assert "Only Purchaser KK" not in end_user_select
    assert "Archived AG" not in end_user_select
    assert reverse("clients:client_create") in page
    # A forged post naming the purchaser-only client as end user is refused, nothing changes.
    before = sorted(app.parties.values_list("client_id", "role"))
    response = web.post(
        url("application_parties", app.pk),
        {"purchaser": only_buyer.pk, "consignee": "", "end_user": only_buyer.pk},
    )
    assert "recorded as a possible end user" in response.content.decode()
    assert sorted(app.parties.values_list("client_id", "role")) == before
    web.post(url("application_parties", app.pk), {"purchaser": only_buyer.pk})
    assert list(app.parties.values_list("client_id", "role")) == [(only_buyer.pk, "purchaser")]


def test_other_companys_client_cannot_be_named(web, make_draft, other_company, other_producer):
    app = make_draft()
    foreign = make_client(other_company, other_producer, "Foreign GmbH", ["purchaser"])
    before = sorted(app.parties.values_list("client_id", "role"))
    response = web.post(url("application_parties", app.pk), {"purchaser": foreign.pk})
    assert response.status_code == 200
    assert sorted(app.parties.values_list("client_id", "role")) == before


def test_upload_lists_and_removes_documents(web, make_draft):
    app = make_draft()
    response = web.post(url("document_upload", app.pk), {"kind": "other", "file": pdf("x.pdf")})
    assert response.status_code == 302
    doc = app.documents.get(kind="other")
    page = web.get(url("application_detail", app.pk)).content.decode()
    assert "x.pdf" in page
    assert url("document_download", doc.pk) in page
    web.post(url("document_remove", app.pk, doc.pk))
    assert not app.documents.filter(kind="other").exists()


def test_upload_of_a_non_pdf_is_refused_with_a_message(web, make_draft):
    app = make_draft()
    count = app.documents.count()
    fake = SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = web.post(url("document_upload", app.pk), {"kind": "other", "file": fake})
    assert response.status_code == 200
    assert "Only PDF, PNG or JPEG files are accepted." in response.content.decode()
    response = web.post(url("document_upload", app.pk), {"kind": "", "file": pdf()})
    assert "Choose the kind of document." in response.content.decode()
    assert app.documents.count() == count


def test_completeness_panel_lists_every_missing_piece_with_links(web, producer):
    app = services.application_create(actor=producer, data={"licence_type": "general"})
    page = web.get(url("application_detail", app.pk)).content.decode()
    problems = services.completeness_problems(app)
    assert len(problems) > 10
    for problem in problems:
        assert problem in page
    assert 'href="#parties"' in page
    assert 'href="#documents"' in page
    assert 'href="#lines"' in page
    assert 'href="#header"' in page


def test_submit_incomplete_shows_every_problem_and_stays_a_draft(web, producer):
    app = services.application_create(actor=producer, data={"licence_type": "single"})
    response = web.post(url("application_submit", app.pk))
    page = response.content.decode()
    assert 'data-testid="submit-errors"' in page
    assert "Add at least one line item." in page
    assert "Attach the end-user certificate." in page
    app.refresh_from_db()
    assert app.status == S.DRAFT


def test_submit_complete_then_double_submit_is_a_conflict_message(web, make_draft):
    app = make_draft()
    assert "Ready to submit" in web.get(url("application_detail", app.pk)).content.decode()
    response = web.post(url("application_submit", app.pk))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    response = web.post(url("application_submit", app.pk), follow=True)
    assert "no longer possible" in response.content.decode()
    assert app.transitions.filter(action="submit").count() == 1


def test_editing_a_submitted_application_is_refused(web, make_draft, advance, dysprosium):
    app = advance(make_draft(), S.SUBMITTED)
    response = web.post(url("line_add", app.pk), line_post(dysprosium), follow=True)
    assert "Only a draft can be changed" in response.content.decode()
    assert app.lines.count() == 1
    response = web.post(url("application_header", app.pk), {"licence_type": "general"})
    app.refresh_from_db()
    assert app.licence_type == "single"


def test_withdraw_needs_a_reason_then_withdraws(web, make_draft, advance):
    app = advance(make_draft(), S.UNDER_REVIEW)
    response = web.post(url("application_withdraw", app.pk), {"reason": ""})
    assert "Give a reason." in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW
    web.post(url("application_withdraw", app.pk), {"reason": "Contract cancelled"})
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN


def test_forged_withdraw_of_a_draft_is_refused(web, make_draft):
    app = make_draft()
    response = web.post(url("application_withdraw", app.pk), {"reason": "x"}, follow=True)
    assert "no longer possible" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.DRAFT


def test_copy_makes_a_new_draft_without_documents(web, make_draft, advance):
    app = advance(make_draft(), S.WITHDRAWN)
    response = web.post(url("application_copy", app.pk))
    copy = Application.objects.exclude(pk=app.pk).get()
    assert response.url == url("application_detail", copy.pk)
    assert (copy.status, copy.copied_from_id, copy.lines.count(), copy.documents.count()) == (
        S.DRAFT,
        app.pk,
        1,
        0,
    )


def test_list_shows_what_is_expected_next_with_filters_and_search(
    web, make_draft, advance, producer
):
    draft = make_draft()
    waiting = advance(make_draft(destination_country="JP"), S.INFORMATION_REQUESTED)
    rfi = waiting.information_requests.get()
    page = web.get(url("application_list")).content.decode()
    assert "Complete and submit" in page
    assert f"Answer the request by {rfi.due_on:%Y-%m-%d}" in page
    page = web.get(url("application_list"), {"destination": "JP"}).content.decode()
    assert waiting.reference in page
    assert draft.reference not in page
    page = web.get(url("application_list"), {"status": "draft"}).content.decode()
    assert draft.reference in page
    assert waiting.reference not in page
    page = web.get(url("application_list"), {"q": draft.reference}).content.decode()
    assert draft.reference in page
    assert waiting.reference not in page
    page = web.get(url("application_list"), {"sort": "-reference"}).content.decode()
    assert page.index(waiting.reference) < page.index(draft.reference)
    page = web.get(url("application_list"), {"status": "approved"}).content.decode()
    assert "No application matches these filters." in page


def test_answer_a_request_with_an_attachment(web, make_draft, advance):
    app = advance(make_draft(), S.INFORMATION_REQUESTED)
    page = web.get(url("rfi_answer", app.pk)).content.decode()
    assert "Send the EUC." in page
    assert "working days left" in page
    response = web.post(
        url("rfi_answer", app.pk), {"answer": "Attached.", "attachments": [pdf("euc2.pdf")]}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW
    assert app.information_requests.get().answer == "Attached."
    assert app.documents.filter(kind="rfi_answer", original_name="euc2.pdf").exists()


def test_answer_with_a_bad_attachment_sends_nothing(web, make_draft, advance):
    app = advance(make_draft(), S.INFORMATION_REQUESTED)
    fake = SimpleUploadedFile("a.pdf", b"MZ not a pdf", "application/pdf")
    response = web.post(url("rfi_answer", app.pk), {"answer": "Here", "attachments": [fake]})
    assert response.status_code == 200
    assert "Only PDF, PNG or JPEG" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.INFORMATION_REQUESTED
    assert not app.documents.filter(kind="rfi_answer").exists()
    response = web.post(url("rfi_answer", app.pk), {"answer": ""})
    assert "Write your answer." in response.content.decode()


def test_producer_never_sees_recommendation_reasons_or_reviewer(web, make_draft, advance, reviewer):
    app = make_draft()
    services.application_submit(actor=app.created_by, application=app)
    services.application_take(actor=reviewer, application=app)
    services.application_recommend(
        actor=reviewer, application=app, recommendation="deny", reasons="SECRET-REASONING"
    )
    services.note_add(actor=reviewer, application=app, body="SECRET-NOTE")
    page = web.get(url("application_detail", app.pk)).content.decode()
    assert "SECRET-REASONING" not in page
    assert "SECRET-NOTE" not in page
    assert reviewer.email not in page
    assert "The authority" in page


@pytest.fixture
def licence(make_draft, advance):
    return advance(make_draft(), S.APPROVED).licence


def test_licence_list_and_detail_show_balances(web, licence):
    page = web.get(url("licence_list")).content.decode()
    assert licence.number in page
    assert "100 / 100 kg" in page
    page = web.get(url("licence_detail", licence.pk)).content.decode()
    assert "Surrender the licence" in page
    assert "100 %" in page
    page = web.get(url("licence_list"), {"status": "revoked"}).content.decode()
    assert "No licence matches these filters." in page


def test_licence_list_is_empty_for_a_company_without_licences(web):
    page = web.get(url("licence_list")).content.decode()
    assert "No licences yet" in page


def test_surrender_needs_a_reason(web, licence):
    response = web.post(url("licence_surrender", licence.pk), {"reason": " "})
    assert "Give a reason." in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == "active"
    web.post(url("licence_surrender", licence.pk), {"reason": "Contract ended"})
    licence.refresh_from_db()
    assert licence.status == "surrendered"
    response = web.post(url("licence_surrender", licence.pk), {"reason": "again"}, follow=True)
    assert "no longer possible" in response.content.decode()


def test_amendment_request_and_its_refusals(web, licence):
    page = web.get(url("licence_amend", licence.pk)).content.decode()
    assert "needs a new application" in page or "new application" in page
    response = web.post(url("licence_amend", licence.pk), {"justification": "x"})
    assert "Change at least one of" in response.content.decode()
    response = web.post(
        url("licence_amend", licence.pk),
        {"valid_until": "2999-01-01", "justification": "Longer contract"},
    )
    assert "The validity can run up to" in response.content.decode()
    assert not Amendment.objects.exists()
    response = web.post(
        url("licence_amend", licence.pk), {"port_of_exit": "Ningbo", "justification": "New route"}
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.changes == {"port_of_exit": ["Shanghai", "Ningbo"]}
    response = web.post(
        url("licence_amend", licence.pk), {"port_of_exit": "Dalian", "justification": "Again"}
    )
    assert Amendment.objects.count() == 1


def test_other_company_gets_404_on_every_object(client_for, other_producer, make_draft, licence):
    app = make_draft()
    web = client_for(other_producer)
    for name in ("application_detail", "application_header", "line_add", "rfi_answer"):
        assert web.get(url(name, app.pk)).status_code == 404
    assert web.post(url("application_submit", app.pk)).status_code == 404
    assert web.get(url("licence_detail", licence.pk)).status_code == 404
    doc = Document.objects.filter(application=app).first()
    assert web.get(url("document_download", doc.pk)).status_code == 404


def test_home_page_counts_and_links(web, make_draft, advance, licence):
    make_draft()
    waiting = advance(make_draft(), S.INFORMATION_REQUESTED)
    due = waiting.information_requests.get().due_on
    page = web.get(reverse("core:home")).content.decode()
    assert 'data-testid="draft-count">1<' in page
    assert 'data-testid="answers-owed">1<' in page
    assert 'data-testid="active-licences">1<' in page
    assert f"next due {due:%Y-%m-%d}" in page
    assert url("rfi_answer", waiting.pk) in page
    assert "Nothing is waiting for you" not in page


def test_home_page_of_a_new_company_says_nothing_is_waiting(web):
    page = web.get(reverse("core:home")).content.decode()
    assert "Nothing is waiting for you" in page
    assert url("application_create") in page


def test_navigation_shows_applications_and_licences_to_producers_only(web, client_for, reviewer):
    page = web.get(reverse("core:home")).content.decode()
    assert url("application_list") in page
    assert url("licence_list") in page
    page = client_for(reviewer).get(reverse("core:home")).content.decode()
    assert url("application_list") not in page
