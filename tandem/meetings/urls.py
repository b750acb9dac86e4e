from django.urls import path

from . import policy_views, schedule_views, views

urlpatterns = [
    path("settings/policy/", policy_views.frequency_policy, name="frequency-policy"),
    path(
        "settings/policy/<str:category>/",
        policy_views.frequency_policy_change,
        name="frequency-policy-change",
    ),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/book/", views.session_book, name="session-book"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/move/", views.session_move, name="session-move"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/rebook/", views.session_rebook, name="session-rebook"),
    path("sessions/<int:pk>/held/", views.session_held, name="session-held"),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/done/",
        views.agenda_item_done,
        name="session-agenda-done",
    ),
    path(
        "sessions/<int:pk>/agenda/<int:item_pk>/remove/",
        views.agenda_item_remove,
        name="session-agenda-remove",
    ),
    path(
        "agreements/<int:pk>/schedule/",
        schedule_views.agreement_schedule,
        name="agreement-schedule",
    ),
]
