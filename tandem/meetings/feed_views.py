"""Calendar pages: a session's invitation (.ics), the secret calendar feed, and the page where
a person makes or stops their feed address (shown once, like an API token)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from tandem.core.scoping import enter_organisation
from tandem.organisations.access import PersonRequest, get_scoped_or_404, person_required
from tandem.organisations.models import Person

from .models import Session
from .services import calendars

# The session key under which a new feed token waits to be shown, once, after the redirect.
NEW_FEED_KEY = "tandem.new_calendar_feed"
ICS = "text/calendar; charset=utf-8"


@person_required
def session_ics(request: PersonRequest, pk: int) -> HttpResponse:
    """The session as an invitation to add to your own calendar."""
    # Found (404) and allowed (403) first, so that no answer says whether a session exists.
    session = get_scoped_or_404(request, Session.objects.all(), "meetings.view_session", pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = HttpResponse(calendars.session_ics(session), content_type=ICS)
    day = timezone.localtime(session.starts_at)
    response["Content-Disposition"] = f'attachment; filename="supervision-{day:%Y-%m-%d}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: calendar programs cannot sign in, so the secret address is the credential.
    Unknown and stopped addresses are "not found", like any other wrong address."""
    feed = calendars.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    enter_organisation(feed.organisation_id)
    response = HttpResponse(calendars.feed_ics(feed.person), content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="tandem-supervision.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def feed_address(request: PersonRequest, raw: str) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", args=[raw]))


@person_required
def calendar_feeds(request: PersonRequest) -> HttpResponse:
    """Make a feed address (shown once), or stop the one you have. POST, then redirect."""
    person: Person = request.person
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            _feed, raw = calendars.calendar_feed_create(person, request.person)
            # Redirect, so that reloading the page cannot make another address.
            request.session[NEW_FEED_KEY] = raw
        elif action == "revoke":
            feed = calendars.calendar_feed_of(person)
            if feed is not None:
                calendars.calendar_feed_revoke(feed, request.person)
                messages.success(
                    request,
                    "Your calendar feed address is stopped. Calendars subscribed to it will "
                    "no longer update; remove the Tandem calendar from them.",
                )
        return redirect("calendar-feeds")
    raw = request.session.pop(NEW_FEED_KEY, None)
    new_address = feed_address(request, raw) if raw else ""
    return render(
        request,
        "meetings/feeds.html",
        {
            "feed": calendars.calendar_feed_of(person),
            "new_address": new_address,
            "webcal_address": new_address.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
        },
    )
