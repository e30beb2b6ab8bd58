from django.urls import path

from apps.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("<int:year>/", views.year_detail, name="year_detail"),
    path("<int:year>/days/", views.day_add, name="day_add"),
    path("days/<int:pk>/remove/", views.day_remove, name="day_remove"),
]
