from django.urls import path

from apps.audit import views

app_name = "audit"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path(
        "timeline/<str:object_type>/<str:object_id>/",
        views.timeline,
        name="timeline",
    ),
    path("records/", views.dataset_index, name="dataset_index"),
    path("records/<slug:name>/", views.dataset_list, name="dataset_list"),
    path("chain/", views.verify, name="verify"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/<uuid:token>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:token>/progress/", views.export_progress, name="export_progress"),
    path("exports/<uuid:token>/download/", views.export_download, name="export_download"),
    path("exports/<uuid:token>/manifest/", views.export_manifest, name="export_manifest"),
]
