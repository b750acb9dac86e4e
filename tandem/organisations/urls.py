from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/supervisor/", views.change_supervisor, name="change-supervisor"),
    path("people/<int:pk>/roles/", views.person_roles, name="person-roles"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("import/", views.staff_import, name="staff-import"),
    path("import/template.csv", views.staff_import_template, name="staff-import-template"),
]
