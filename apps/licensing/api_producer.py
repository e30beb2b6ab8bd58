"""Producers' API: their applications (drafts in one payload, actions as POST sub-routes) and
their licences. Thin: scoped selectors (404), services (400 / 403 / 409 through the standard
error body), producer serializers only."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api import IsPortalUser, role_permission
from apps.core.roles import PRODUCER_ROLES
from apps.licensing import selectors, services
from apps.licensing.models import (
    Application,
    ApplicationLine,
    ApplicationParty,
    LicenceLine,
)
from apps.licensing.serializers_producer import (
    AnswerSerializer,
    DocumentOutSerializer,
    DocumentUploadSerializer,
    ProducerApplicationDetailSerializer,
    ProducerApplicationSerializer,
    ProducerApplicationWriteSerializer,
    ProducerLicenceSerializer,
    ReasonSerializer,
)

PRODUCER_API = [IsPortalUser, role_permission(*PRODUCER_ROLES)]
ERRORS = {
    400: OpenApiResponse(description="Invalid input or a rule refused it (fields name each)"),
    403: OpenApiResponse(description="Not yours to do"),
    404: OpenApiResponse(description="Not an application of your company"),
    409: OpenApiResponse(description="The application is no longer in a state that allows it"),
}


@extend_schema_view(
    list=extend_schema(summary="Your company's applications"),
    retrieve=extend_schema(summary="One application with its history"),
    create=extend_schema(
        summary="Start a draft (header, lines and parties in one payload)",
        request=ProducerApplicationWriteSerializer,
        responses={201: ProducerApplicationDetailSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary="Change a draft; given lists of lines / parties replace the old ones",
        request=ProducerApplicationWriteSerializer,
        responses={200: ProducerApplicationDetailSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a draft",
        request=ProducerApplicationWriteSerializer,
        responses={200: ProducerApplicationDetailSerializer, **ERRORS},
    ),
)
class ProducerApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications of the caller's company. Drafts change here; everything else moves through
    the actions (submit, withdraw, copy, answer)."""

    permission_classes = PRODUCER_API
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "licence_type", "destination_country"]
    ordering_fields = ["created_at", "updated_at", "submitted_at", "status"]
    ordering = ["-updated_at"]

    def get_serializer_class(self):
        if self.action == "list":
            return ProducerApplicationSerializer
        return ProducerApplicationDetailSerializer

    def get_queryset(self):
        return (
            selectors.application_list_for(self.request.user)
            .select_related("licence")
            .prefetch_related(
                Prefetch(
                    "lines",
                    queryset=ApplicationLine.objects.select_related("catalogue_entry").order_by(
                        "position"
                    ),
                ),
                Prefetch("parties", queryset=ApplicationParty.objects.select_related("client")),
                "documents",
                "information_requests",
            )
        )

    def get_object(self) -> Application:
        return selectors.application_detail_for(self.request.user, self.kwargs["pk"])

    def _detail(self, app: Application, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.application_detail_for(self.request.user, app.pk)
        return Response(ProducerApplicationDetailSerializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        data = ProducerApplicationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = services.application_create(  # header, lines and parties: all or nothing
            actor=request.user,
            data=data.service_header(),
            lines=data.service_lines(),
            parties=data.service_parties(),
        )
        return self._detail(app, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        app = self.get_object()
        partial = kwargs.get("partial", False)
        data = ProducerApplicationWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.application_update(
            actor=request.user,
            application=app,
            data=data.service_header(),
            lines=data.service_lines(),
            parties=data.service_parties(),
        )
        return self._detail(app)

    @extend_schema(
        summary="Submit a complete draft (the review clock starts today)",
        request=None,
        responses={200: ProducerApplicationDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        app = services.application_submit(actor=request.user, application=self.get_object())
        return self._detail(app)

    @extend_schema(
        summary="Withdraw before the decision",
        request=ReasonSerializer,
        responses={200: ProducerApplicationDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        app = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        app = services.application_withdraw(
            actor=request.user, application=app, reason=body.validated_data["reason"]
        )
        return self._detail(app)

    @extend_schema(
        summary="Copy into a new draft (header, lines, parties; not the documents)",
        request=None,
        responses={201: ProducerApplicationDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        copy = services.application_copy(actor=request.user, application=self.get_object())
        return self._detail(copy, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer the open request for information, with optional attachments",
        request={"multipart/form-data": AnswerSerializer, "application/json": AnswerSerializer},
        responses={200: ProducerApplicationDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        app = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.rfi_answer(  # the answer and its attachments: all or nothing
            actor=request.user,
            application=app,
            answer=body.validated_data["answer"],
            attachments=body.validated_data["attachments"],
        )
        return self._detail(app)

    @extend_schema(
        summary="Upload a document to a draft (PDF, PNG or JPEG)",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentOutSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        app = self.get_object()
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.document_add(
            actor=request.user,
            application=app,
            kind=body.validated_data["kind"],
            upload=body.validated_data["file"],
        )
        return Response(DocumentOutSerializer(document).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Your company's licences with per-line balances"),
    retrieve=extend_schema(summary="One licence with its lines and balances"),
)
class ProducerLicenceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProducerLicenceSerializer
    permission_classes = PRODUCER_API
    filterset_fields = ["status", "licence_type", "destination_country"]
    ordering_fields = ["issued_on", "valid_until", "number", "status"]
    ordering = ["-issued_on"]

    def get_queryset(self):
        lines = LicenceLine.objects.select_related("catalogue_entry").order_by("id")
        return selectors.licence_list_for(self.request.user).prefetch_related(
            Prefetch("lines", queryset=lines)
        )
