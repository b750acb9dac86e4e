"""The API tokens page: make a personal token (shown once) and revoke it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.organisations.access import PersonRequest, person_required

from . import selectors, services
from .forms import ApiTokenForm

# The session key under which a new token waits to be shown, once, after the redirect.
NEW_TOKEN_KEY = "tandem.new_api_token"


@person_required
def api_tokens(request: PersonRequest) -> HttpResponse:
    person = request.person
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(
                person=person,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Redirect, so that reloading the page cannot make a second token.
            request.session[NEW_TOKEN_KEY] = raw
            return redirect("api-tokens")
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": request.session.pop(NEW_TOKEN_KEY, None),
            "tokens": selectors.api_tokens_of(person=person),
        },
    )


@require_POST
@person_required
def api_token_revoke(request: PersonRequest, pk: int) -> HttpResponse:
    # Only the owner's own tokens are found: anyone else's is "not found", whoever asks.
    token = selectors.api_tokens_of(person=request.person).filter(pk=pk).first()
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, by=request.person)
    messages.success(request, f"Token “{token.name}” revoked. It no longer works.")
    return redirect("api-tokens")
