"""Writes about oversight: one function per change, audited in the same transaction.

One module per area: ``windows`` (the due windows each person's policy gives, rewritten when
what they depend on changes), ``feedback`` (supervisees' feedback on their sessions) and
``packs`` (evidence packs and inspectors' access to them). Callers import the module
(``from tandem.oversight.services import packs``) or the function from here.
"""

from .feedback import feedback_submit
from .packs import access_grant, access_revoke, inspector_viewed, pack_create, pack_downloaded
from .windows import windows_refresh, windows_refresh_all

__all__ = [
    "access_grant",
    "access_revoke",
    "feedback_submit",
    "inspector_viewed",
    "pack_create",
    "pack_downloaded",
    "windows_refresh",
    "windows_refresh_all",
]
