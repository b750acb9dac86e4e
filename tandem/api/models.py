"""Personal API tokens. Only a hash is stored: the token itself is shown once, when made."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from tandem.core.models import TenantModel

TOKEN_PREFIX = "tdm_"


class ApiToken(TenantModel):
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, so that its owner can tell tokens apart.
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "person"], name="api_token_person")]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
