from django.urls import path

from . import export_views, feedback_views, inspect_views, pack_views, views

urlpatterns = [
    # Dashboards (views.py)
    path("oversight/", views.oversight_home, name="oversight"),
    path("oversight/organisation/", views.organisation_dashboard, name="oversight-organisation"),
    path("oversight/units/<int:pk>/", views.unit_dashboard, name="oversight-unit"),
    path("oversight/people/<int:pk>/", views.person_compliance, name="oversight-person"),
    path("oversight/definitions/", views.definitions, name="oversight-definitions"),
    # Balance and feedback (feedback_views.py)
    path("oversight/balance/", feedback_views.balance, name="oversight-balance"),
    path("sessions/<int:pk>/feedback/", feedback_views.session_feedback, name="session-feedback"),
    # Exports and the monthly team report (export_views.py)
    path(
        "oversight/export/<slug:table>.<str:fmt>",
        export_views.table_export,
        name="oversight-export",
    ),
    path(
        "oversight/units/<int:pk>/report/<int:year>-<int:month>.pdf",
        export_views.team_report,
        name="oversight-team-report",
    ),
    # Evidence packs and inspector access (pack_views.py, inspect_views.py)
    path("oversight/packs/", pack_views.pack_list, name="oversight-packs"),
    path("oversight/packs/new/", pack_views.pack_new, name="oversight-pack-new"),
    path("oversight/packs/<int:pk>/", pack_views.pack_detail, name="oversight-pack"),
    path("oversight/packs/<int:pk>/pack.pdf", pack_views.pack_pdf, name="oversight-pack-pdf"),
    path("oversight/packs/<int:pk>/pack.zip", pack_views.pack_zip, name="oversight-pack-zip"),
    path(
        "oversight/packs/<int:pk>/access/",
        pack_views.access_grant,
        name="oversight-pack-access",
    ),
    path(
        "oversight/packs/<int:pk>/access/<int:access_pk>/revoke/",
        pack_views.access_revoke,
        name="oversight-pack-access-revoke",
    ),
    path("inspect/<str:token>/", inspect_views.inspect_home, name="inspect"),
    path(
        "inspect/<str:token>/records/<int:pk>/",
        inspect_views.inspect_record,
        name="inspect-record",
    ),
    path("inspect/<str:token>/pack.pdf", inspect_views.inspect_pdf, name="inspect-pdf"),
    path("inspect/<str:token>/pack.zip", inspect_views.inspect_zip, name="inspect-zip"),
]
