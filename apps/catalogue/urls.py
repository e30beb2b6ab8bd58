from django.urls import path

from apps.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("new/", views.entry_create, name="entry_create"),
    path("<int:pk>/", views.entry_detail, name="entry_detail"),
    path("<int:pk>/edit/", views.entry_edit, name="entry_edit"),
]
