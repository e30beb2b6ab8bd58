from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from apps.accounts import api as accounts_api
from apps.clients import api as clients_api
from apps.core import views as core_views
from apps.core.admin_site import restrict_admin_to_administrators
from apps.licensing import api_official as licensing_api_official
from apps.licensing import api_producer as licensing_producer_api
from apps.transactions import api as transactions_api

restrict_admin_to_administrators(admin.site)

router = DefaultRouter()
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("clients", clients_api.ClientViewSet, basename="client")
router.register("client-entities", clients_api.ClientEntityViewSet, basename="client-entity")
router.register("screening-hits", clients_api.ScreeningHitViewSet, basename="screening-hit")
router.register(
    "applications", licensing_producer_api.ProducerApplicationViewSet, basename="application"
)
router.register("licences", licensing_producer_api.ProducerLicenceViewSet, basename="licence")
router.register("review/cases", licensing_api_official.CaseViewSet, basename="review-case")
router.register("review/licences", licensing_api_official.LicenceViewSet, basename="review-licence")
router.register(
    "review/amendments", licensing_api_official.AmendmentViewSet, basename="review-amendment"
)
router.register("transactions", transactions_api.TransactionViewSet, basename="transaction")

api_v1 = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    *router.urls,
]

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("audit/", include("apps.audit.urls")),
    path("catalogue/", include("apps.catalogue.urls")),
    path("calendar/", include("apps.workcalendar.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("clients/", include("apps.clients.urls")),
    path("licensing/", include("apps.licensing.urls")),
    path("review/", include("apps.licensing.urls_official")),
    path("transactions/", include("apps.transactions.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its script from a URL: no inline script under the CSP.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="core/swagger_ui.html"
        ),
        name="api-docs",
    ),
]

handler403 = "apps.core.errors_views.permission_denied"
handler404 = "apps.core.errors_views.not_found"
handler500 = "apps.core.errors_views.server_error"
