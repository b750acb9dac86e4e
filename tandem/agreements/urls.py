from django.urls import path

from . import template_views, views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/start/<int:relationship_pk>/", views.agreement_start, name="agreement-start"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement-sign"),
    path("agreements/<int:pk>/review/", views.agreement_review, name="agreement-review"),
    path("agreements/<int:pk>/print/", views.agreement_print, name="agreement-print"),
    path("agreements/<int:pk>/pdf/", views.agreement_pdf, name="agreement-pdf"),
    path("agreements/templates/", template_views.template_list, name="agreement-templates"),
    path(
        "agreements/templates/<int:pk>/", template_views.template_detail, name="agreement-template"
    ),
    path(
        "agreements/templates/<int:pk>/copy/",
        template_views.template_copy,
        name="agreement-template-copy",
    ),
    path(
        "agreements/templates/<int:pk>/edit/",
        template_views.template_edit,
        name="agreement-template-edit",
    ),
]
