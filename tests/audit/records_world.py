"""Records of every kind for the auditor datasets' tests: two companies, their clients,
licences (one with two lines of the same element) and transaction reports (one cancelled)."""

import datetime as dt

from django.utils import timezone

from apps.licensing.models import ApplicationLine, LicenceLine
from apps.transactions import services as tx_services
from apps.transactions.demo import demo_client, entry_for, make_licence
from apps.transactions.validation import LineInput
from tests.transactions.conftest import cdn, report_input

HOSTILE = '=HYPERLINK("http://evil.test","x")'


class Records:
    """Two companies: ours ships dysprosium to Germany, the other samarium to Korea."""

    def __init__(self, producer, other_producer):
        company = producer.membership.organisation
        other = other_producer.membership.organisation
        today = timezone.localdate()
        self.dysprosium = entry_for("1C905.a", "metal")
        self.samarium = entry_for("1C902.a", "metal")
        self.buyer = demo_client(company, producer, HOSTILE, "DE", "automotive")
        self.other_buyer = demo_client(other, other_producer, "Busan Magnetics", "KR", "wind")
        self.licence = make_licence(
            organisation=company,
            user=producer,
            end_user=self.buyer,
            entry=self.dysprosium,
            issued_on=today - dt.timedelta(days=60),
        )
        self.other_licence = make_licence(
            organisation=other,
            user=other_producer,
            end_user=self.other_buyer,
            entry=self.samarium,
            destination="KR",
            issued_on=today - dt.timedelta(days=10),
        )
        # A second dysprosium line on our application and licence: the element filter must
        # still give one row each.
        app_line = ApplicationLine.objects.create(
            application=self.licence.application,
            position=2,
            catalogue_entry=self.dysprosium,
            form="metal",
            quantity=5,
            unit="kg",
            unit_price=1,
            hs_code="2805301200",
        )
        LicenceLine.objects.create(
            licence=self.licence,
            application_line=app_line,
            catalogue_entry=self.dysprosium,
            form="metal",
            hs_code="2805301200",
            quantity_granted=5,
            unit="kg",
            balance=5,
        )
        dy_line = LineInput("1C905.a", "metal", "1", "kg", "350.00", "USD", "2805301200")
        old_loading = today - dt.timedelta(days=40)
        self.old_report = tx_services.transaction_report(
            actor=producer,
            data=report_input(
                self.licence,
                self.buyer,
                lines=[dy_line, dy_line],
                loading_date=old_loading,
                customs_declaration_number=cdn(old_loading, 1),
            ),
        )
        self.report = tx_services.transaction_report(
            actor=producer,
            data=report_input(
                self.licence, self.buyer, customs_declaration_number=cdn(today, 2), reference="PO-2"
            ),
        )
        tx_services.transaction_cancel(actor=producer, report=self.report, reason="typo")
        self.other_report = tx_services.transaction_report(
            actor=other_producer,
            data=report_input(
                self.other_licence,
                self.other_buyer,
                destination_country="KR",
                customs_declaration_number=cdn(today, 3),
                lines=[LineInput("1C902.a", "metal", "2", "kg", "90.00", "USD", "")],
            ),
        )
