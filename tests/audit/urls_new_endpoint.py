"""The portal's URLs plus one API write no audit case knows (test_api_coverage's own check)."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as portal


class ProbeView(APIView):
    def post(self, request):
        return Response({})


urlpatterns = [
    path("probe/", include(([path("new/", ProbeView.as_view(), name="probe")], "api"))),
    *portal,
]
