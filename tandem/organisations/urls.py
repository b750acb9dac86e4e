from django.urls import path

from . import audit_views, calendar_views, invitation_views, settings_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/supervisor/", views.change_supervisor, name="change-supervisor"),
    path("people/<int:pk>/roles/", views.person_roles, name="person-roles"),
    path("people/<int:pk>/invite/", views.person_invite, name="person-invite"),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("import/", views.staff_import, name="staff-import"),
    path("import/template.csv", views.staff_import_template, name="staff-import-template"),
    path("settings/", settings_views.organisation_settings, name="organisation-settings"),
    path("settings/audit/", audit_views.audit_trail_page, name="audit-trail"),
    path("settings/set-up/", settings_views.organisation_setup, name="organisation-setup"),
    path("calendar/", calendar_views.working_calendar, name="working-calendar"),
    path("calendar/closures/add/", calendar_views.closure_day_add, name="closure-day-add"),
    path(
        "calendar/closures/<int:pk>/remove/",
        calendar_views.closure_day_remove,
        name="closure-day-remove",
    ),
    path("calendar/terms/add/", calendar_views.term_date_add, name="term-date-add"),
    path(
        "calendar/terms/<int:pk>/remove/", calendar_views.term_date_remove, name="term-date-remove"
    ),
    path("calendar/terms/import/", calendar_views.term_dates_import, name="term-dates-import"),
    path(
        "calendar/terms/template.csv",
        calendar_views.term_dates_template,
        name="term-dates-template",
    ),
]
