import django_filters
from rest_framework import generics, viewsets

from apps.accounts import selectors
from apps.accounts.models import Organisation
from apps.accounts.serializers import MeSerializer, OrganisationSerializer
from apps.core.api import IsAuthenticatedUser, IsPortalUser


class MeView(generics.RetrieveAPIView):
    """The signed-in user, their roles and their company."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticatedUser]

    def get_object(self):
        return self.request.user


class OrganisationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Organisation
        fields = ["status", "province"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(legal_name__icontains=value)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Producer companies: officials and auditors see all, a producer sees its own."""

    serializer_class = OrganisationSerializer
    permission_classes = [IsPortalUser]
    filterset_class = OrganisationFilter
    ordering_fields = ["legal_name", "created_at", "status"]
    ordering = ["legal_name"]

    def get_queryset(self):
        return selectors.organisation_list_for(self.request.user)
