from django.urls import path

from . import admin_views, asye_views, care_views, plan_views, revalidation_views, views

urlpatterns = [
    path("my-development/", views.my_development, name="my-development"),
    path("people/<int:pk>/development/", views.development, name="development"),
    path("people/<int:pk>/development/cpd/", views.cpd_list, name="cpd-list"),
    path("people/<int:pk>/development/cpd/new/", views.cpd_add, name="cpd-add"),
    path("people/<int:pk>/development/cpd/export/", views.cpd_export, name="cpd-export"),
    path("cpd/<int:pk>/", views.cpd_detail, name="cpd"),
    path("cpd/<int:pk>/edit/", views.cpd_edit, name="cpd-edit"),
    path("cpd/<int:pk>/remove/", views.cpd_remove, name="cpd-remove"),
    path(
        "people/<int:pk>/development/revalidation/",
        revalidation_views.revalidation,
        name="revalidation",
    ),
    path(
        "revalidations/<int:pk>/add/<slug:kind>/",
        revalidation_views.evidence_add,
        name="revalidation-evidence",
    ),
    path(
        "revalidations/<int:pk>/confirm/",
        revalidation_views.revalidation_confirm,
        name="revalidation-confirm",
    ),
    path(
        "revalidations/<int:pk>/pack/",
        revalidation_views.revalidation_pack,
        name="revalidation-pack",
    ),
    path(
        "revalidations/<int:pk>/pack.pdf",
        revalidation_views.revalidation_pack_pdf,
        name="revalidation-pack-pdf",
    ),
    path(
        "people/<int:pk>/development/care-certificate/",
        care_views.care_certificate,
        name="care-certificate",
    ),
    path(
        "care-standards/<int:pk>/sign-off/",
        care_views.care_standard_sign_off,
        name="care-standard-sign-off",
    ),
    path(
        "people/<int:pk>/development/safeguarding/",
        care_views.safeguarding,
        name="safeguarding",
    ),
    path(
        "people/<int:pk>/development/safeguarding/designation/",
        care_views.safeguarding_designation,
        name="safeguarding-designation",
    ),
    path(
        "people/<int:pk>/development/objectives/new/",
        plan_views.objective_add,
        name="objective-add",
    ),
    path("objectives/<int:pk>/", plan_views.objective_detail, name="objective"),
    path("objectives/<int:pk>/edit/", plan_views.objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/review/", plan_views.objective_review, name="objective-review"),
    path(
        "people/<int:pk>/development/appraisals/new/",
        plan_views.appraisal_add,
        name="appraisal-add",
    ),
    path("appraisals/<int:pk>/", plan_views.appraisal_detail, name="appraisal"),
    path("development/rules/", admin_views.development_rules, name="development-rules"),
    path("development/courses/", admin_views.courses, name="development-courses"),
    path(
        "development/courses/<int:pk>/active/",
        admin_views.course_active,
        name="development-course-active",
    ),
    path("people/<int:pk>/asye/", asye_views.asye, name="asye"),
    path("asye/<int:pk>/assessor/", asye_views.asye_assessor, name="asye-assessor"),
    path("asye/<int:pk>/pause/", asye_views.asye_pause, name="asye-pause"),
    path("asye-pauses/<int:pk>/remove/", asye_views.asye_pause_remove, name="asye-pause-remove"),
    path("asye-reviews/<int:pk>/", asye_views.asye_review, name="asye-review"),
    path("asye/<int:pk>/caseload/", asye_views.asye_caseload, name="asye-caseload"),
    path(
        "asye/<int:pk>/self-assessment/",
        asye_views.asye_self_assessment,
        name="asye-self-assessment",
    ),
    path("asye/<int:pk>/evidence/", asye_views.asye_evidence, name="asye-evidence"),
    path(
        "asye/<int:pk>/observations/new/",
        asye_views.observation_add,
        name="asye-observation-add",
    ),
    path("observations/<int:pk>/", asye_views.observation_detail, name="asye-observation"),
    path("observations/<int:pk>/edit/", asye_views.observation_edit, name="asye-observation-edit"),
    path(
        "observations/<int:pk>/feedback-link/",
        asye_views.observation_feedback_link,
        name="asye-feedback-link",
    ),
    path(
        "observations/<int:pk>/feedback/",
        asye_views.observation_feedback_enter,
        name="asye-feedback-enter",
    ),
    path("feedback/<str:token>/", asye_views.family_feedback, name="family-feedback"),
    path("asye/<int:pk>/recommendation/", asye_views.asye_recommend, name="asye-recommend"),
    path("asye/<int:pk>/panel/", asye_views.asye_panel, name="asye-panel"),
    path("development/programme/", asye_views.asye_programme, name="asye-programme"),
]
