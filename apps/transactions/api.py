"""Thin DRF views: /api/v1/transactions/ (single and bulk) with an Idempotency-Key header.

A retried request with the same key and body gets the stored answer and files nothing twice;
the same key with a different body is refused (422)."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import IsPortalUser
from apps.core.errors import DomainError
from apps.transactions import importing, permissions, selectors, services
from apps.transactions.models import IdempotencyKey, Source, TransactionLine
from apps.transactions.serializers import (
    CancelSerializer,
    CorrectionSerializer,
    OfficialReportSerializer,
    ProducerReportSerializer,
)
from apps.transactions.services import idempotency


class CanReadTransactions(IsPortalUser):
    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if view.action in ("create", "bulk", "cancel", "correct"):
            return permissions.can_report(request.user)
        return permissions.can_report(request.user) or permissions.can_view_all(request.user)


class TransactionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Transaction reports. POST one report (header + `lines`), or POST `bulk/` with
    {"reports": [...]}: all accepted or none. POST `{id}/cancel/` with a reason, or
    `{id}/correct/` with the corrected report and a reason (a reversing entry, never an edit).
    Send an `Idempotency-Key` header on every POST."""

    permission_classes = [CanReadTransactions]
    ordering = ["-loading_date"]

    def get_serializer_class(self):
        if permissions.can_view_all(self.request.user):
            return OfficialReportSerializer
        return ProducerReportSerializer

    def get_queryset(self):
        params = self.request.query_params
        lines = TransactionLine.objects.select_related("catalogue_entry").order_by("position")
        return (
            selectors.report_list_for(
                self.request.user,
                search=params.get("search", "").strip(),
                licence=params.get("licence", ""),
                status=params.get("status", ""),
                destination=params.get("destination", ""),
            )
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-loading_date", "-id")
        )

    def get_object(self):
        report = selectors.report_get_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, report)
        return report

    def _idempotent(self, request, work, prepare=None):
        key = request.headers.get("Idempotency-Key", "").strip()
        user = request.user
        if not key:
            if prepare:
                prepare()
            code, body = work()
            return Response(body, status=code)
        organisation_id = user.membership.organisation_id
        digest = idempotency.request_hash(request.method, request.path, request.body)

        def replay():
            stored = IdempotencyKey.objects.filter(organisation_id=organisation_id, key=key).first()
            if stored is None:
                return None
            if stored.request_hash != digest:
                raise idempotency.KeyReused(
                    _("This Idempotency-Key was used for a different request; use a new key.")
                )
            if stored.response_status is None:
                return None
            response = Response(stored.response_body, status=stored.response_status)
            response["Idempotent-Replayed"] = "true"
            return response

        answer = replay()
        if answer is not None:
            return answer
        if prepare:
            try:
                prepare()
            except DomainError:
                # A twin request may have been accepted meanwhile: its answer wins.
                answer = replay()
                if answer is not None:
                    return answer
                raise
        code, body, replayed = idempotency.run_once(
            organisation_id=organisation_id, user_id=user.pk, key=key, digest=digest, work=work
        )
        response = Response(body, status=code)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def create(self, request, *args, **kwargs):
        if not isinstance(request.data, dict):
            raise DomainError(_("Send one report as a JSON object."))
        data = importing.json_to_input(request.data)

        def prepare():
            services.report_prepare(actor=request.user, data=data)

        def work():
            report = services.report_file(actor=request.user, data=data, source=Source.API)
            return status.HTTP_201_CREATED, ProducerReportSerializer(report).data

        return self._idempotent(request, work, prepare)

    @extend_schema(
        summary="Cancel a report: a reversing entry gives its quantities back",
        request=CancelSerializer,
        responses={200: ProducerReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        report = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def work():
            cancelled = services.transaction_cancel(
                actor=request.user, report=report, reason=body.validated_data["reason"]
            )
            return status.HTTP_200_OK, ProducerReportSerializer(cancelled).data

        return self._idempotent(request, work)

    @extend_schema(
        summary="Correct a report: it is cancelled and the corrected report filed in its place",
        request=CorrectionSerializer,
        responses={201: ProducerReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        report = self.get_object()
        if not isinstance(request.data, dict):
            raise DomainError(_("Send the corrected report and its reason as a JSON object."))
        data = importing.json_to_input(request.data)
        reason = str(request.data.get("reason") or "")

        def prepare():
            services.correction_prepare(actor=request.user, report=report, data=data, reason=reason)

        def work():
            new = services.report_file(
                actor=request.user, data=data, source=Source.API, corrects=report, reason=reason
            )
            return status.HTTP_201_CREATED, ProducerReportSerializer(new).data

        return self._idempotent(request, work, prepare)

    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        limit = settings.TRANSACTIONS_IMPORT_SYNC_MAX_ROWS
        content = request.body

        def work():
            if importing.count_rows(content, "json") > limit:
                raise DomainError(
                    _("Send at most %(n)s reports per request (or upload a file).") % {"n": limit}
                )
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            batch = services.import_now(
                actor=request.user, content=content, filename=f"api-{stamp}.json", source=Source.API
            )
            return status.HTTP_201_CREATED, {
                "import": batch.pk,
                "status": batch.status,
                "reports": batch.row_count,
                "sha256": batch.sha256,
            }

        def guarded():
            try:
                return work()
            except services.ImportRejected as exc:
                return status.HTTP_400_BAD_REQUEST, {
                    "error": {"code": "invalid", "message": exc.message, "rows": exc.errors}
                }

        return self._idempotent(request, guarded)
