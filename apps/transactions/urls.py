from django.urls import path

from apps.transactions.views import official, producer, shared

app_name = "transactions"
urlpatterns = [
    path("", producer.report_list, name="report_list"),
    path("new/", producer.report_create, name="report_create"),
    path("<int:pk>/", shared.report_detail, name="report_detail"),
    path("<int:pk>/cancel/", producer.report_cancel, name="report_cancel"),
    path("<int:pk>/correct/", producer.report_correct, name="report_correct"),
    path("uploads/", producer.upload, name="upload"),
    path("uploads/template.<str:fmt>", producer.upload_template, name="upload_template"),
    path("uploads/<int:pk>/", producer.upload_detail, name="upload_detail"),
    path("uploads/<int:pk>/status/", producer.upload_status, name="upload_status"),
    path("uploads/<int:pk>/commit/", producer.upload_commit, name="upload_commit"),
    path("uploads/<int:pk>/discard/", producer.upload_discard, name="upload_discard"),
    path("balances/", producer.balances, name="balances"),
    path("returns/", producer.returns, name="returns"),
    path("licences/<int:pk>/ledger/", shared.licence_ledger, name="licence_ledger"),
    path("search/", official.search, name="search"),
    path("entities/", official.entity_totals, name="entity_totals"),
]
