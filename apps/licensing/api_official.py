"""Officials' API under /api/v1/review/: the queue, the case, and every action as a POST route.

Thin views: scoped selectors (404), the services decide (DomainError -> 400 / 403 / 409 JSON
through apps/core/api_errors.py). The actor is always the authenticated user, never the payload.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.core.api import CappedPagination, role_permission
from apps.core.errors import DomainError
from apps.core.roles import Role
from apps.licensing import clock, permissions, selectors, services, workflow
from apps.licensing import selectors_official as official_selectors
from apps.licensing import serializers_official as s
from apps.licensing.models import Application
from apps.workcalendar.selectors import work_calendar

READERS = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)
OFFICIALS = (Role.REVIEWER, Role.APPROVER)

QUEUE_PARAMETERS = [
    OpenApiParameter("status", str, description="Application status (default: open cases)"),
    OpenApiParameter("element", str, description="Element symbol, e.g. Dy"),
    OpenApiParameter("destination", str, description="ISO 3166 alpha-2"),
    OpenApiParameter("sector", str),
    OpenApiParameter("fast_track", str, enum=["yes", "no"]),
    OpenApiParameter("assignee", str, description="me, none, or a reviewer's id"),
    OpenApiParameter("days_left", str, description="overdue, or N working days"),
    OpenApiParameter("company", int, description="Organisation id"),
    OpenApiParameter(
        "ordering",
        str,
        enum=[
            "deadline",
            "-deadline",
            "submitted",
            "-submitted",
            "company",
            "-company",
            "status",
            "-status",
        ],
    ),
]


class _ReadersWriters:
    """Reads for every authority role; actions for reviewers and approvers only."""

    def get_permissions(self):
        allowed = READERS if self.action in ("list", "retrieve") else OFFICIALS
        return [role_permission(*allowed)()]


class CaseViewSet(_ReadersWriters, viewsets.GenericViewSet):
    """The review queue (list) and the case (detail) with its actions."""

    serializer_class = s.QueueRowSerializer
    queryset = Application.objects.none()
    pagination_class = CappedPagination

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["calendar"] = work_calendar()
        context["today"] = clock.today()
        return context

    @extend_schema(parameters=QUEUE_PARAMETERS, responses=s.QueueRowSerializer(many=True))
    def list(self, request):
        params = request.query_params
        calendar, today = work_calendar(), clock.today()
        qs = selectors.queue_for(
            request.user,
            status=params.get("status", ""),
            element=params.get("element", ""),
            destination=params.get("destination", "").strip(),
            sector=params.get("sector", ""),
            fast_track=params.get("fast_track", ""),
            assignee=params.get("assignee", ""),
            deadline_by=official_selectors.deadline_by(
                params.get("days_left", ""), calendar, today
            ),
            organisation=params.get("company", ""),
        )
        ordering = params.get("ordering", "deadline")
        field = official_selectors.QUEUE_SORTS.get(ordering.lstrip("-"), "review_deadline")
        qs = official_selectors.queue_page_rows(qs).order_by(
            f"-{field}" if ordering.startswith("-") else field, "pk"
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=s.CaseSerializer)
    def retrieve(self, request, pk=None):
        return self._case_response(int(pk))

    def _case_response(self, pk: int):
        app = official_selectors.case_for(self.request.user, pk)
        kinds = permissions.application_actor_kinds(self.request.user, app)
        context = self.get_serializer_context()
        context.update(
            {
                "hits": official_selectors.hits_by_client(app),
                "notes": list(official_selectors.notes_for(app)),
                "actions": {
                    t.action
                    for t in workflow.available(workflow.APPLICATION_TRANSITIONS, app.status, kinds)
                },
            }
        )
        return Response(s.CaseSerializer(app, context=context).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _app(self, pk):
        return official_selectors.case_for(self.request.user, int(pk))

    @extend_schema(request=None, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        services.application_take(actor=request.user, application=self._app(pk))
        return self._case_response(int(pk))

    @extend_schema(request=s.AssignInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.AssignInput)
        reviewer = User.objects.filter(pk=data["reviewer"]).first()
        if reviewer is None:
            raise DomainError(
                "There is no user with that id.", field_errors={"reviewer": ["Unknown user."]}
            )
        services.application_assign(actor=request.user, application=app, reviewer=reviewer)
        return self._case_response(app.pk)

    @extend_schema(request=s.RfiInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="request-information")
    def request_information(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.RfiInput)
        services.rfi_raise(actor=request.user, application=app, question=data["question"])
        return self._case_response(app.pk)

    @extend_schema(request=s.RecommendInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.RecommendInput)
        services.application_recommend(
            actor=request.user,
            application=app,
            recommendation=data["recommendation"],
            reasons=data["reasons"],
        )
        return self._case_response(app.pk)

    @extend_schema(request=s.ReasonInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.ReasonInput)
        services.application_send_back(actor=request.user, application=app, reason=data["reason"])
        return self._case_response(app.pk)

    @extend_schema(request=s.ReasonInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="close-lapsed")
    def close_lapsed(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.ReasonInput)
        services.application_close_lapsed(
            actor=request.user, application=app, reason=data["reason"]
        )
        return self._case_response(app.pk)

    @extend_schema(request=s.DecideInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.DecideInput)
        services.application_decide(
            actor=request.user,
            application=app,
            decision=data["decision"],
            reasons=data["reasons"],
            conditions=data["conditions"],
            approved_quantities=data["approved_quantities"],
            valid_until=data["valid_until"],
        )
        return self._case_response(app.pk)

    @extend_schema(request=s.FastTrackInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="fast-track")
    def fast_track(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.FastTrackInput)
        services.application_set_fast_track(
            actor=request.user,
            application=app,
            fast_track=data["fast_track"],
            reason=data["reason"],
        )
        return self._case_response(app.pk)

    @extend_schema(request=s.NoteInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        app = self._app(pk)
        data = self._input(s.NoteInput)
        services.note_add(actor=request.user, application=app, body=data["body"])
        return self._case_response(app.pk)


class LicenceViewSet(_ReadersWriters, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Licences for officials; approvers suspend, reinstate and revoke (with reasons)."""

    serializer_class = s.LicenceSerializer
    pagination_class = CappedPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("company", int),
            OpenApiParameter("element", str),
            OpenApiParameter("expiring_within", int, description="Active, expiring in N days"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        within = params.get("expiring_within", "")
        return official_selectors.licence_list_for(
            self.request.user,
            status=params.get("status", ""),
            organisation=params.get("company", ""),
            element=params.get("element", ""),
            expiring_within=int(within) if within.isdigit() else None,
            today=clock.today(),
        ).order_by("-issued_on", "-number")

    @extend_schema(responses=s.LicenceDetailSerializer)
    def retrieve(self, request, pk=None):
        licence = selectors.licence_get_for(request.user, int(pk))
        return Response(s.LicenceDetailSerializer(licence).data)

    def _transition(self, request, pk, name):
        licence = selectors.licence_get_for(request.user, int(pk))
        data = self._input(s.ReasonInput)
        services.licence_transition(
            actor=request.user, licence=licence, action=name, reason=data["reason"]
        )
        return self.retrieve(request, pk)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=s.ReasonInput, responses=s.LicenceDetailSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._transition(request, pk, "suspend")

    @extend_schema(request=s.ReasonInput, responses=s.LicenceDetailSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        return self._transition(request, pk, "reinstate")

    @extend_schema(request=s.ReasonInput, responses=s.LicenceDetailSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._transition(request, pk, "revoke")


class AmendmentViewSet(_ReadersWriters, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Amendment requests; approvers grant or refuse them with a reason."""

    serializer_class = s.AmendmentSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return official_selectors.amendment_list_for(
            self.request.user, status=self.request.query_params.get("status", "")
        ).order_by("-requested_at", "pk")

    @extend_schema(request=s.AmendmentDecideInput, responses=s.AmendmentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        amendment = official_selectors.amendment_get_for(request.user, int(pk))
        serializer = s.AmendmentDecideInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = services.amendment_decide(
            actor=request.user,
            amendment=amendment,
            grant=serializer.validated_data["decision"] == "grant",
            reason=serializer.validated_data["reason"],
        )
        return Response(s.AmendmentSerializer(decided).data)
