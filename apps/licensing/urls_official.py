"""Officials' pages (/review/...) and the public licence check (/review/licences/verify/)."""

from django.urls import path

from apps.licensing.views import official

app_name = "review"
urlpatterns = [
    path("", official.queue, name="queue"),
    path("cases/<int:pk>/", official.case_detail, name="case_detail"),
    path("cases/<int:pk>/take/", official.case_take, name="case_take"),
    path("cases/<int:pk>/assign/", official.case_assign, name="case_assign"),
    path(
        "cases/<int:pk>/request-information/",
        official.case_request_information,
        name="case_request_information",
    ),
    path("cases/<int:pk>/recommend/", official.case_recommend, name="case_recommend"),
    path("cases/<int:pk>/send-back/", official.case_send_back, name="case_send_back"),
    path("cases/<int:pk>/close-lapsed/", official.case_close_lapsed, name="case_close_lapsed"),
    path("cases/<int:pk>/decide/", official.case_decide, name="case_decide"),
    path("cases/<int:pk>/fast-track/", official.case_fast_track, name="case_fast_track"),
    path("cases/<int:pk>/notes/", official.case_note, name="case_note"),
    path("documents/<int:pk>/", official.document_download, name="document_download"),
    path("licences/", official.licence_list, name="licence_list"),
    path("licences/verify/", official.licence_verify, name="licence_verify"),
    path("licences/<int:pk>/", official.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/transition/", official.licence_transition, name="licence_transition"),
    path("licences/<int:pk>/print/", official.licence_print, name="licence_print"),
    path("licences/<int:pk>/pdf/", official.licence_pdf, name="licence_pdf"),
    path("amendments/", official.amendment_list, name="amendment_list"),
    path("amendments/<int:pk>/decide/", official.amendment_decide, name="amendment_decide"),
]
