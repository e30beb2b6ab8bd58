from rest_framework import serializers

from apps.accounts.models import Organisation, User
from apps.core.roles import primary_role, user_roles


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "legal_name",
            "native_name",
            "uscc",
            "province",
            "address",
            "status",
            "created_at",
            "verified_at",
        ]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    primary_role = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "roles", "primary_role", "organisation"]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return sorted(role.value for role in user_roles(user))

    def get_primary_role(self, user) -> str | None:
        role = primary_role(user)
        return role.value if role else None

    def get_organisation(self, user) -> dict | None:
        membership = getattr(user, "membership", None)
        if membership is None:
            return None
        return {
            "id": membership.organisation_id,
            "legal_name": membership.organisation.legal_name,
            "status": membership.organisation.status,
        }
