from django.urls import path

from apps.clients.views import lists, official, producer

app_name = "clients"
urlpatterns = [
    path("", producer.client_list, name="client_list"),
    path("new/", producer.client_create, name="client_create"),
    path("<int:pk>/", producer.client_edit, name="client_edit"),
    path("<int:pk>/archive/", producer.client_archive, name="client_archive"),
    path("entities/", official.entity_list, name="entity_list"),
    path("entities/<int:pk>/", official.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/merge/", official.entity_merge, name="entity_merge"),
    path("entities/<int:pk>/split/", official.entity_split, name="entity_split"),
    path("screening/", official.hit_list, name="hit_list"),
    path("screening/<int:pk>/decide/", official.hit_decide, name="hit_decide"),
    path("lists/", lists.listentry_list, name="listentry_list"),
    path("lists/new/", lists.listentry_create, name="listentry_create"),
    path("lists/import/", lists.listentry_import, name="listentry_import"),
    path("lists/<int:pk>/", lists.listentry_edit, name="listentry_edit"),
]
