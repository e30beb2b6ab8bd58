"""The producer's "Correct this report" page: prefilled, reason required, the new-report form's
messages, the effect on the licence balance, and a reversal plus a new report when filed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.licensing.models import LicenceLine
from apps.transactions import services
from apps.transactions.models import LedgerEntry, TransactionReport
from apps.transactions.validation import LineInput
from tests.transactions.conftest import report_input

pytestmark = pytest.mark.django_db


def file(producer, licence, buyer, quantity):
    return services.transaction_report(
        actor=producer,
        data=report_input(
            licence,
            buyer,
            lines=[LineInput("1C905.a", "metal", quantity, "kg", "350.00", "USD", "2805301200")],
            reference="PO-1",
        ),
    )


def posted(page, **changes) -> dict:
    """What the browser sends back for the prefilled form, with `changes`."""
    form, lines = page.context["form"], page.context["lines"]
    data = {
        name: field.value() if field.value() is not None else ""
        for name, field in ((f.html_name, f) for f in form)
    }
    data.update({f.html_name: f.value() or "" for line in lines for f in line})
    data.update({f.html_name: f.value() for f in lines.management_form})
    data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}
    data.update(changes)
    return data


def test_page_is_prefilled_from_the_report_and_shows_the_balance_effect(
    client_for, producer, licence, buyer
):
    report = file(producer, licence, buyer, "30")
    page = client_for(producer).get(reverse("transactions:report_correct", args=[report.pk]))
    assert page.status_code == 200
    form, lines = page.context["form"], page.context["lines"]
    assert form["reference"].value() == "PO-1"
    assert form["licence"].value() == licence.number
    assert form["purchaser"].value() == str(buyer.pk)
    assert lines.forms[0]["quantity"].value() == Decimal("30.000")
    assert len(lines.forms) == 3  # the report's line and two spare ones
    [row] = page.context["effect"]
    assert (row["left"], row["returned"], row["available"]) == (
        Decimal("70.000"),
        Decimal("30.000"),
        Decimal("100.000"),
    )
    assert b"100.000 kg" in page.content
    detail = client_for(producer).get(reverse("transactions:report_detail", args=[report.pk]))
    assert reverse("transactions:report_correct", args=[report.pk]).encode() in detail.content


def test_reason_is_required_and_nothing_changes_without_it(client_for, producer, licence, buyer):
    report = file(producer, licence, buyer, "30")
    client = client_for(producer)
    url = reverse("transactions:report_correct", args=[report.pk])
    answer = client.post(url, posted(client.get(url), reason="  "))
    assert answer.status_code == 200
    assert b"Give the reason for the correction." in answer.content
    assert TransactionReport.objects.get().status == "accepted"
    assert LedgerEntry.objects.count() == 1


def test_refusals_are_the_new_report_forms_and_count_what_the_reversal_gives_back(
    client_for, producer, licence, buyer
):
    report = file(producer, licence, buyer, "30")
    client = client_for(producer)
    url = reverse("transactions:report_correct", args=[report.pk])
    page = client.get(url)
    answer = client.post(
        url,
        posted(page, reason="Weighbridge", **{"lines-0-quantity": "120", "incoterm": "XYZ"}),
    )
    assert answer.status_code == 200
    assert b"Select a valid choice. XYZ is not one of the available choices." in answer.content
    answer = client.post(url, posted(page, reason="Weighbridge", **{"lines-0-quantity": "120"}))
    assert b"Line 1: 120.000 kg asked, the licence line has 100.000 kg left" in answer.content
    answer = client.post(url, posted(page, reason="Weighbridge", destination_country="FR"))
    assert f"differs from licence {licence.number}".encode() in answer.content
    assert TransactionReport.objects.get().status == "accepted"
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("70.000")


def test_filing_cancels_the_report_and_files_its_replacement(client_for, producer, licence, buyer):
    report = file(producer, licence, buyer, "30")
    client = client_for(producer)
    url = reverse("transactions:report_correct", args=[report.pk])
    answer = client.post(
        url,
        posted(client.get(url), reason="Weighbridge figure", **{"lines-0-quantity": "32.5"}),
        follow=True,
    )
    new = TransactionReport.objects.get(corrects=report)
    assert answer.redirect_chain[-1][0] == reverse("transactions:report_detail", args=[new.pk])
    assert f"Report {new.number} replaces {report.number}".encode() in answer.content
    assert f"Licence {licence.number}, 1C905.a: 67.500 kg left.".encode() in answer.content
    report.refresh_from_db()
    assert (report.status, report.cancel_reason) == ("cancelled", "Weighbridge figure")
    assert new.reference == "PO-1"
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("67.500")
    old_page = client.get(reverse("transactions:report_detail", args=[report.pk]))
    assert new.number.encode() in old_page.content
    # a cancelled report has no correction page any more
    again = client.get(url, follow=True)
    assert b"only an accepted report can be corrected" in again.content
    assert again.redirect_chain[-1][0] == reverse("transactions:report_detail", args=[report.pk])


def test_a_report_that_used_the_licence_up_can_be_corrected_and_the_licence_comes_back(
    client_for, producer, licence, buyer
):
    report = file(producer, licence, buyer, "100")
    licence.refresh_from_db()
    assert licence.status == "exhausted"
    client = client_for(producer)
    url = reverse("transactions:report_correct", args=[report.pk])
    page = client.get(url)
    assert b"is exhausted: the reversal gives it a balance again" in page.content
    client.post(url, posted(page, reason="Short shipment", **{"lines-0-quantity": "90"}))
    licence.refresh_from_db()
    assert licence.status == "active"
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("10.000")


def test_another_companys_report_is_not_found(client_for, producer, other_producer, licence, buyer):
    report = file(producer, licence, buyer, "1")
    url = reverse("transactions:report_correct", args=[report.pk])
    assert client_for(other_producer).get(url).status_code == 404
    assert client_for(other_producer).post(url, {"reason": "x"}).status_code == 404
