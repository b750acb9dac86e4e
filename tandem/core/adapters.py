from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts come from the organisation's HR data, never from self sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
