from django.urls import path

from . import calendar_views as views

urlpatterns = [
    path("calendar/", views.working_calendar, name="working-calendar"),
    path("calendar/closures/add/", views.closure_day_add, name="closure-day-add"),
    path("calendar/closures/<int:pk>/remove/", views.closure_day_remove, name="closure-day-remove"),
    path("calendar/terms/add/", views.term_date_add, name="term-date-add"),
    path("calendar/terms/<int:pk>/remove/", views.term_date_remove, name="term-date-remove"),
    path("calendar/terms/import/", views.term_dates_import, name="term-dates-import"),
    path("calendar/terms/template.csv", views.term_dates_template, name="term-dates-template"),
]
