from django.urls import path

from apps.licensing.views import documents, producer

app_name = "licensing"
urlpatterns = [
    # Producers: their applications
    path("applications/", producer.application_list, name="application_list"),
    path("applications/new/", producer.application_create, name="application_create"),
    path("applications/<int:pk>/", producer.application_detail, name="application_detail"),
    path("applications/<int:pk>/header/", producer.application_header, name="application_header"),
    path("applications/<int:pk>/lines/new/", producer.line_add, name="line_add"),
    path("applications/<int:pk>/lines/<int:position>/", producer.line_edit, name="line_edit"),
    path(
        "applications/<int:pk>/lines/<int:position>/remove/",
        producer.line_remove,
        name="line_remove",
    ),
    path(
        "applications/<int:pk>/parties/", producer.application_parties, name="application_parties"
    ),
    path("applications/<int:pk>/documents/", producer.document_upload, name="document_upload"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/remove/",
        producer.document_remove,
        name="document_remove",
    ),
    path("applications/<int:pk>/submit/", producer.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/",
        producer.application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/copy/", producer.application_copy, name="application_copy"),
    path("applications/<int:pk>/answer/", producer.rfi_answer, name="rfi_answer"),
    # Producers: their licences
    path("licences/", producer.licence_list, name="licence_list"),
    path("licences/<int:pk>/", producer.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/surrender/", producer.licence_surrender, name="licence_surrender"),
    path("licences/<int:pk>/amend/", producer.licence_amend, name="licence_amend"),
    # Both sides
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
]
