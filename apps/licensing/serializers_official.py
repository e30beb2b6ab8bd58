"""API shapes for officials only: the queue, the whole case (with internal notes and screening
hits), licences and amendments, and the inputs of their actions.

Never reuse these for producers: they carry internal notes and list hits. Inputs check shape
only; the services apply the rules (state, four-eyes, limits).
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.clients.models import ScreeningHit
from apps.licensing import selectors_official
from apps.licensing.models import (
    Amendment,
    Application,
    ApplicationLine,
    ApplicationParty,
    ApplicationTransition,
    Document,
    InformationRequest,
    InternalNote,
    Licence,
    LicenceLine,
    LicenceTransition,
    Recommendation,
)


class _Person(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class _Clock(serializers.Serializer):
    days_used = serializers.IntegerField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    provisional = serializers.BooleanField()
    paused = serializers.BooleanField()


def _clock(app, context) -> dict:
    reading = selectors_official.row_clock(app, context["calendar"], context["today"])
    return {
        "days_used": reading.used,
        "days_left": reading.left,
        "deadline": reading.deadline,
        "overdue": reading.overdue,
        "provisional": reading.provisional,
        "paused": reading.paused,
    }


class QueueRowSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    # Plain strings, not enums: the same field names carry other choice sets elsewhere in the API.
    status = serializers.CharField(read_only=True, help_text="Application status")
    end_use_sector = serializers.CharField(read_only=True)
    organisation = serializers.SerializerMethodField()
    assigned_reviewer = _Person(allow_null=True, read_only=True)
    items = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "organisation",
            "status",
            "licence_type",
            "destination_country",
            "end_use_sector",
            "fast_track",
            "assigned_reviewer",
            "submitted_at",
            "items",
            "clock",
        ]

    def get_organisation(self, app) -> dict:
        return {"id": app.organisation_id, "legal_name": app.organisation.legal_name}

    def get_items(self, app) -> str:
        return selectors_official.lines_summary(app)

    @extend_schema_field(_Clock)
    def get_clock(self, app) -> dict:
        return _clock(app, self.context)


class LineSerializer(serializers.ModelSerializer):
    control_code = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationLine
        fields = [
            "id",
            "position",
            "control_code",
            "form",
            "element_content_pct",
            "quantity",
            "unit",
            "unit_price",
            "currency",
            "hs_code",
            "specification",
            "controlled_on_submission",
            "approved_quantity",
        ]

    def get_control_code(self, line) -> str:
        entry = line.catalogue_entry
        return f"{entry.control_code}.{entry.sub_item}" if entry else ""


class HitSerializer(serializers.ModelSerializer):
    list_entry = serializers.CharField(source="list_entry.name")
    list_kind = serializers.CharField(source="list_entry.kind")

    class Meta:
        model = ScreeningHit
        fields = ["id", "list_entry", "list_kind", "basis", "score", "matched_fields", "status"]


class PartySerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    hits = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationParty
        fields = ["role", "client", "hits"]

    def get_client(self, party) -> dict:
        client = party.client
        return {
            "id": client.pk,
            "legal_name": client.legal_name,
            "native_name": client.native_name,
            "country": client.country.code,
            "registration_number": client.registration_number,
            "screening_status": client.screening_status,
        }

    def get_hits(self, party) -> list[dict]:
        hits = self.context["hits"].get(party.client_id, [])
        return HitSerializer(hits, many=True).data


class DocumentSerializer(serializers.ModelSerializer):
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

    def get_download_url(self, document) -> str:
        return reverse("review:document_download", args=[document.pk])


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationTransition
        fields = [
            "action",
            "from_status",
            "to_status",
            "actor_label",
            "reason",
            "occurred_on",
            "created_at",
        ]


class RfiSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRequest
        fields = ["id", "question", "raised_on", "due_on", "status", "answer", "answered_at"]


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.email")

    class Meta:
        model = InternalNote
        fields = ["id", "author", "body", "created_at"]


class CaseSerializer(QueueRowSerializer):
    """The whole case as officials see it: internal notes and screening hits included."""

    reviewed_by = _Person(allow_null=True, read_only=True)
    decided_by = _Person(allow_null=True, read_only=True)
    lines = LineSerializer(many=True, read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    information_requests = RfiSerializer(many=True, read_only=True)
    notes = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(QueueRowSerializer.Meta):
        fields = [
            *QueueRowSerializer.Meta.fields,
            "contract_number",
            "contract_date",
            "trade_mode",
            "payment_method",
            "transport_mode",
            "port_of_exit",
            "final_destination",
            "end_use",
            "fast_track_reason",
            "accepted_on",
            "reviewed_by",
            "recommendation",
            "recommendation_reasons",
            "decided_by",
            "decision_reasons",
            "conditions",
            "lines",
            "parties",
            "documents",
            "transitions",
            "information_requests",
            "notes",
            "available_actions",
        ]

    def get_notes(self, app) -> list[dict]:
        return NoteSerializer(self.context["notes"], many=True).data

    def get_available_actions(self, app) -> list[str]:
        return sorted(self.context["actions"])


class LicenceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceLine
        fields = ["id", "form", "hs_code", "quantity_granted", "unit", "balance"]


class LicenceTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceTransition
        fields = ["action", "from_status", "to_status", "actor_label", "reason", "created_at"]


class AmendmentSerializer(serializers.ModelSerializer):
    licence_number = serializers.CharField(source="licence.number", read_only=True)
    status = serializers.CharField(read_only=True, help_text="requested, granted, refused")

    class Meta:
        model = Amendment
        fields = [
            "id",
            "licence",
            "licence_number",
            "requested_on",
            "changes",
            "justification",
            "status",
            "decided_at",
            "decision_reason",
        ]


class LicenceSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="Licence status")
    lines = LicenceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Licence
        fields = [
            "id",
            "number",
            "application",
            "organisation",
            "licence_type",
            "status",
            "issued_on",
            "valid_until",
            "conditions",
            "destination_country",
            "port_of_exit",
            "transport_mode",
            "lines",
        ]

    def get_organisation(self, licence) -> dict:
        return {"id": licence.organisation_id, "legal_name": licence.organisation.legal_name}


class LicenceDetailSerializer(LicenceSerializer):
    transitions = LicenceTransitionSerializer(many=True, read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)

    class Meta(LicenceSerializer.Meta):
        fields = [*LicenceSerializer.Meta.fields, "transitions", "amendments"]


# -- inputs -----------------------------------------------------------------------------------


class AssignInput(serializers.Serializer):
    reviewer = serializers.IntegerField(help_text="User id of an active reviewer")


class RfiInput(serializers.Serializer):
    question = serializers.CharField()


class RecommendInput(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    reasons = serializers.CharField()


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class NoteInput(serializers.Serializer):
    body = serializers.CharField()


class FastTrackInput(serializers.Serializer):
    fast_track = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("deny", "deny")])
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    approved_quantities = serializers.DictField(
        child=serializers.DecimalField(max_digits=18, decimal_places=3, min_value=0),
        required=False,
        allow_null=True,
        default=None,
        help_text="{line id: granted quantity}; lines left out are granted in full",
    )

    def validate_approved_quantities(self, value):
        if value is None:
            return None
        try:
            return {int(key): quantity for key, quantity in value.items()}
        except (TypeError, ValueError):
            raise serializers.ValidationError("Keys are line ids.") from None


class AmendmentDecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("grant", "grant"), ("refuse", "refuse")])
    reason = serializers.CharField()
