"""Transaction reports, their lines, the ledger against licence balances, bulk imports,
idempotency keys of the API and monthly flow returns.

Reports and ledger entries are never edited in place: a cancellation or correction writes
reversing ledger entries (and a new report for a correction). The bulk-loaded tables
(reports, lines, ledger) carry no row-level triggers so COPY stays fast; the ledger has
statement-level guards against UPDATE / DELETE (migration 0002) and TRUNCATE (0005) on
PostgreSQL, which cost nothing on insert.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 18, "decimal_places": 3}
MONEY = {"max_digits": 18, "decimal_places": 2}


class Incoterm(models.TextChoices):
    """Incoterms 2020."""

    EXW = "EXW", _("EXW — Ex Works")
    FCA = "FCA", _("FCA — Free Carrier")
    CPT = "CPT", _("CPT — Carriage Paid To")
    CIP = "CIP", _("CIP — Carriage and Insurance Paid To")
    DAP = "DAP", _("DAP — Delivered at Place")
    DPU = "DPU", _("DPU — Delivered at Place Unloaded")
    DDP = "DDP", _("DDP — Delivered Duty Paid")
    FAS = "FAS", _("FAS — Free Alongside Ship")
    FOB = "FOB", _("FOB — Free on Board")
    CFR = "CFR", _("CFR — Cost and Freight")
    CIF = "CIF", _("CIF — Cost, Insurance and Freight")


class Source(models.TextChoices):
    FORM = "form", _("Browser form")
    UPLOAD = "upload", _("Bulk upload")
    API = "api", _("API")


class ImportBatch(models.Model):
    """One uploaded file: its preview, its processing and, once committed, the reports it made."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to commit")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Refused at commit")
        DISCARDED = "discarded", _("Discarded")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)  # csv / xlsx / json
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    # The checked rows, rendered for COPY: the commit loads them without checking every row
    # again when nothing they were checked against has changed (see services/imports.py).
    staged = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.VALIDATING, db_index=True
    )
    row_count = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"line": n, "message": "..."}]
    totals = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same file is imported once: a second upload of it is refused while the first
            # is pending or imported (a refused or discarded one imported nothing).
            models.UniqueConstraint(
                fields=["organisation", "sha256"],
                condition=Q(
                    status__in=["validating", "valid", "invalid", "committing", "committed"]
                ),
                name="import_batch_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.filename})"

    @property
    def progress_pct(self) -> int:
        if self.status in (self.Status.COMMITTED, self.Status.VALID, self.Status.INVALID):
            return 100
        if not self.row_count:
            return 0
        return min(100, int(self.rows_checked * 100 / self.row_count))


class TransactionReport(models.Model):
    """One export shipment as the producer reported it."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="transaction_reports",
        db_index=False,  # (organisation, loading_date) below serves every lookup by company
    )
    reference = models.CharField(_("your reference"), max_length=60, blank=True)
    licence = models.ForeignKey(
        "licensing.Licence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transaction_reports",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    purchaser = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    consignee = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    end_user = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    incoterm = models.CharField(max_length=3, choices=Incoterm.choices)
    contract_date = models.DateField(_("contract date"))
    loading_date = models.DateField(_("loading date"))
    departure_date = models.DateField(_("departure date"))
    arrival_date = models.DateField(_("arrival date"))
    origin = models.CharField(_("origin"), max_length=100)
    destination_country = models.CharField(_("destination country"), max_length=2)
    port_of_clearance = models.CharField(_("port of customs clearance"), max_length=100)
    customs_declaration_number = models.CharField(_("customs declaration number"), max_length=18)
    total_kg = models.DecimalField(**QUANTITY)
    screening_flag = models.BooleanField(default=False)
    screening_hits = models.JSONField(default=list, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    filed_at = models.DateTimeField()
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        db_index=False,
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-loading_date", "-id"]
        indexes = [models.Index(fields=["organisation", "loading_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_date__lte=models.F("loading_date"))
                & Q(loading_date__lte=models.F("departure_date"))
                & Q(departure_date__lte=models.F("arrival_date")),
                name="report_dates_in_order",
            ),
            models.CheckConstraint(condition=Q(total_kg__gt=0), name="report_total_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"TR-{self.pk:08d}" if self.pk else "TR-new"


class TransactionLine(models.Model):
    report = models.ForeignKey(TransactionReport, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    catalogue_entry = models.ForeignKey(
        "catalogue.CatalogueEntry", on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(max_length=10)
    hs_code = models.CharField(max_length=10, blank=True)
    quantity = models.DecimalField(**QUANTITY)
    unit = models.CharField(max_length=2)
    quantity_kg = models.DecimalField(**QUANTITY)
    licence_line = models.ForeignKey(
        "licensing.LicenceLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transaction_lines",
    )
    # The quantity in the licence line's unit: what the ledger drew down.
    quantity_licence_unit = models.DecimalField(null=True, blank=True, **QUANTITY)
    value = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="tx_line_quantity_positive"),
            models.CheckConstraint(condition=Q(value__gte=0), name="tx_line_value_not_negative"),
            models.CheckConstraint(
                condition=Q(licence_line__isnull=True) | Q(quantity_licence_unit__gt=0),
                name="tx_line_drawn_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.position}"


class LedgerEntry(models.Model):
    """Append-only movements of a licence line: balance == granted - sum(amount).

    A draw has a positive amount, a reversal the negative of what it gives back. A bulk import
    draws each licence line once for the whole file (linked to its ImportBatch)."""

    class Kind(models.TextChoices):
        DRAW = "draw", _("Draw-down")
        REVERSAL = "reversal", _("Reversal")

    licence_line = models.ForeignKey(
        "licensing.LicenceLine", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(**QUANTITY)
    balance_after = models.DecimalField(**QUANTITY)
    report = models.ForeignKey(
        TransactionReport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        db_index=False,
    )
    transaction_line = models.ForeignKey(
        TransactionLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["licence_line", "id"]
        indexes = [models.Index(fields=["licence_line", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="draw") & Q(amount__gt=0))
                | (Q(kind="reversal") & Q(amount__lt=0)),
                name="ledger_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="ledger_balance_after_not_negative"
            ),
            models.UniqueConstraint(
                fields=["transaction_line"],
                condition=Q(kind="reversal"),
                name="ledger_line_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on line {self.licence_line_id}"


class IdempotencyKey(models.Model):
    """An API request key: claimed first inside the request's transaction, then holding the
    answer, so a retry (in a row or at once) gets the same answer and files nothing twice."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class MonthlyReturn(models.Model):
    """A producer's confirmation of one month's flows (due by the 10th of the next month)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="monthly_returns"
    )
    month = models.DateField(help_text=_("First day of the month"))
    nil_return = models.BooleanField(default=False)
    totals = models.JSONField(default=dict)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="monthly_return_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_return_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"
