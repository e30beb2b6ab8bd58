"""API shapes, one per audience: producers see their own records, officials see entities and hits.

Input serializers check shape only; the services apply the rules (country, duplicates, cycles).
"""

from rest_framework import serializers

from apps.clients.models import (
    Client,
    ClientEntity,
    PartyRole,
    RegistrationKind,
    ScreeningHit,
    Sector,
)
from apps.core.countries import COUNTRY_CHOICES


class ProducerClientSerializer(serializers.ModelSerializer):
    """A producer's own client record. No entity, hit or list details: those are the officials'."""

    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    country = serializers.ChoiceField(
        choices=COUNTRY_CHOICES, help_text="ISO 3166 alpha-2, e.g. DE"
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=PartyRole.choices), min_length=1
    )
    sector = serializers.ChoiceField(choices=Sector.choices)
    registration_kind = serializers.ChoiceField(
        choices=RegistrationKind.choices, required=False, allow_blank=True, default=""
    )
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)
    ownership_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, default=None
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "legal_name",
            "native_name",
            "aliases",
            "country",
            "registration_number",
            "registration_kind",
            "address",
            "website",
            "sector",
            "roles",
            "contact_name",
            "contact_email",
            "contact_phone",
            "parent",
            "ownership_pct",
            "screening_status",
            "screened_at",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = [
            "id",
            "screening_status",
            "screened_at",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        extra_kwargs = {
            "native_name": {"required": False},
            "registration_number": {"required": False},
            "address": {"required": False},
            "website": {"required": False},
            "contact_name": {"required": False},
            "contact_email": {"required": False},
            "contact_phone": {"required": False},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["country"] = instance.country.code
        data["parent"] = instance.parent_id
        return data


class EntityRecordSerializer(serializers.ModelSerializer):
    producer = serializers.CharField(source="organisation.legal_name", read_only=True)
    producer_id = serializers.IntegerField(source="organisation_id", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "producer_id",
            "producer",
            "legal_name",
            "native_name",
            "country",
            "registration_number",
            "screening_status",
            "archived_at",
        ]
        read_only_fields = fields


class OfficialEntitySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    records = EntityRecordSerializer(source="clients", many=True, read_only=True)

    class Meta:
        model = ClientEntity
        fields = ["id", "name", "country", "registration_number", "records", "created_at"]
        read_only_fields = fields


class OfficialHitSerializer(serializers.ModelSerializer):
    client = EntityRecordSerializer(read_only=True)
    list_entry = serializers.SerializerMethodField()
    decided_by = serializers.CharField(source="decided_by.email", read_only=True, default=None)

    class Meta:
        model = ScreeningHit
        fields = [
            "id",
            "client",
            "list_entry",
            "basis",
            "score",
            "matched_fields",
            "status",
            "reason",
            "decided_by",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_list_entry(self, hit) -> dict:
        entry = hit.list_entry
        return {
            "id": entry.pk,
            "kind": entry.kind,
            "name": entry.name,
            "country": entry.country.code if entry.country else "",
            "listed_on": entry.listed_on.isoformat(),
            "delisted_on": entry.delisted_on.isoformat() if entry.delisted_on else None,
        }
