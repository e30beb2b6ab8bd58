"""API shapes for producers. Nothing of the authority's internals: no internal notes, no reviewer
or approver identity, no recommendation or its reasons, no fast-track reason. Input serializers
check shape; the services hold the rules."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalogue.models import ItemForm
from apps.catalogue.selectors import catalogue_in_force
from apps.clients.models import PartyRole
from apps.core.countries import COUNTRY_CHOICES
from apps.licensing import selectors, selectors_producer
from apps.licensing.currencies import CURRENCY_CODES
from apps.licensing.models import (
    Application,
    ApplicationLine,
    Document,
    DocumentKind,
    EndUseSector,
    InformationRequest,
    Licence,
    LicenceLine,
    LicenceType,
    PaymentMethod,
    TradeMode,
    TransportMode,
    Unit,
)
from apps.licensing.services.applications import HEADER_FIELDS

# ---- output ------------------------------------------------------------------------------------


class LineOutSerializer(serializers.ModelSerializer):
    catalogue_entry_reference = serializers.CharField(
        source="catalogue_entry.reference", default=None, read_only=True
    )
    line_value = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)

    class Meta:
        model = ApplicationLine
        fields = [
            "position",
            "catalogue_entry",
            "catalogue_entry_reference",
            "form",
            "element_content_pct",
            "quantity",
            "unit",
            "unit_price",
            "currency",
            "line_value",
            "hs_code",
            "specification",
            "controlled_on_submission",
            "approved_quantity",
        ]
        read_only_fields = fields


class PartyOutSerializer(serializers.Serializer):
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client.legal_name")
    role = serializers.CharField()


class DocumentOutSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        return reverse("licensing:document_download", args=[document.pk])


class InformationRequestOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRequest
        fields = ["id", "question", "raised_on", "due_on", "status", "answer", "answered_at"]
        read_only_fields = fields


class HistoryOutSerializer(serializers.Serializer):
    action = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True, help_text="Your colleague; null: the authority")
    reason = serializers.CharField()


class ProducerApplicationSerializer(serializers.ModelSerializer):
    """One application as its producer sees it."""

    reference = serializers.CharField(read_only=True)
    expected_next = serializers.SerializerMethodField()
    lines = LineOutSerializer(many=True, read_only=True)
    parties = PartyOutSerializer(many=True, read_only=True)
    documents = DocumentOutSerializer(many=True, read_only=True)
    information_requests = InformationRequestOutSerializer(many=True, read_only=True)
    licence = serializers.SerializerMethodField()
    decision_reasons = serializers.SerializerMethodField()
    # A draft may leave these empty: as read-only strings the schema admits "" (a read-only
    # choice field would be documented as its enum only).
    trade_mode = serializers.CharField(read_only=True)
    payment_method = serializers.CharField(read_only=True)
    transport_mode = serializers.CharField(read_only=True)
    end_use_sector = serializers.CharField(read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "status",
            "expected_next",
            *HEADER_FIELDS,
            "copied_from",
            "conditions",
            "decision_reasons",
            "submitted_at",
            "accepted_on",
            "decided_at",
            "review_deadline",
            "created_at",
            "updated_at",
            "lines",
            "parties",
            "documents",
            "information_requests",
            "licence",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["complete_and_submit", "answer_request", "wait", "licence_issued", "none"]
        )
    )
    def get_expected_next(self, app) -> str:
        if app.status == "approved":
            return "licence_issued"
        if app.status in ("denied", "withdrawn", "lapsed"):
            return "none"
        return selectors.expected_of_producer(app)

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_licence(self, app) -> dict | None:
        licence = getattr(app, "licence", None) if app.status == "approved" else None
        return {"id": licence.pk, "number": licence.number} if licence else None

    def get_decision_reasons(self, app) -> str:
        """Only once decided: before that the field holds nothing meant for the producer."""
        return app.decision_reasons if app.decided_at else ""


class ProducerApplicationDetailSerializer(ProducerApplicationSerializer):
    """One application with its history as the producer may see it."""

    history = serializers.SerializerMethodField()

    class Meta(ProducerApplicationSerializer.Meta):
        fields = [*ProducerApplicationSerializer.Meta.fields, "history"]
        read_only_fields = fields

    @extend_schema_field(HistoryOutSerializer(many=True))
    def get_history(self, app) -> list:
        return HistoryOutSerializer(selectors_producer.producer_history(app), many=True).data


class LicenceLineOutSerializer(serializers.ModelSerializer):
    catalogue_entry_reference = serializers.CharField(
        source="catalogue_entry.reference", default=None, read_only=True
    )

    class Meta:
        model = LicenceLine
        fields = [
            "id",
            "catalogue_entry",
            "catalogue_entry_reference",
            "form",
            "hs_code",
            "quantity_granted",
            "balance",
            "unit",
        ]
        read_only_fields = fields


class ProducerLicenceSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id", read_only=True)
    lines = LicenceLineOutSerializer(many=True, read_only=True)

    class Meta:
        model = Licence
        fields = [
            "id",
            "number",
            "application",
            "licence_type",
            "status",
            "issued_on",
            "valid_until",
            "conditions",
            "destination_country",
            "port_of_exit",
            "transport_mode",
            "verification_code",
            "lines",
        ]
        read_only_fields = fields


# ---- input -------------------------------------------------------------------------------------


class LineInSerializer(serializers.Serializer):
    catalogue_entry = serializers.IntegerField(help_text="A catalogue entry in force today")
    form = serializers.ChoiceField(choices=ItemForm.choices)
    element_content_pct = serializers.DecimalField(
        max_digits=6,
        decimal_places=3,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        allow_null=True,
    )
    quantity = serializers.DecimalField(
        max_digits=18,
        decimal_places=3,
        min_value=Decimal("0.001"),
        error_messages={"min_value": _("The quantity must be positive.")},
    )
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.KG)
    unit_price = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages={"min_value": _("The unit price cannot be negative.")},
    )
    currency = serializers.CharField(max_length=3, help_text="ISO 4217, e.g. USD")
    hs_code = serializers.RegexField(
        r"^\d{10}$", error_messages={"invalid": _("Give the 10-digit HS code, digits only.")}
    )
    specification = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate_currency(self, value: str) -> str:
        value = value.upper()
        if value not in CURRENCY_CODES:
            raise serializers.ValidationError(_("Not an ISO 4217 currency code."))
        return value

    def validate_catalogue_entry(self, value: int):
        entry = catalogue_in_force(timezone.localdate()).filter(pk=value).first()
        if entry is None:
            raise serializers.ValidationError(
                _("This item is not in the catalogue in force today.")
            )
        return entry

    def validate(self, attrs):
        entry, form = attrs["catalogue_entry"], attrs["form"]
        if entry.forms and form not in entry.forms:
            raise serializers.ValidationError(
                {
                    "form": [
                        _("%(item)s is exported as: %(forms)s.")
                        % {"item": entry, "forms": ", ".join(entry.forms)}
                    ]
                }
            )
        return attrs


class PartyInSerializer(serializers.Serializer):
    client = serializers.IntegerField(help_text="A client of your client book")
    role = serializers.ChoiceField(choices=PartyRole.choices)


class ProducerApplicationWriteSerializer(serializers.Serializer):
    """A draft in one payload: header fields, and optionally the full list of lines and parties
    (each list replaces the previous one when given)."""

    licence_type = serializers.ChoiceField(choices=LicenceType.choices)
    contract_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contract_date = serializers.DateField(required=False, allow_null=True)
    trade_mode = serializers.ChoiceField(
        choices=TradeMode.choices, required=False, allow_blank=True
    )
    payment_method = serializers.ChoiceField(
        choices=PaymentMethod.choices, required=False, allow_blank=True
    )
    transport_mode = serializers.ChoiceField(
        choices=TransportMode.choices, required=False, allow_blank=True
    )
    port_of_exit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    destination_country = serializers.ChoiceField(
        choices=COUNTRY_CHOICES, required=False, allow_blank=True
    )
    final_destination = serializers.CharField(max_length=200, required=False, allow_blank=True)
    end_use = serializers.CharField(required=False, allow_blank=True)
    end_use_sector = serializers.ChoiceField(
        choices=EndUseSector.choices, required=False, allow_blank=True
    )
    lines = LineInSerializer(many=True, required=False)
    parties = PartyInSerializer(many=True, required=False)

    def validate_contract_date(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("The contract date cannot be in the future."))
        return value

    def service_header(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k in HEADER_FIELDS}

    def service_lines(self) -> list[dict] | None:
        lines = self.validated_data.get("lines")
        return None if lines is None else [dict(line) for line in lines]

    def service_parties(self) -> list[tuple[int, str]] | None:
        parties = self.validated_data.get("parties")
        return None if parties is None else [(p["client"], p["role"]) for p in parties]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="PDF, PNG or JPEG files (multipart)",
    )


# Producers attach every kind but answers to requests (those go with the answer itself).
UPLOAD_DOCUMENT_KINDS = [c for c in DocumentKind.choices if c[0] != DocumentKind.RFI_ANSWER]


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UPLOAD_DOCUMENT_KINDS)
    file = serializers.FileField()
