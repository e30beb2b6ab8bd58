"""Users and organisations as auditor datasets (browsed and exported by apps.audit)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.datasets.registry import (
    Column,
    Dataset,
    Filter,
    date_range,
    producer,
    register,
    search,
    status,
)


def _organisation_statuses():
    from apps.accounts.models import Organisation

    return Organisation.Status.choices


register(
    Dataset(
        name="users",
        label=_("Users"),
        description=_("Every account: producers' staff, officials, auditors, administrators."),
        model="accounts.User",
        columns=(
            Column("id", "id", _("Id"), kind="number"),
            Column("email", "email", _("E-mail")),
            Column("full_name", "full_name", _("Name")),
            Column("organisation", "membership__organisation__legal_name", _("Company")),
            Column("organisation_id", "membership__organisation_id", _("Company id"), "number"),
            Column("producer_role", "membership__role", _("Producer role"), kind="code"),
            Column("is_active", "is_active", _("Active"), kind="bool"),
            Column("date_joined", "date_joined", _("Joined"), kind="datetime"),
            Column("last_login", "last_login", _("Last sign-in"), kind="datetime"),
        ),
        filters=(
            *date_range("date_joined", _("Joined from"), _("Joined to")),
            producer("membership__organisation"),
            Filter(
                "status",
                _("Status"),
                "is_active",
                "choice",
                choices=(("1", _("Active")), ("0", _("Deactivated"))),
            ),
            search("email", "full_name"),
        ),
        order_by=("id",),
        default_sort="email",
    )
)

register(
    Dataset(
        name="organisations",
        label=_("Organisations"),
        description=_("Producer companies and their verification status."),
        model="accounts.Organisation",
        columns=(
            Column("id", "id", _("Id"), kind="number"),
            Column("legal_name", "legal_name", _("Legal name")),
            Column("native_name", "native_name", _("Chinese name")),
            Column("uscc", "uscc", _("Credit code"), kind="code"),
            Column("province", "province", _("Province")),
            Column("status", "status", _("Status"), kind="code"),
            Column("status_reason", "status_reason", _("Reason"), sortable=False),
            Column("created_at", "created_at", _("Registered"), kind="datetime"),
            Column("verified_at", "verified_at", _("Verified"), kind="datetime"),
        ),
        filters=(
            *date_range("created_at", _("Registered from"), _("Registered to")),
            producer("pk"),
            status("status", _organisation_statuses),
            search("legal_name", "native_name", "uscc", "province"),
        ),
        order_by=("id",),
        default_sort="legal_name",
    )
)
