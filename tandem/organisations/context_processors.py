from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# Entries that higher apps add in their AppConfig.ready(), after My supervision:
# (text, URL name, a function of the request saying whether to show it).
EXTRA_NAVIGATION: list[tuple[str, str, Callable[[HttpRequest], bool]]] = []


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The service navigation: what this person may open, with the current section marked."""
    if getattr(request, "person", None) is None:
        return {"navigation": []}
    user = request.user
    entries = [("My supervision", "home", True)]
    entries += [(text, name, show(request)) for text, name, show in EXTRA_NAVIGATION]
    entries += [
        ("People", "people", user.has_perm("organisations.list_people")),
        ("Teams", "teams", user.has_perm("organisations.list_teams")),
        ("Import staff", "staff-import", user.has_perm("organisations.import_staff")),
        ("Working calendar", "working-calendar", user.has_perm("organisations.manage_calendar")),
        (
            "Organisation settings",
            "organisation-settings",
            user.has_perm("organisations.change_settings"),
        ),
        ("API tokens", "api-tokens", True),
    ]
    path = request.path
    items = []
    for text, name, allowed in entries:
        if not allowed:
            continue
        href = reverse(name)
        current = path == href if href == "/" else path.startswith(href)
        items.append({"text": text, "href": href, "current": current})
    return {"navigation": items}
