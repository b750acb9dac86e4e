"""Who may manage an organisation's working calendar: its closure days and term dates.

The predicates are the organisations app's; importing them here (not in core's models) keeps
core's models free of organisations at import time.
"""

from __future__ import annotations

import rules

from tandem.organisations.rules import is_org_admin, same_organisation

# The calendar page and adding to it: the organisation's admins.
rules.add_perm("core.manage_calendar", is_org_admin)
# Removing one closure day or half term: an admin of the organisation it belongs to.
rules.add_perm("core.change_calendar_entry", same_organisation & is_org_admin)
