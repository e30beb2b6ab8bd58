"""Thin DRF views: /api/v1/clients/ for producers; entities and hits read-only for officials."""

from django.db.models import Prefetch
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.clients import selectors, services
from apps.clients.models import Client
from apps.clients.serializers import (
    OfficialEntitySerializer,
    OfficialHitSerializer,
    ProducerClientSerializer,
)
from apps.clients.services.clients import CLIENT_FIELDS
from apps.core.api import IsPortalUser, role_permission
from apps.core.roles import PRODUCER_ROLES, Role

AUTHORITY_READERS = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)


class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The company's client book. Records are archived (POST .../archive/), never deleted."""

    serializer_class = ProducerClientSerializer
    permission_classes = [IsPortalUser, role_permission(*PRODUCER_ROLES)]
    filterset_fields = ["sector", "screening_status"]
    ordering_fields = ["legal_name", "country", "updated_at", "created_at"]
    ordering = ["legal_name"]

    def get_queryset(self):
        archived = self.request.query_params.get("archived") == "true"
        return selectors.client_list_for(
            self.request.user,
            search=self.request.query_params.get("search", "").strip(),
            country=self.request.query_params.get("country", ""),
            archived=archived,
        )

    def get_object(self):
        client = selectors.client_get_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, client)
        return client

    def perform_create(self, serializer):
        serializer.instance = services.client_create(
            actor=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        client = serializer.instance
        current = {key: getattr(client, key) for key in CLIENT_FIELDS if key != "parent"}
        current["country"] = client.country.code
        current["parent"] = client.parent_id
        data = {**current, **serializer.validated_data}
        serializer.instance = services.client_update(
            actor=self.request.user, client=client, data=data
        )

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        client = services.client_archive(actor=request.user, client=self.get_object())
        return Response(self.get_serializer(client).data, status=status.HTTP_200_OK)


class ClientEntityViewSet(viewsets.ReadOnlyModelViewSet):
    """Real-world entities with the client records producers keep of them."""

    serializer_class = OfficialEntitySerializer
    permission_classes = [role_permission(*AUTHORITY_READERS)]
    ordering_fields = ["name", "country", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.entity_list_for(
            self.request.user,
            search=self.request.query_params.get("search", "").strip(),
            country=self.request.query_params.get("country", ""),
        ).prefetch_related(
            Prefetch("clients", queryset=Client.objects.select_related("organisation"))
        )


class ScreeningHitViewSet(viewsets.ReadOnlyModelViewSet):
    """Screening hits with score and matched fields; decisions are taken in the portal."""

    serializer_class = OfficialHitSerializer
    permission_classes = [role_permission(*AUTHORITY_READERS)]
    ordering_fields = ["score", "created_at", "status"]
    ordering = ["-score"]

    def get_queryset(self):
        return selectors.hit_list_for(
            self.request.user,
            status=self.request.query_params.get("status", ""),
            kind=self.request.query_params.get("kind", ""),
        )
