"""The Knowledge and Skills Statement for practice supervisors (child and family; DfE, 2018):
its headings, stored by number on each self-assessment (../shared/domain.md)."""

from __future__ import annotations

PS_KSS_VERSION = "KSS for practice supervisors in child and family social work (DfE, 2018)"
PS_KSS_HEADINGS: list[tuple[int, str]] = [
    (1, "Promote and govern excellent practice"),
    (2, "Developing excellent practitioners"),
    (3, "Shaping and influencing the practice system"),
    (4, "Effective use of power and authority"),
    (5, "Confident analysis and decision-making"),
    (6, "Purposeful and effective social work"),
    (7, "Emotionally intelligent practice supervision"),
    (8, "Performance management and improvement"),
]
