"""Client records, the real-world entities behind them, the lists and screening hits.

Nothing here is ever hard-deleted: applications and transaction reports will point at client
records with PROTECT, so a record leaves a book by being archived (`archived_at`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from apps.core.vocabulary import Sector


class PartyRole(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser")
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee", _("Intermediate consignee")
    CONSIGNEE = "consignee", _("Consignee")
    END_USER = "end_user", _("End user")


class RegistrationKind(models.TextChoices):
    COMPANY_REGISTER = "company_register", _("Company register number")
    VAT = "vat", _("VAT / tax number")
    LEI = "lei", _("Legal entity identifier (LEI)")
    DUNS = "duns", _("D-U-N-S number")
    CORPORATE_NUMBER = "corporate_number", _("Corporate number (Japan)")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration number (Korea)")
    EIN = "ein", _("Employer identification number (US)")
    OTHER = "other", _("Other")


class ScreeningStatus(models.TextChoices):
    NOT_SCREENED = "not_screened", _("Not screened")
    CLEAR = "clear", _("Clear")
    REVIEW = "review", _("Possible match under review")
    WATCH = "watch", _("Watch list")
    CONTROL = "control", _("Control list")


class ClientEntity(models.Model):
    """One real-world firm behind the client records that several producers keep of it."""

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    name_norm = models.CharField(max_length=300, db_index=True, editable=False)
    reg_norm = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("client entities")
        indexes = [models.Index(fields=["country", "reg_norm"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


class Client(models.Model):
    """A client as one producer records it in its own client book."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="clients"
    )
    legal_name = models.CharField(_("legal name (Latin script)"), max_length=200)
    native_name = models.CharField(_("name in native script"), max_length=200, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    country = CountryField(_("country"))
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    registration_kind = models.CharField(
        _("kind of registration number"),
        max_length=30,
        choices=RegistrationKind.choices,
        blank=True,
    )
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    roles = models.JSONField(_("roles it can play"), default=list)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
    )
    ownership_pct = models.DecimalField(
        _("share owned by the parent (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    entity = models.ForeignKey(
        ClientEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="clients"
    )
    entity_pinned = models.BooleanField(
        default=False, help_text=_("An official set this link; automatic linking leaves it alone.")
    )
    name_norm = models.CharField(max_length=300, editable=False, db_index=True)
    reg_norm = models.CharField(max_length=64, blank=True, editable=False)
    screening_status = models.CharField(
        max_length=20,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.NOT_SCREENED,
        db_index=True,
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reg_norm"],
                condition=Q(archived_at__isnull=True) & ~Q(reg_norm=""),
                name="client_reg_unique_in_book",
            ),
            models.CheckConstraint(
                condition=Q(ownership_pct__isnull=True)
                | (Q(ownership_pct__gt=0) & Q(ownership_pct__lte=100)),
                name="client_ownership_pct_range",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(ownership_pct__isnull=False),
                name="client_parent_needs_ownership_pct",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "archived_at"])]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def get_roles_display(self) -> list[str]:
        labels = dict(PartyRole.choices)
        return [str(labels.get(r, r)) for r in self.roles]


class ListKind(models.TextChoices):
    CONTROL = "control", _("Control list")
    WATCH = "watch", _("Watch list")


class ListEntry(models.Model):
    """A party on the control list or the watch list, as the authority published it."""

    kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=300)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    country = CountryField(_("country"), blank=True)
    identifiers = models.JSONField(_("identifiers"), default=list, blank=True)
    reason = models.TextField(_("reason for listing"))
    listed_on = models.DateField(_("listed on"))
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("list entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(delisted_on__isnull=True) | Q(delisted_on__gte=models.F("listed_on")),
                name="listentry_delisted_after_listed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.get_kind_display()}]"

    def is_in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.listed_on <= on and (self.delisted_on is None or self.delisted_on > on)


class ListEntryTerm(models.Model):
    """One searchable form of a list entry: a normalised name (or alias) or an identifier.

    Names carry GIN trigram indexes on PostgreSQL (migration 0002) so candidate search is an index
    lookup, never a scan of the list in Python.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("Name")
        IDENTIFIER = "id", _("Identifier")

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    value = models.CharField(max_length=300, db_index=True)
    key = models.CharField(
        max_length=300, blank=True, help_text="matching.search_key of a name: what is searched"
    )

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return self.value


class ScreeningHit(models.Model):
    """A possible match of a client record with a list entry, for a reviewer to decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")
        LAPSED = "lapsed", _("No longer matching")

    class Basis(models.TextChoices):
        NAME = "name", _("Name / identifiers")
        OWNERSHIP = "ownership", _("Owned 50 % or more by a listed party")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="hits")
    list_entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="hits")
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.NAME)
    score = models.PositiveSmallIntegerField()
    matched_fields = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    fingerprint = models.CharField(
        max_length=64, help_text=_("Hash of the client and list entry data the decision was on.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "list_entry"], name="hit_client_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client} ~ {self.list_entry.name} ({self.score})"


class EntityLinkChange(models.Model):
    """An official's merge or split of entity links, with the reason: shown on the entity page."""

    class Action(models.TextChoices):
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split off")

    action = models.CharField(max_length=10, choices=Action.choices)
    from_entity = models.ForeignKey(
        ClientEntity, on_delete=models.PROTECT, related_name="link_changes_out"
    )
    to_entity = models.ForeignKey(
        ClientEntity, on_delete=models.PROTECT, related_name="link_changes_in"
    )
    client_ids = models.JSONField(default=list)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.from_entity_id} -> {self.to_entity_id}"
