"""The page an invitation's link opens: no sign-in (the secret in the address is the
credential, once), choose a password, and you are signed in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from tandem.core.forms import apply_service_errors
from tandem.core.scoping import enter_organisation

from . import invitations

PASSWORD_HINT = (
    "Use at least 8 characters. Do not use a common password, only numbers, or something close "
    "to your name or email address."
)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="Password", strip=False, required=False, widget=forms.PasswordInput
    )
    again = forms.CharField(
        label="Enter it again", strip=False, required=False, widget=forms.PasswordInput
    )


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invitations.invitation_for_token(token)
    if found is None:
        return render(request, "organisations/invitation_unusable.html", status=404)
    enter_organisation(found.organisation_id)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = invitations.invitation_accept(
                invitation=found,
                password=form.cleaned_data["password"],
                again=form.cleaned_data["again"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your password is set. Welcome to Tandem.")
            return redirect("home")
    return render(
        request,
        "organisations/invitation.html",
        {"form": form, "invited": found.person, "hint": PASSWORD_HINT},
        status=400 if form.errors else 200,
    )
