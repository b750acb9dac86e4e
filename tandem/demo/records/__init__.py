"""The demo organisations' supervision records: ``load_demo_records``, run by ``load_demo``.

It builds on the sessions that ``tandem.demo.meetings`` loads: every held one-to-one (and ad
hoc) session with a supervisee gets its record, in the state its age gives it:

* **The past** (the sharing deadline has gone by): agreed and signed by both. Most were shared
  within the organisation's working days; at Northbridge about 1 in 6 late a year ago and fewer
  month by month since (1 in 30 now), but nearly half in the struggling team (Child Protection
  West); at Hollyfield about 1 in 9. Each has its versions (the empty record started when the
  session was held, the supervisor's draft, now and then the supervisee's additions, sometimes
  after sharing), both signatures on the last version, and the audit events of every step at
  the times they happened. Their actions are done, but a few
  from the last months are still open and overdue. A couple were shared on time and still wait
  for the supervisee's signature.
* **The present** (still within the deadline): drafts for the last week or so, some not
  written yet; before that, shared and waiting for one or both signatures, a few signed by
  both. These go through the services (``record_start``, ``record_save``, ``record_share``,
  ``record_sign``), so their versions, notices and audit trail are the real thing, written
  when the demo is loaded.
* **Overdue drafts**: five Northbridge records of the last two months (one in each of five
  teams, so each team manager sees one) and one at Hollyfield, past their due date and never
  shared.
* **The story**: Amira Hussain's first record is signed by both, with an action of hers
  overdue; her second waits for her signature. Grace Adeyemi's record of the safeguarding
  session with Tom Bennett waits for hers. Daniel Okafor disagreed with a decision in a record
  of his supervision with Claire Whitehouse; the head of service it was routed to resolved it.
  He added an addendum to another, which both signed. Bukola Adebayo disagrees with how her
  latest record with Fiona Gallagher sets out her team's allocation: it is routed to Helen
  Marsh, the assistant director, and waits for her. At Hollyfield, Rebecca Lewis opened the
  welfare section of a record of Connor Walsh's by break-glass, for a grievance, as the
  school's agreement allows.

The past is written in bulk (``bulk_create``, in ``past``): through the services, which check,
lock and notify at every step, it would take five times as long, and the services stamp
everything "now". Its rows are those the services would write, with the same content hashes,
signatures and audit events. Story steps go through the services, then their times are moved back to when they
happened (fields the models allow to change: never a version's words or a signature).

The words come from ``compose`` (with ``words``, ``roles`` and ``case_kinds``), drawn by a
generator seeded with each supervisee's staff number: the same demo on the same day gets the same
records, and each supervisee's cases come back from session to session, their story moving on. Idempotent: an organisation
that already has a record gets none. No email is sent while loading; notices are.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from tandem.demo.organisations import HOLLYFIELD, MEADOWBANK, NORTHBRIDGE
from tandem.organisations.models import Organisation
from tandem.records.models import Record

from .past import Past
from .plan import Fate
from .present import Present


class _Builder(Past, Present):
    """Plans the records, writes the past, takes the present through the services, then the
    story."""


@contextmanager
def no_email() -> Iterator[None]:
    """The services email both parties at each step; loading the demo sends nothing (the
    notices in Tandem are kept)."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


@transaction.atomic
def _load(organisation: Organisation, today: datetime.date) -> Counter[str]:
    builder = _Builder(organisation, today)
    entries = builder.plan()
    builder.write_past(entries)
    builder.write_present(entries)
    made = builder.story(entries)
    made["records"] = len(entries)
    for entry in entries:
        made[entry.fate] += 1
    return made


def load_demo_records(today: datetime.date | None = None) -> dict[str, int]:
    """Give the demo organisations their supervision records (see the module's docstring).
    Returns counts of what was made: ``records``, and among them ``signed`` (by both),
    ``shared`` (waiting for one or both signatures), ``drafts`` and ``overdue`` (drafts past
    their due date); ``disagreements`` and ``resolved``, ``addenda`` and ``welfare_opened``
    (break-glass). All 0 on a second run, or without the demo organisations."""
    today = today or timezone.localdate()
    made: Counter[str] = Counter()
    with no_email():
        for name in (NORTHBRIDGE, HOLLYFIELD, MEADOWBANK):
            organisation = Organisation.objects.filter(name=name).first()
            if organisation is None or Record.objects.for_organisation(organisation).exists():
                continue
            made += _load(organisation, today)
    return {
        "records": made["records"],
        "signed": made[Fate.SIGNED] + made[Fate.BOTH],
        "shared": made[Fate.AWAITING] + made[Fate.SHARED] + made[Fate.HALF],
        "drafts": made[Fate.EMPTY] + made[Fate.DRAFT] + made[Fate.OVERDUE],
        "overdue": made[Fate.OVERDUE],
        "disagreements": made["resolved"] + made["open_disagreements"],
        "resolved": made["resolved"],
        "addenda": made["addenda"],
        "welfare_opened": made["welfare_opened"],
    }
