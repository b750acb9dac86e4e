"""``compose``: a random generator and a few facts about a session (who, when, which agenda
items, which cases) make a version's content and welfare section, in the shape the services
write. Nothing here reads the database."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from . import words
from .cases import KOLB_KEYS, Case, Stage


@dataclass(frozen=True)
class Facts:
    """What the words depend on, for one record."""

    school: bool
    role: str
    held_on: datetime.date
    supervisor_id: int
    supervisee_id: int
    # (agenda item id, function, done)
    agenda: tuple[tuple[int, str, bool], ...]
    reflection_keys: tuple[str, ...]
    asye_week: int | None = None
    # The struggling team: little reflection, and the same action written session after
    # session (what its supervision audit finds).
    struggling: bool = False


STRUGGLING_ACTION = "Review the caseload and agree priorities"


def _pick(rng: random.Random, options: tuple[str, ...]) -> str:
    return rng.choice(options) if options else ""


def _values(rng: random.Random, facts: Facts) -> dict[str, Any]:
    next_month = facts.held_on.replace(day=1) + datetime.timedelta(days=32)
    return {
        "caseload": rng.randint(14, 22),
        "nqsw_caseload": rng.randint(5, 9),
        "families": rng.randint(7, 12),
        "cp": rng.randint(3, 8),
        "cin": rng.randint(4, 9),
        "assessment_days": rng.randint(28, 44),
        "audit_ref": f"CF-{rng.randrange(100000, 1000000)}",
        "supervisees": rng.randint(3, 5),
        "deadline": 10,
        "pct": rng.randint(78, 97),
        "visits_pct": rng.randint(85, 98),
        "rereferral": rng.randint(14, 22),
        "reading": rng.randint(68, 86),
        "maths": rng.randint(64, 84),
        "concerns": rng.randint(18, 40),
        "sen": rng.randint(28, 41),
        "attendance": round(rng.uniform(94.0, 96.8), 1),
        "cpd": rng.randint(2, 6),
        "leave": rng.randint(4, 22),
        "flexi": rng.randint(6, 14),
        "next_month": f"{next_month:%B}",
        "week": facts.asye_week or 0,
    }


def _sentences(
    rng: random.Random, pools: tuple[tuple[str, ...], ...], values: dict[str, Any]
) -> str:
    words = [_pick(rng, pool).format(**values) for pool in pools]
    return " ".join(w for w in words if w)


def _key(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def _due(rng: random.Random, held_on: datetime.date, days: tuple[int, ...]) -> str:
    return (held_on + datetime.timedelta(days=rng.choice(days))).isoformat()


def case_discussion(rng: random.Random, case: Case, facts: Facts) -> tuple[dict[str, Any], Stage]:
    """One case discussion in a record, at the case's next stage, and that stage."""
    stage = case.next_stage()
    reflection = dict.fromkeys(facts.reflection_keys, "")
    if rng.random() < (0.2 if facts.struggling else 0.75):
        texts = dict(zip(KOLB_KEYS, case.kind.reflection, strict=True))
        keys = list(facts.reflection_keys)
        keep = keys if rng.random() < 0.6 else rng.sample(keys, min(2, len(keys)))
        for n, key in enumerate(keys):
            if key in keep:
                reflection[key] = texts.get(key) or case.kind.reflection[n % 4]
    return {
        "key": _key(rng),
        "case_reference": case.reference,
        "label": case.label,
        "discussion": stage.discussion,
        "reflection": reflection,
        "decision": stage.decision,
        "rationale": stage.rationale,
    }, stage


def compose(rng: random.Random, facts: Facts, cases: list[Case]) -> tuple[dict[str, Any], str]:
    """A record's full words: the version content and the welfare section."""
    values = _values(rng, facts)
    performance = _sentences(rng, words.PERFORMANCE[facts.role], values)
    development_pool = words.DEVELOPMENT[facts.role]
    development = " ".join(rng.sample(development_pool, min(2, len(development_pool))))
    if facts.asye_week is not None:
        line = next(text for weeks, text in words.ASYE if facts.asye_week < weeks)
        development = f"{line.format(**values)} {development}"
    development = development.format(**values)
    welfare = _sentences(rng, words.WELFARE, values)
    if not facts.school and rng.random() < 0.25:
        welfare = f"{welfare} {rng.choice(words.COUNCIL_WELFARE)}"
    agenda = {
        str(pk): _pick(rng, words.AGENDA_NOTES.get(function, words.AGENDA_NOTES["management"]))
        if done
        else words.NOT_REACHED
        for pk, function, done in facts.agenda
    }
    discussions = []
    actions = []
    owners = {"supervisee": facts.supervisee_id, "supervisor": facts.supervisor_id}
    for case in cases:
        discussion, stage = case_discussion(rng, case, facts)
        discussions.append(discussion)
        for text in stage.actions[:1] if rng.random() < 0.7 else stage.actions:
            actions.append(
                {
                    "key": _key(rng),
                    "text": text,
                    "owner": facts.supervisee_id,
                    "due_on": _due(rng, facts.held_on, (5, 7, 10, 14)),
                    "case_reference": case.reference,
                }
            )
    general = words.GENERAL_ACTIONS["school" if facts.school else "council"]
    for who, text in rng.sample(general, rng.choice((0, 0, 1, 1, 2))):
        actions.append(
            {
                "key": _key(rng),
                "text": text,
                "owner": owners[who],
                "due_on": _due(rng, facts.held_on, (7, 14, 21, 28)),
                "case_reference": "",
            }
        )
    if facts.struggling:
        actions.append(
            {
                "key": _key(rng),
                "text": STRUGGLING_ACTION,
                "owner": facts.supervisee_id,
                "due_on": _due(rng, facts.held_on, (28,)),
                "case_reference": "",
            }
        )
    content = {
        "sections": {"performance": performance, "development": development},
        "agenda": agenda,
        "cases": discussions,
        "actions": actions,
    }
    return content, welfare


def empty(facts: Facts) -> dict[str, Any]:
    """The content of a record just started: the agenda in place, nothing written."""
    return {
        "sections": {"performance": "", "development": ""},
        "agenda": {str(pk): "" for pk, _, _ in facts.agenda},
        "cases": [],
        "actions": [],
    }
