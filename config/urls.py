from django.urls import include, path

from tandem.api.api import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("tandem.api.urls")),
    path("", include("tandem.organisations.urls")),
]

handler400 = "tandem.core.views.bad_request"
handler403 = "tandem.core.views.permission_denied"
handler404 = "tandem.core.views.page_not_found"
handler500 = "tandem.core.views.server_error"
