from django.urls import path

from . import audit_views, case_audit_views, pathway_views, views

urlpatterns = [
    path("quality/", views.quality, name="quality"),
    path("quality/settings/", views.quality_settings, name="quality-settings"),
    # Supervision audits
    path("quality/audits/", audit_views.audit_list, name="audits"),
    path("quality/audits/new/", audit_views.audit_begin, name="audit-begin"),
    path("quality/audits/results/", audit_views.audit_results, name="audit-results"),
    path("quality/audits/<int:pk>/", audit_views.audit_detail, name="audit"),
    path("quality/audits/<int:pk>/save/", audit_views.audit_save, name="audit-save"),
    path("quality/audits/<int:pk>/reply/", audit_views.audit_reply, name="audit-reply"),
    path("quality/instrument/", audit_views.instrument, name="audit-instrument"),
    path("quality/instrument/new/", audit_views.criterion_add, name="audit-criterion-add"),
    path("quality/instrument/<int:pk>/", audit_views.criterion_edit, name="audit-criterion"),
    path(
        "quality/instrument/<int:pk>/retire/",
        audit_views.criterion_retire,
        name="audit-criterion-retire",
    ),
    # Case-file audits
    path("quality/case-audits/", case_audit_views.case_audit_list, name="case-audits"),
    path(
        "quality/case-audits/choose/", case_audit_views.case_round_select, name="case-audit-round"
    ),
    path("quality/case-audits/new/", case_audit_views.case_audit_add, name="case-audit-add"),
    path("quality/case-audits/<int:pk>/", case_audit_views.case_audit_detail, name="case-audit"),
    path(
        "quality/case-audits/<int:pk>/learning/",
        case_audit_views.case_learning,
        name="case-audit-learning",
    ),
    path(
        "quality/case-audits/<int:pk>/impact/",
        case_audit_views.case_impact,
        name="case-audit-impact",
    ),
    # The practice supervisor pathway
    path("people/<int:pk>/pathway/", pathway_views.pathway_of, name="person-pathway"),
    path("people/<int:pk>/pathway/start/", pathway_views.pathway_start, name="pathway-start"),
    path("pathways/<int:pk>/", pathway_views.pathway, name="pathway"),
    path("pathways/<int:pk>/add/", pathway_views.pathway_item_add, name="pathway-item-add"),
    path("pathway-items/<int:pk>/done/", pathway_views.pathway_item_done, name="pathway-item-done"),
    path(
        "pathways/<int:pk>/self-assessment/<slug:point>/",
        pathway_views.pathway_assessment,
        name="pathway-assessment",
    ),
    # The pipeline, equality and the workforce
    path("quality/pipeline/", pathway_views.pipeline, name="pipeline"),
    path("people/<int:pk>/pipeline/new/", pathway_views.pipeline_add, name="pipeline-add"),
    path("pipeline/<int:pk>/", pathway_views.pipeline_entry, name="pipeline-entry"),
    path("pipeline/<int:pk>/plan/", pathway_views.pipeline_plan_add, name="pipeline-plan-add"),
    path("pipeline/<int:pk>/status/", pathway_views.pipeline_status, name="pipeline-status"),
    path("my-equality/", pathway_views.my_equality, name="my-equality"),
    path("quality/equality/", pathway_views.equality_figures, name="equality-figures"),
    path("quality/equality/data/", pathway_views.equality_data, name="equality-data"),
    path("quality/workforce/", pathway_views.workforce, name="workforce"),
]
