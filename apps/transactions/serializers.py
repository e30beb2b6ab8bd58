"""API shapes: reports as producers see them; officials also see the company and flags.

Input is read by `importing.json_to_input` and checked by the same rules as the form and the
files (validation.py), so the API gives the same specific messages."""

from rest_framework import serializers

from apps.transactions.models import TransactionLine, TransactionReport


class ReportLineSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="catalogue_entry.reference", read_only=True)

    class Meta:
        model = TransactionLine
        fields = [
            "position",
            "item",
            "form",
            "hs_code",
            "quantity",
            "unit",
            "quantity_kg",
            "quantity_licence_unit",
            "value",
            "currency",
        ]
        read_only_fields = fields


class ProducerReportSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    licence_number = serializers.CharField(source="licence.number", read_only=True, default="")
    lines = ReportLineSerializer(many=True, read_only=True)

    class Meta:
        model = TransactionReport
        fields = [
            "id",
            "number",
            "reference",
            "status",
            "source",
            "licence_number",
            "purchaser",
            "consignee",
            "end_user",
            "incoterm",
            "contract_date",
            "loading_date",
            "departure_date",
            "arrival_date",
            "origin",
            "destination_country",
            "port_of_clearance",
            "customs_declaration_number",
            "total_kg",
            "screening_flag",
            "filed_at",
            "import_batch",
            "corrects",
            "cancelled_at",
            "cancel_reason",
            "lines",
        ]
        read_only_fields = fields


class OfficialReportSerializer(ProducerReportSerializer):
    organisation = serializers.CharField(source="organisation.legal_name", read_only=True)
    screening_hits = serializers.JSONField(read_only=True)

    class Meta(ProducerReportSerializer.Meta):
        fields = [*ProducerReportSerializer.Meta.fields, "organisation", "screening_hits"]
        read_only_fields = fields


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the shipment is withdrawn; kept with the reversing entry."
    )


class CorrectionSerializer(serializers.Serializer):
    """The corrected report: every field of a new report (as `POST /transactions/`, with its
    `lines`) plus the reason. The rules and messages are the same as for a new report."""

    reason = serializers.CharField(
        max_length=2000, help_text="Why the report is corrected; kept with the reversing entry."
    )
