"""The whole demo in one call (``demo_load``) and what ``manage.py load_demo`` prints of it
(``demo_report``). The test suite loads it through the same function, once per process."""

from __future__ import annotations

from dataclasses import dataclass

from tandem.core.scoping import across_organisations
from tandem.demo.agreements import load_demo_agreements
from tandem.demo.development import load_demo_development
from tandem.demo.meetings import load_demo_sessions
from tandem.demo.organisations import DEMO_PASSWORD, DEMO_URL, DemoLogin, load_demo
from tandem.demo.oversight import load_demo_oversight
from tandem.demo.quality import load_demo_quality
from tandem.demo.records import load_demo_records


@dataclass(frozen=True)
class Loaded:
    """What loading the demo made: the logins and, per app, the counts it reports."""

    logins: list[DemoLogin]
    agreements: int
    sessions: dict[str, int]
    records: dict[str, int]
    development: dict[str, int]
    oversight: dict[str, int]
    quality: dict[str, int]


@across_organisations("loading the demo organisations")
def demo_load() -> Loaded:
    """Load (or bring up to date) the demo organisations, app by app, each through the apps'
    own services. Safe to run again: nothing is duplicated."""
    logins = load_demo()
    agreements = load_demo_agreements()
    sessions = load_demo_sessions()
    records = load_demo_records()
    development = load_demo_development()
    oversight = load_demo_oversight()
    return Loaded(
        logins, agreements, sessions, records, development, oversight, load_demo_quality()
    )


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def demo_report(loaded: Loaded) -> str:
    """What was made, who to sign in as, the password and the address, as lines of text."""
    sessions, records, oversight = loaded.sessions, loaded.records, loaded.oversight
    development, quality = loaded.development, loaded.quality
    header = ("Organisation", "Role", "Name", "Email")
    rows = [header, *((x.organisation, x.role, x.name, x.email) for x in loaded.logins)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    logins = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    logins.insert(1, "  ".join("-" * w for w in widths))
    lines = [
        f"Demo supervision agreements made: {loaded.agreements}.",
        f"Demo supervision sessions made: {sessions['sessions']} ({sessions['held']} "
        f"held, {sessions['cancelled']} cancelled, {sessions['scheduled']} scheduled; "
        f"{sessions['rebooked']} re-booked), with {sessions['agenda_items']} agenda "
        f"items. Term dates added: {sessions['term_dates']}; closure days added: "
        f"{sessions['closure_days']}.",
        f"Demo supervision records made: {records['records']} ({records['signed']} "
        f"signed by both, {records['shared']} shared and awaiting signatures, "
        f"{records['drafts']} drafts, {records['overdue']} of them overdue), with "
        f"{_count(records['disagreements'], 'disagreement')} "
        f"({records['resolved']} resolved), {_count(records['addenda'], 'addendum', 'addenda')}"
        f" and {_count(records['welfare_opened'], 'break-glass opening')} of a welfare "
        "section.",
        f"Demo oversight: figures count from the start of the demo's history "
        f"({_count(oversight['windows'], 'window')} of sessions required up to date), "
        f"with {_count(oversight['feedback'], 'feedback response')} made, "
        f"{_count(oversight['packs'], 'evidence pack')} and "
        f"{_count(oversight['accesses'], 'inspector access', 'inspector accesses')}.",
        f"Demo development: {_count(development['asyes'], 'ASYE')} "
        f"({development['reviews']} reviews held, "
        f"{_count(development['observations'], 'direct observation')}), "
        f"{_count(development['cpd'], 'CPD record')}, "
        f"{_count(development['objectives'], 'objective')}, "
        f"{_count(development['appraisals'], 'appraisal')}, "
        f"{_count(development['revalidations'], 'revalidation')}, "
        f"{_count(development['care_certificates'], 'Care Certificate')} and "
        f"{_count(development['safeguarding_leads'], 'safeguarding lead')}.",
        f"Demo quality of supervision: {_count(quality['case_audits'], 'case-file audit')} "
        f"in {_count(quality['rounds'], 'monthly selection')} ({quality['learning']} with the "
        f"learning recorded, {quality['impact']} with its impact checked), "
        f"{_count(quality['supervision_audits'], 'supervision audit')}, "
        f"{_count(quality['group_records'], 'group record')}, "
        f"{_count(quality['pathways'], 'practice supervisor')} on the pathway, "
        f"{quality['pipeline']} in the pipeline and "
        f"{_count(quality['equality'], 'equality declaration')}.",
        "Demo organisations loaded. Sign in as any of these:\n",
        *logins,
        f"\nPassword for every demo login: {DEMO_PASSWORD}",
        f"Open {DEMO_URL}",
    ]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
