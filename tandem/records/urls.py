from django.urls import path

from . import group_views, output_views, views

urlpatterns = [
    path("records/", views.record_list, name="records"),
    path("records/read-by/", views.record_reads, name="record-reads"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/write/", views.record_write, name="record-write"),
    path("records/<int:pk>/autosave/", views.record_autosave, name="record-autosave"),
    path("records/<int:pk>/share/", views.record_share, name="record-share"),
    path("records/<int:pk>/sign/", views.record_sign, name="record-sign"),
    path("records/<int:pk>/versions/", views.record_versions, name="record-versions"),
    path("records/<int:pk>/addenda/", views.addendum_add, name="record-addendum"),
    path(
        "records/<int:pk>/addenda/<int:number>/sign/",
        views.addendum_sign,
        name="record-addendum-sign",
    ),
    path("records/<int:pk>/disagree/", views.disagreement_raise, name="record-disagree"),
    path("records/<int:pk>/welfare/", views.welfare_open, name="record-welfare"),
    path("records/<int:pk>/print/", output_views.record_print, name="record-print"),
    path("records/<int:pk>/pdf/", output_views.record_pdf, name="record-pdf"),
    path("sessions/<int:pk>/record/", views.session_record, name="session-record"),
    path("disagreements/", views.disagreement_list, name="disagreements"),
    path("disagreements/<int:pk>/", views.disagreement_detail, name="disagreement"),
    path("actions/", output_views.action_list, name="actions"),
    path("actions/<int:pk>/status/", output_views.action_status, name="action-status"),
    path("case-decisions/", output_views.case_decisions, name="case-decisions"),
    path(
        "agreements/<int:pk>/record-viewers/",
        output_views.record_viewers,
        name="agreement-record-viewers",
    ),
    path(
        "agreements/<int:pk>/record-viewers/<int:viewer_pk>/remove/",
        output_views.record_viewer_remove,
        name="agreement-record-viewer-remove",
    ),
    path(
        "sessions/<int:pk>/group-record/",
        group_views.group_record_start,
        name="group-record-start",
    ),
    path("group-records/<int:pk>/", group_views.group_record, name="group-record"),
    path("group-records/<int:pk>/save/", group_views.group_record_save, name="group-record-save"),
    path("group-records/<int:pk>/cases/", group_views.group_case_add, name="group-case-add"),
    path("group-records/<int:pk>/actions/", group_views.group_action_add, name="group-action-add"),
    path(
        "group-records/<int:pk>/share/", group_views.group_record_share, name="group-record-share"
    ),
    path(
        "group-records/<int:pk>/acknowledge/",
        group_views.group_record_acknowledge,
        name="group-record-acknowledge",
    ),
    path("group-cases/<int:pk>/remove/", group_views.group_case_remove, name="group-case-remove"),
    path(
        "group-actions/<int:pk>/remove/",
        group_views.group_action_remove,
        name="group-action-remove",
    ),
    path(
        "group-actions/<int:pk>/status/",
        group_views.group_action_status,
        name="group-action-status",
    ),
]
