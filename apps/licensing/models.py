"""Applications, their review, and the licences they lead to."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.vocabulary import Sector
from apps.licensing.workflow import OPEN_APPLICATION_STATES, ApplicationStatus, LicenceStatus

QUANTITY = {"max_digits": 18, "decimal_places": 3}
MONEY = {"max_digits": 18, "decimal_places": 2}


class LicenceType(models.TextChoices):
    SINGLE = "single", _("Single (individual)")
    GENERAL = "general", _("General")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    T = "t", _("tonnes")
    G = "g", _("grams")


UNIT_TO_KG = {Unit.KG: Decimal("1"), Unit.T: Decimal("1000"), Unit.G: Decimal("0.001")}


# An end use is described in the same sectors as a client.
EndUseSector = Sector


class TransportMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    RAIL = "rail", _("Rail")
    ROAD = "road", _("Road")
    MULTIMODAL = "multimodal", _("Multimodal")


class TradeMode(models.TextChoices):
    GENERAL_TRADE = "general_trade", _("General trade")
    PROCESSING = "processing", _("Processing trade")
    OTHER = "other", _("Other")


class PaymentMethod(models.TextChoices):
    TT = "tt", _("Telegraphic transfer")
    LC = "lc", _("Letter of credit")
    DC = "dc", _("Documentary collection")
    OTHER = "other", _("Other")


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DENY = "deny", _("Deny")


# The officials' queue shows these by default (partial indexes below).
OPEN_CASES = Q(status__in=sorted(OPEN_APPLICATION_STATES))


class Application(models.Model):
    """A licence application. Its status changes only through services and the workflow table."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    status = models.CharField(
        max_length=30, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    licence_type = models.CharField(_("licence type"), max_length=10, choices=LicenceType.choices)
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    trade_mode = models.CharField(
        _("trade mode"), max_length=20, choices=TradeMode.choices, blank=True
    )
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    transport_mode = models.CharField(
        _("transport mode"), max_length=12, choices=TransportMode.choices, blank=True
    )
    port_of_exit = models.CharField(_("port of exit"), max_length=100, blank=True)
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)
    final_destination = models.CharField(_("final destination"), max_length=200, blank=True)
    end_use = models.TextField(_("end use"), blank=True)
    end_use_sector = models.CharField(
        _("end-use sector"), max_length=15, choices=EndUseSector.choices, blank=True
    )
    # Set by officials only.
    fast_track = models.BooleanField(_("fast track"), default=False)
    fast_track_reason = models.CharField(max_length=300, blank=True)
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    recommendation_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True, help_text=_("Day 0 of the review clock"))
    decided_at = models.DateTimeField(null=True, blank=True)
    # The review clock, derived from the transition history at each transition and recomputed
    # when the calendar changes; kept on the row so the queue filters and sorts in SQL.
    clock_used_days = models.PositiveIntegerField(default=0)
    clock_running_since = models.DateField(null=True, blank=True)
    review_deadline = models.DateField(null=True, blank=True, db_index=True)
    deadline_provisional = models.BooleanField(default=False)
    # The catalogue entries its lines name (distinct ids, ascending), written with the lines by
    # the services: the queue filters by element on the row instead of joining every line.
    catalogue_entry_ids = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        # The queue reads a page in index order instead of sorting every matching row: each sort
        # column is followed by the id that breaks ties, ascending also when the column descends
        # (hence the "-" twins). A status filter uses the first two; the open cases (the default
        # view, four states) use the partial ones, as an IN list cannot give one order.
        indexes = [
            models.Index(
                fields=["status", "review_deadline", "id"], name="lic_app_status_deadline"
            ),
            models.Index(
                fields=["status", "-review_deadline", "id"], name="lic_app_status_deadline_desc"
            ),
            # The queue filtered by status and sorted by submission (e.g. approved, newest first).
            models.Index(fields=["status", "submitted_at"]),
            models.Index(
                fields=["review_deadline", "id"], condition=OPEN_CASES, name="lic_app_open_deadline"
            ),
            models.Index(
                fields=["-review_deadline", "id"],
                condition=OPEN_CASES,
                name="lic_app_open_deadline_desc",
            ),
            models.Index(
                fields=["submitted_at", "id"], condition=OPEN_CASES, name="lic_app_open_submitted"
            ),
            models.Index(fields=["status", "id"], condition=OPEN_CASES, name="lic_app_open_status"),
            models.Index(
                fields=["-status", "id"], condition=OPEN_CASES, name="lic_app_open_status_desc"
            ),
            # Fast-track cases are few: counted from this index rather than found among all.
            models.Index(
                fields=["status"], condition=Q(fast_track=True), name="lic_app_fast_track"
            ),
            models.Index(fields=["organisation", "status"]),
            # A producer's own list, most recently changed first.
            models.Index(fields=["organisation", "updated_at"], name="lic_app_org_updated"),
            models.Index(fields=["assigned_reviewer", "status"]),
            models.Index(fields=["destination_country"]),
            models.Index(fields=["end_use_sector"]),
        ]
        permissions = [
            ("review_application", "Can review applications"),
            ("decide_application", "Can decide applications"),
            ("assign_application", "Can assign applications to reviewers"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"APP-{self.pk:07d}" if self.pk else "APP-new"


class ApplicationLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    catalogue_entry = models.ForeignKey(
        "catalogue.CatalogueEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    form = models.CharField(_("form"), max_length=10)
    element_content_pct = models.DecimalField(
        _("element content (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=2, choices=Unit.choices, default=Unit.KG)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    hs_code = models.CharField(_("HS code"), max_length=10)
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    # Filled at submission: was the item controlled by the catalogue in force on that day?
    controlled_on_submission = models.BooleanField(null=True)
    # Filled at decision: what the approver granted (may be less than asked, or zero).
    approved_quantity = models.DecimalField(null=True, blank=True, **QUANTITY)

    class Meta:
        ordering = ["application", "position"]
        # The queue's element filter: catalogue entry ids -> applications, from the index alone.
        indexes = [models.Index(fields=["catalogue_entry", "application"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="line_position_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="line_price_not_negative"),
            models.CheckConstraint(
                condition=Q(approved_quantity__isnull=True)
                | (Q(approved_quantity__gte=0) & Q(approved_quantity__lte=F("quantity"))),
                name="line_approved_within_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} line {self.position}"

    @property
    def line_value(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class ApplicationParty(models.Model):
    """A client of the producer's book named on the application in one role."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parties")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "client", "role"], name="party_unique_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.client}"


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contract copy")
    TECHNICAL = "technical", _("Technical description or test report")
    END_USER_CERTIFICATE = "end_user_certificate", _("End-user certificate")
    END_USE_STATEMENT = "end_use_statement", _("End-use statement")
    COMPLIANCE_PROGRAMME = "compliance_programme", _("Internal compliance programme")
    RFI_ANSWER = "rfi_answer", _("Attachment to an answer")
    OTHER = "other", _("Other")


REQUIRED_DOCUMENTS = [
    DocumentKind.CONTRACT,
    DocumentKind.TECHNICAL,
    DocumentKind.END_USER_CERTIFICATE,
    DocumentKind.END_USE_STATEMENT,
]


class Document(models.Model):
    """An uploaded file, stored under a server-generated name and served only as a download."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    information_request = models.ForeignKey(
        "licensing.InformationRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationTransition(models.Model):
    """One step of the history; the review clock is computed from these rows."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    occurred_on = models.DateField(help_text=_("Calendar day in the authority's time zone"))

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} -> {self.to_status}"


class InformationRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        LAPSED = "lapsed", _("Lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="open"),
                name="one_open_rfi_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"RFI {self.pk} on {self.application.reference}"


class InternalNote(models.Model):
    """Officials' notes on a case. Never shown to producers, never in a producer serializer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.application_id}"


class OfficialLink(models.Model):
    """An official's declared link to a company: they never act on its cases."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_links"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="official_links"
    )
    reason = models.CharField(max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["official", "organisation"], name="official_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} ~ {self.organisation}"


class LicenceNumberSequence(models.Model):
    """The last licence number issued per year; locked row per year keeps numbers gapless."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Licence(models.Model):
    number = models.CharField(max_length=20, unique=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="licence"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="licences"
    )
    licence_type = models.CharField(max_length=10, choices=LicenceType.choices)
    status = models.CharField(
        max_length=15, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE
    )
    issued_on = models.DateField()
    valid_until = models.DateField()
    conditions = models.TextField(blank=True)
    destination_country = models.CharField(max_length=2)
    # Non-key elements, changed by amendment; key elements (items, destination, end user,
    # end use) never change: a change to them needs a new application.
    port_of_exit = models.CharField(max_length=100)
    transport_mode = models.CharField(max_length=12, choices=TransportMode.choices)
    verification_code = models.CharField(max_length=16)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("issued_on")), name="licence_valid_range"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "valid_until"]),
            # The licence lists: a page in index order for each sort (newest first by default),
            # ties broken by ascending id (hence the status twins).
            models.Index(fields=["-issued_on", "id"], name="lic_licence_issued"),
            models.Index(fields=["status", "issued_on"], name="lic_licence_status_issued"),
            models.Index(fields=["valid_until", "id"], name="lic_licence_valid_until"),
            models.Index(fields=["status", "id"], name="lic_licence_status"),
            models.Index(fields=["-status", "id"], name="lic_licence_status_desc"),
        ]

    def __str__(self) -> str:
        return self.number


class LicenceLine(models.Model):
    """Per line, the quantity granted and what is left. Balance never goes below zero."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="lines")
    application_line = models.OneToOneField(
        ApplicationLine, on_delete=models.PROTECT, related_name="+"
    )
    catalogue_entry = models.ForeignKey(
        "catalogue.CatalogueEntry", null=True, on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(max_length=10)
    hs_code = models.CharField(max_length=10)
    quantity_granted = models.DecimalField(**QUANTITY)
    unit = models.CharField(max_length=2, choices=Unit.choices)
    balance = models.DecimalField(**QUANTITY)

    class Meta:
        ordering = ["licence", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_granted__gt=0), name="licence_line_granted_positive"
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="licence_line_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(balance__lte=F("quantity_granted")),
                name="licence_line_balance_within_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence.number} / {self.hs_code}"


class LicenceTransition(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.licence_id}: {self.from_status} -> {self.to_status}"


class Amendment(models.Model):
    """A change of a non-key element of a licence (port, transport, validity)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="amendments")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_on = models.DateField()
    changes = models.JSONField(help_text=_("{field: [old, new]}"))
    justification = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} of {self.licence.number}"
