from django.urls import path

from . import feed_views

urlpatterns = [
    path("sessions/<int:pk>/invite.ics", feed_views.session_ics, name="session-ics"),
    path("calendar/feed/<str:token>.ics", feed_views.calendar_feed, name="calendar-feed"),
    path("account/calendar/", feed_views.calendar_feeds, name="calendar-feeds"),
]
