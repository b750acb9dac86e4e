from __future__ import annotations

from django import forms

LIFETIMES = [("30", "30 days"), ("90", "90 days"), ("180", "180 days"), ("365", "1 year")]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the name of the report or system that will use it.",
        max_length=100,
    )
    lifetime_days = forms.TypedChoiceField(
        label="Expires after", choices=LIFETIMES, coerce=int, initial="90"
    )
