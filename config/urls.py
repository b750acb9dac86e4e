from django.urls import include, path
from django.views.generic import RedirectView

from tandem.api.api import api

urlpatterns = [
    # Tandem's email address is managed by the organisation (staff import), not by the person,
    # and nobody signs up: allauth's pages for those lead home instead.
    *[
        path(f"accounts/{page}/", RedirectView.as_view(pattern_name="home"))
        for page in ("email", "confirm-email", "reauthenticate", "login/code/confirm")
    ],
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("tandem.api.urls")),
    path("", include("tandem.agreements.urls")),
    path("", include("tandem.organisations.urls")),
    path("", include("tandem.meetings.feed_urls")),
    path("", include("tandem.meetings.urls")),
    path("", include("tandem.records.urls")),
    path("", include("tandem.development.urls")),
    path("", include("tandem.oversight.urls")),
    path("", include("tandem.quality.urls")),
]

handler400 = "tandem.core.views.bad_request"
handler403 = "tandem.core.views.permission_denied"
handler404 = "tandem.core.views.page_not_found"
handler500 = "tandem.core.views.server_error"
