"""The frameworks an early-career programme assesses against, with their versions: the PCF's
nine domains (BASW, 2018) and the Knowledge and Skills Statement for child and family
practitioners (DfE, 2018). Stored by number on evidence and self-assessments, so a later
version of a framework does not rewrite what was recorded against an earlier one."""

from __future__ import annotations

from django.db import models

PCF_VERSION = "PCF (BASW, 2018)"
PCF_DOMAINS: list[tuple[int, str]] = [
    (1, "Professionalism"),
    (2, "Values and ethics"),
    (3, "Diversity and equality"),
    (4, "Rights, justice and economic wellbeing"),
    (5, "Knowledge"),
    (6, "Critical reflection and analysis"),
    (7, "Skills and interventions"),
    (8, "Contexts and organisations"),
    (9, "Professional leadership"),
]

KSS_VERSION = "KSS for child and family practitioners (DfE, 2018)"
KSS_STATEMENTS: list[tuple[int, str]] = [
    (1, "Relationships and effective direct work"),
    (2, "Communication"),
    (3, "Child development"),
    (
        4,
        "Adult mental ill health, substance misuse, domestic abuse, physical ill health and disability",
    ),
    (5, "Abuse and neglect of children"),
    (6, "Child and family assessment"),
    (7, "Analysis, decision-making, planning and review"),
    (8, "The law and the family and youth justice systems"),
    (9, "The role of supervision"),
    (10, "Organisational context"),
]


class Rating(models.TextChoices):
    EMERGING = "emerging", "Emerging"
    DEVELOPING = "developing", "Developing"
    SECURE = "secure", "Secure"


def domain_names(numbers: list[int]) -> list[str]:
    names = dict(PCF_DOMAINS)
    return [f"{n}. {names[n]}" for n in numbers if n in names]
