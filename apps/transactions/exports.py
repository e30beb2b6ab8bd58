"""Transactions as an auditor dataset: one row per transaction line, with its report's fields.

A line, not a report, is the unit an auditor reconciles: each names one catalogue item, form,
HS code, quantity and value, and is what a licence line's ledger draws down. A report's fields
(parties, dates, route, customs declaration) are repeated on each of its lines, so the file
filters, pivots and sums in a spreadsheet with no lookup; a report's totals are its lines
grouped by `report_id`. Every join is to one row (report, its company, parties and licence, the
line's catalogue entry), so the export never repeats or drops a line, and the element filter is
on the line itself.
"""

from django.db.models import CharField, F, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from apps.audit.datasets.registry import (
    Column,
    Dataset,
    date_range,
    destination,
    element,
    padded_reference,
    producer,
    register,
    search,
    status,
)


def _report_statuses():
    from apps.transactions.models import TransactionReport

    return TransactionReport.Status.choices


def _with_numbers(qs):
    return qs.annotate(
        report_number=padded_reference("TR-", 8, "report_id"),
        item=Concat(
            F("catalogue_entry__control_code"),
            Value("."),
            F("catalogue_entry__sub_item"),
            output_field=CharField(),
        ),
    )


TRANSACTIONS = register(
    Dataset(
        name="transactions",
        label=_("Transactions"),
        description=_(
            "Every line of every transaction report, with its report's parties, dates and route."
        ),
        model="transactions.TransactionLine",
        columns=(
            Column("line_id", "id", _("Line id"), kind="number"),
            Column("report_id", "report_id", _("Report id"), kind="number"),
            Column("report_number", "report_number", _("Report"), kind="code", sortable=False),
            Column("position", "position", _("Line"), kind="number", sortable=False),
            Column("reference", "report__reference", _("Producer's reference")),
            Column("company", "report__organisation__legal_name", _("Company")),
            Column("company_id", "report__organisation_id", _("Company id"), kind="number"),
            Column("licence_number", "report__licence__number", _("Licence"), kind="code"),
            Column("purchaser", "report__purchaser__legal_name", _("Purchaser")),
            Column(
                "purchaser_country", "report__purchaser__country", _("Purchaser country"), "code"
            ),
            Column("consignee", "report__consignee__legal_name", _("Consignee")),
            Column(
                "consignee_country", "report__consignee__country", _("Consignee country"), "code"
            ),
            Column("end_user", "report__end_user__legal_name", _("End user")),
            Column("end_user_country", "report__end_user__country", _("End user country"), "code"),
            Column("incoterm", "report__incoterm", _("Incoterm"), kind="code"),
            Column("contract_date", "report__contract_date", _("Contract"), kind="date"),
            Column("loading_date", "report__loading_date", _("Loading"), kind="date"),
            Column("departure_date", "report__departure_date", _("Departure"), kind="date"),
            Column("arrival_date", "report__arrival_date", _("Arrival"), kind="date"),
            Column("origin", "report__origin", _("Origin")),
            Column("destination_country", "report__destination_country", _("Destination"), "code"),
            Column("port_of_clearance", "report__port_of_clearance", _("Port of clearance")),
            Column(
                "customs_declaration_number",
                "report__customs_declaration_number",
                _("Customs declaration"),
                kind="code",
            ),
            Column("item", "item", _("Item"), kind="code", sortable=False),
            Column("element", "catalogue_entry__element", _("Element")),
            Column("form", "form", _("Form"), kind="code"),
            Column("hs_code", "hs_code", _("HS code"), kind="code"),
            Column("quantity", "quantity", _("Quantity"), kind="number"),
            Column("unit", "unit", _("Unit"), kind="code"),
            Column("quantity_kg", "quantity_kg", _("Quantity (kg)"), kind="number"),
            Column("value", "value", _("Value"), kind="number"),
            Column("currency", "currency", _("Currency"), kind="code"),
            Column("status", "report__status", _("Status"), kind="code"),
            Column("source", "report__source", _("Source"), kind="code"),
            Column("import_batch_id", "report__import_batch_id", _("Import"), kind="number"),
            Column("filed_at", "report__filed_at", _("Filed"), kind="datetime"),
            Column("screening_flag", "report__screening_flag", _("Screening flag"), "bool"),
        ),
        filters=(
            *date_range("report__loading_date", _("Loaded from"), _("Loaded to")),
            producer("report__organisation"),
            element("catalogue_entry__element"),
            destination("report__destination_country"),
            status("report__status", _report_statuses),
            search(
                "report__reference",
                "report__customs_declaration_number",
                "report__licence__number",
                "report__purchaser__legal_name",
                "report__consignee__legal_name",
                "report__end_user__legal_name",
                label=_("Reference, declaration, licence or party"),
            ),
        ),
        order_by=("id",),
        default_sort="-line_id",
        prepare=_with_numbers,
        timeline=False,  # the trail records reports, not lines
    )
)
