"""The built-in supervision audit instrument: what councils' audit tools ask (../shared/
domain.md), in groups, weighted. An organisation gets its own copy to change; each criterion
with a ``fact`` is filled in by Tandem (``facts.py``), the rest is for the auditor's judgement."""

from __future__ import annotations

# (group, text, weight, fact)
BUILT_IN: list[tuple[str, str, int, str]] = [
    (
        "The agreement",
        "A supervision agreement is in place, signed by both, stating the frequency and type",
        2,
        "agreement",
    ),
    (
        "Frequency",
        "Supervision took place as often as the policy and the agreement require",
        2,
        "frequency",
    ),
    ("Frequency", "Reasons are recorded for sessions that did not take place", 1, "cancellations"),
    ("The session", "The agenda was set jointly", 1, "joint_agenda"),
    ("The session", "Reflection is evident in the case discussions", 2, "reflection"),
    ("The session", "Case decisions are recorded with their rationale", 2, "rationale"),
    (
        "The session",
        "Actions are specific, owned, dated and followed through",
        2,
        "repeated_actions",
    ),
    ("The session", "Supervision is supportive and also challenges practice", 2, ""),
    ("The person", "Staff care, workload and welfare are covered", 1, "welfare"),
    ("The person", "CPD and appraisal targets are reviewed", 1, "objectives"),
    ("The record", "Both signed the record within the deadline", 2, "signatures"),
]
