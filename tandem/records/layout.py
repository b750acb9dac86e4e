"""How a record is laid out: its sections, with prompts from the agreement's template, and the
reflective model its case discussions follow.

Three sections every record has, whatever the template calls them: performance and workload,
professional development, and welfare and support (kept apart and restricted). The template's
own headings and bullet points become the section headings and prompts, so a council record
reads like the council's contract and a school's like the school's. A layout is copied onto the
record when it is started and never changes with it.
"""

from __future__ import annotations

import re
from typing import Any

PERFORMANCE = "performance"
DEVELOPMENT = "development"
WELFARE = "welfare"
SECTION_KEYS = (PERFORMANCE, DEVELOPMENT, WELFARE)

DEFAULT_SECTIONS: dict[str, dict[str, Any]] = {
    PERFORMANCE: {
        "heading": "Performance and workload",
        "prompts": [
            "Activities undertaken",
            "Case consultation and discussion",
            "Case file audit discussion",
        ],
    },
    DEVELOPMENT: {
        "heading": "Professional development",
        "prompts": [
            "Induction requirements",
            "Training requirements, CPD and development plans",
            "Longer term development plans and professional goals",
        ],
    },
    WELFARE: {
        "heading": "Welfare and support",
        "prompts": [
            "Factors affecting performance",
            "Personal issues",
            "Stress-related issues",
            "Absences from work",
            "Health and safety",
            "Annual leave and flexi time",
            "Equality issues",
            "Feedback on supervision",
        ],
    },
}

# Which of a template's standard terms describes each section (the built-in templates' keys).
TEMPLATE_TERMS = {
    PERFORMANCE: ("performance_management", "accountability_objectives"),
    DEVELOPMENT: ("professional_development_discussions", "professional_development"),
    WELFARE: ("welfare_support", "support_objectives"),
}

ASYE_PROMPT = (
    "ASYE progress: on-going assessment against the ASYE level of the Professional Capabilities "
    "Framework"
)

# Reflective models for case discussions (see docs/decisions and the domain notes). Each is
# versioned: a record keeps the model and version it was written with.
REFLECTION_MODELS: dict[str, dict[str, Any]] = {
    "kolb_4x4x4": {
        "name": "Morrison's 4x4x4 model (Kolb cycle)",
        "version": "2005",
        "prompts": [
            ("experience", "Experience", "What happened? What did you see, hear and do?"),
            ("reflection", "Reflection", "How did it feel? What struck you, and why?"),
            (
                "analysis",
                "Analysis",
                "What does it mean? What knowledge, research or "
                "hypotheses help explain it? What else could be going on?",
            ),
            (
                "action_plan",
                "Action plan",
                "What needs to happen next, and what would show it is working?",
            ),
        ],
    },
    "signs_of_safety": {
        "name": "Signs of Safety",
        "version": "2.0",
        "prompts": [
            ("worried", "What are we worried about?", "Harm, danger and complicating factors."),
            ("working_well", "What is working well?", "Existing safety and strengths."),
            ("needs_to_happen", "What needs to happen?", "Next steps and safety goals."),
            ("scale", "Safety scale (0 to 10)", "Where is this case today, and why?"),
        ],
    },
    "seven_eyed": {
        "name": "Hawkins and Shohet seven-eyed model",
        "version": "2012",
        "prompts": [
            ("client", "The client", "What is happening for the person or family?"),
            ("interventions", "Interventions", "What have you done, and what else could you?"),
            ("relationship", "The working relationship", "What is happening between you?"),
            ("own_process", "Your own process", "What is this stirring up in you?"),
            ("wider_context", "The wider context", "What in the organisation or system matters?"),
        ],
    },
}
DEFAULT_REFLECTION_MODEL = "kolb_4x4x4"

# A case reference as case management systems write them: letters, digits, hyphens and
# slashes, with at least one digit, 3 to 30 characters (e.g. CF-204981, LAC/1234, 7654321).
CASE_REFERENCE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9/-]{2,29}"
CASE_REFERENCE_HINT = (
    "The reference from the case management system, for example CF-204981: letters, numbers, "
    "hyphens and slashes only, with at least one number. No names or case details."
)


def case_reference_problem(reference: str) -> str | None:
    """Why a case reference is not acceptable, in plain words; None when it is."""
    if not reference:
        return "Enter the case reference."
    if not re.fullmatch(CASE_REFERENCE_PATTERN, reference) or not re.search(r"\d", reference):
        return (
            "Enter a case reference like CF-204981: 3 to 30 letters, numbers, hyphens or "
            "slashes, with at least one number."
        )
    return None


def _prompts_from_term(text: str) -> list[str]:
    return [line[2:].strip() for line in text.splitlines() if line.startswith("- ")]


def _template_terms(template_content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    terms = {}
    for section in template_content.get("sections", []):
        for term in section.get("terms", []):
            terms[term.get("key", "")] = term
    return terms


def layout_for(
    *,
    template_content: dict[str, Any] | None,
    reflection_model: str = DEFAULT_REFLECTION_MODEL,
    asye: bool = False,
) -> dict[str, Any]:
    """The layout of a new record: each section's heading and prompts (from the template where
    it has them), and the reflective model for case discussions."""
    terms = _template_terms(template_content or {})
    sections = []
    for key in SECTION_KEYS:
        section = {"key": key, **DEFAULT_SECTIONS[key], "restricted": key == WELFARE}
        for term_key in TEMPLATE_TERMS[key]:
            term = terms.get(term_key)
            if term:
                prompts = _prompts_from_term(term.get("text", ""))
                section["heading"] = term.get("heading") or section["heading"]
                section["prompts"] = prompts or section["prompts"]
                break
        section["prompts"] = list(section["prompts"])
        if key == DEVELOPMENT and asye:
            section["prompts"].append(ASYE_PROMPT)
        sections.append(section)
    model_key = (
        reflection_model if reflection_model in REFLECTION_MODELS else DEFAULT_REFLECTION_MODEL
    )
    model = REFLECTION_MODELS[model_key]
    return {
        "sections": sections,
        "reflection": {
            "key": model_key,
            "name": model["name"],
            "version": model["version"],
            "prompts": [
                {"key": key, "label": label, "hint": hint} for key, label, hint in model["prompts"]
            ],
        },
    }


def section_heading(layout: dict[str, Any], key: str) -> str:
    for section in layout.get("sections", []):
        if section["key"] == key:
            return str(section["heading"])
    return DEFAULT_SECTIONS[key]["heading"]
