"""Applications and licences as auditor datasets (browsed and exported by apps.audit).

One row per application and per licence; the element filter matches a row when one of its lines
names the element (EXISTS, so a record with two such lines is still one row).
"""

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
from apps.licensing.workflow import ApplicationStatus, LicenceStatus


def _with_reference(qs):
    return qs.annotate(reference=padded_reference("APP-", 7))


register(
    Dataset(
        name="applications",
        label=_("Applications"),
        description=_("Every licence application, from draft to decision."),
        model="licensing.Application",
        columns=(
            Column("id", "id", _("Id"), kind="number"),
            Column("reference", "reference", _("Reference"), kind="code", sortable=False),
            Column("company", "organisation__legal_name", _("Company")),
            Column("company_id", "organisation_id", _("Company id"), kind="number"),
            Column("status", "status", _("Status"), kind="code"),
            Column("licence_type", "licence_type", _("Licence type"), kind="code"),
            Column("contract_number", "contract_number", _("Contract")),
            Column("contract_date", "contract_date", _("Contract date"), kind="date"),
            Column("trade_mode", "trade_mode", _("Trade mode"), kind="code"),
            Column("payment_method", "payment_method", _("Payment"), kind="code"),
            Column("transport_mode", "transport_mode", _("Transport"), kind="code"),
            Column("port_of_exit", "port_of_exit", _("Port of exit")),
            Column("destination_country", "destination_country", _("Destination"), kind="code"),
            Column("final_destination", "final_destination", _("Final destination")),
            Column("end_use", "end_use", _("End use"), sortable=False),
            Column("end_use_sector", "end_use_sector", _("End-use sector"), kind="code"),
            Column("fast_track", "fast_track", _("Fast track"), kind="bool"),
            Column("recommendation", "recommendation", _("Recommendation"), kind="code"),
            Column("created_by", "created_by__email", _("Created by")),
            Column("decided_by", "decided_by__email", _("Decided by")),
            Column("created_at", "created_at", _("Created"), kind="datetime"),
            Column("submitted_at", "submitted_at", _("Submitted"), kind="datetime"),
            Column("accepted_on", "accepted_on", _("Accepted"), kind="date"),
            Column("review_deadline", "review_deadline", _("Deadline"), kind="date"),
            Column("decided_at", "decided_at", _("Decided"), kind="datetime"),
            Column("licence_number", "licence__number", _("Licence"), kind="code"),
        ),
        filters=(
            *date_range("submitted_at", _("Submitted from"), _("Submitted to")),
            producer("organisation"),
            element("catalogue_entry__element", related="lines"),
            destination("destination_country"),
            status("status", ApplicationStatus.choices),
            search("contract_number", "organisation__legal_name", "licence__number"),
        ),
        order_by=("id",),
        default_sort="-id",
        prepare=_with_reference,
    )
)

register(
    Dataset(
        name="licences",
        label=_("Licences"),
        description=_("Every licence issued, its validity and its current status."),
        model="licensing.Licence",
        columns=(
            Column("id", "id", _("Id"), kind="number"),
            Column("number", "number", _("Number"), kind="code"),
            Column("company", "organisation__legal_name", _("Company")),
            Column("company_id", "organisation_id", _("Company id"), kind="number"),
            Column("application_id", "application_id", _("Application id"), kind="number"),
            Column("licence_type", "licence_type", _("Licence type"), kind="code"),
            Column("status", "status", _("Status"), kind="code"),
            Column("issued_on", "issued_on", _("Issued"), kind="date"),
            Column("valid_until", "valid_until", _("Valid until"), kind="date"),
            Column("destination_country", "destination_country", _("Destination"), kind="code"),
            Column("port_of_exit", "port_of_exit", _("Port of exit")),
            Column("transport_mode", "transport_mode", _("Transport"), kind="code"),
            Column("conditions", "conditions", _("Conditions"), sortable=False),
            Column("verification_code", "verification_code", _("Verification code"), "code"),
            Column("issued_by", "issued_by__email", _("Issued by")),
            Column("created_at", "created_at", _("Recorded"), kind="datetime"),
        ),
        filters=(
            *date_range("issued_on", _("Issued from"), _("Issued to")),
            producer("organisation"),
            element("catalogue_entry__element", related="lines"),
            destination("destination_country"),
            status("status", LicenceStatus.choices),
            search("number", "organisation__legal_name", "application__contract_number"),
        ),
        order_by=("id",),
        default_sort="-issued_on",
    )
)
