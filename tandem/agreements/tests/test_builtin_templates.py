"""The built-in templates reproduce their source documents.

The sources are the seed texts beside the repository (``../shared/seeds``): 000 is the council's
supervision contract, 001 the school's staff supervision agreement. The rules below pick out of
them every heading, label and piece of standard wording, and the tests check that the built-in
template shows each one (headings and labels as headings or field labels; the form's own
wording, word for word, in its terms or guidance).

What the rules pick out is kept in the repository (``seed_sources.json``), so that the tests run
in any clone; where the seeds are beside it, one more test checks that the kept copy is still
what the rules find in them. After changing a rule or a seed, write it again:
``TANDEM_WRITE_SEED_SOURCES=1 .venv/bin/python -m pytest -k kept_copy tandem/agreements``.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps

from tandem.agreements import builtin
from tandem.agreements.builtin import (
    BUILTIN_TEMPLATES,
    COUNCIL_CONTRACT,
    SCHOOL_AGREEMENT,
    builtin_templates_load,
)
from tandem.agreements.content import check_template_content, headings
from tandem.agreements.models import AgreementTemplate, AgreementTemplateVersion

SEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"
KEPT = Path(__file__).with_name("seed_sources.json")


def _seed(pattern: str) -> str | None:
    found = sorted(SEEDS.glob(pattern))
    return found[0].read_text(encoding="utf-8") if found else None


# --- Comparing text ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Lower case, no list marker ("- ", "1. ", "a) "), markdown emphasis or punctuation."""
    text = text.replace("**", "").strip()
    text = re.sub(r"^(?:-\s+)?(?:\d+\.|[a-z]\))\s+", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _squash(text: str) -> str:
    """Whitespace collapsed; the exact words and punctuation kept."""
    return " ".join(text.split())


def _neutral(text: str) -> str:
    """The council's wording with the organisation's name made neutral, as the template has it."""
    text = re.sub(r"(^|(?<=[.!?:] ))Bolton Council", "The Council", text)
    return text.replace("Bolton Council", "the Council")


def _visible_headings(content: dict[str, Any]) -> set[str]:
    """Every heading, field label and term heading, and the columns of list fields."""
    found = list(headings(content))
    for section in content["sections"]:
        for item in section["fields"]:
            found += item.get("columns", [])
    return {_norm(text) for text in found}


def _terms(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [term for section in content["sections"] for term in section["terms"]]


def _wording(content: dict[str, Any]) -> str:
    """All the form's own wording: introduction, guidance, and each term's heading and text."""
    parts = [content.get("introduction", "")]
    for section in content["sections"]:
        parts.append(section.get("guidance", ""))
        parts += [f"{term['heading']}\n{term['text']}" for term in section["terms"]]
    parts += [f"{part['heading']}\n{part['text']}" for part in content.get("closing", [])]
    return "\n".join(parts)


def _term_by_heading(content: dict[str, Any], heading: str) -> dict[str, Any]:
    matches = [term for term in _terms(content) if _norm(term["heading"]) == _norm(heading)]
    assert len(matches) == 1, f"no single term headed {heading!r}"
    return matches[0]


def _bullet_lines(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


def _fields(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for section in content["sections"] for item in section["fields"]}


# --- Reading the sources ----------------------------------------------------------------------


@dataclass
class Source:
    title: str = ""
    headings: list[str] = field(default_factory=list)  # headings and labels the template shows
    fill_ins: list[str] = field(default_factory=list)  # the blanks' wording: field labels
    wording: list[str] = field(default_factory=list)  # the form's own words: terms or guidance
    lists: dict[str, list[str]] = field(default_factory=dict)  # numbered heading -> its bullets


# In these council sections the bullets are blanks to fill in ("The frequency of supervision will
# be ..."); everywhere else a bullet is the form's own wording.
COUNCIL_FILL_IN_SECTIONS = {"format of supervision", "expectations of supervision"}


def _is_capitals(line: str) -> bool:
    letters = [char for char in line if char.isalpha()]
    return len(letters) > 2 and all(char.isupper() for char in letters)


def parse_council(text: str) -> Source:
    """The council's contract, line by line.

    A line starting with a lower-case letter continues the one before. The first line is the
    organisation's name, which the template leaves out. A heading is a line in capitals, or a
    short line (eight words at most) that is not a sentence ending in a full stop; a line of
    tab-separated cells is a row of labels or column names; a bullet starting with a number is
    a numbered sub-heading ("1. Performance Management discussions** to include:") and the
    bullets after it are its list. Signature lines ("_____") are Tandem's own. Everything else
    is the form's wording, except the bullets of the fill-in sections, which are blanks; a blank
    may end with a full sentence of the form's wording ("... will be The record will be shared
    ...").
    """
    items: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.strip()[0].islower() and items:
            items[-1] = f"{items[-1].rstrip()} {line.strip()}"
        else:
            items.append(line.rstrip())
    _organisation, *items = items
    source, section, current_list = Source(), "", None
    for item in items:
        bullet = re.match(r"^( ?)- (.*)$", item)
        if bullet:
            nested, body = bool(bullet.group(1)), bullet.group(2).strip()
            if not nested and re.match(r"^\d+\. ", body):
                heading = body.split("**")[0].strip()
                source.headings.append(heading)
                current_list = source.lists.setdefault(heading, [])
            elif not nested and section in COUNCIL_FILL_IN_SECTIONS:
                blank = re.match(r"^(.*?) ([A-Z][^.]*\.)$", body)
                if blank:
                    source.fill_ins.append(blank.group(1))
                    source.wording.append(blank.group(2))
                else:
                    source.fill_ins.append(body)
            else:
                source.wording.append(body)
                if current_list is not None:
                    current_list.append(body)
        elif item.startswith("_"):
            continue
        elif "\t" in item:
            source.headings += [cell.strip() for cell in item.split("\t") if cell.strip()]
        elif _is_capitals(item) or (len(item.split()) <= 8 and not item.endswith(".")):
            heading = item.rstrip(":").strip()
            if not source.title:
                source.title = heading
            source.headings.append(heading)
            if re.match(r"^\d+\. ", heading):
                current_list = source.lists.setdefault(heading, [])
            else:
                section, current_list = _norm(heading), None
        else:
            source.wording.append(item.strip())
    return source


@dataclass
class SchoolSource(Source):
    title_line: str = ""
    parties: list[str] = field(default_factory=list)
    introduction: str = ""
    labels_by_heading: dict[str, list[str]] = field(default_factory=dict)
    yes_no: list[str] = field(default_factory=list)
    numbered_terms: dict[str, str] = field(default_factory=dict)  # heading -> its text


def parse_school(text: str) -> SchoolSource:
    """The school's agreement.

    The title is what follows the logos' image text on its line. "Agreement between ... (X) and
    ... (Y)" names the parties; the paragraph after it is the introduction. Then, indented, the
    form: blocks separated by blank lines, where a block of one line is a heading and a block of
    two is a label and its example answer (a "Yes" answer makes it a yes or no question). After
    the form: numbered terms ("1. Confidentiality: text"), "Signed:", and the closing notes,
    whose headings are lines in capitals, short lines ending in ":" and numbered lines with no
    text, each followed by its bullets ("· "). The signature lines ("Signed:", "Date:") are
    Tandem's own: only the "Signed" heading is kept.
    """
    lines = text.splitlines()
    source = SchoolSource()
    title_line = next(line for line in lines if "Agreement" in line and "]" in line)
    source.title_line = title_line.rsplit("]", 1)[1].strip()
    between_at = next(i for i, line in enumerate(lines) if "Agreement between" in line)
    source.headings.append("Agreement between")
    source.parties = re.findall(r"\((\w+)\)", lines[between_at])
    rest = lines[between_at + 1 :]
    introduction_at = next(i for i, line in enumerate(rest) if line.strip())
    source.introduction = rest[introduction_at].strip()

    # The indented form, from after the introduction to the first line that is not indented.
    after_intro = rest[introduction_at + 1 :]
    rest_at = next(i for i, line in enumerate(after_intro) if line.strip() and line[0] != "\t")
    body = [line.strip() for line in after_intro[:rest_at]]
    blocks, block = [], []
    for line in [*body, ""]:
        if line:
            block.append(line)
        elif block:
            blocks.append(block)
            block = []
    heading = ""
    for block in blocks:
        if len(block) == 1:
            heading = block[0]
            source.headings.append(heading)
            source.labels_by_heading[heading] = []
        else:
            label, answer = block[0], block[1]
            source.headings.append(label)
            source.labels_by_heading[heading].append(label)
            if answer.strip().rstrip(".").lower() in ("yes", "no"):
                source.yes_no.append(label)

    current = None
    for line in (line.strip() for line in after_intro[rest_at:]):
        if not line:
            continue
        numbered = re.match(r"^\d+\.\s+([^:]+):\s*(.*)$", line)
        if numbered and numbered.group(2):
            source.numbered_terms[numbered.group(1)] = numbered.group(2).strip()
            source.headings.append(numbered.group(1))
        elif numbered:
            current = numbered.group(1)
            source.headings.append(current)
            source.lists[current] = []
        elif line.startswith("Signed:"):
            source.headings.append("Signed")
        elif line.startswith("Date:"):
            continue  # the signatures' dates, which Tandem records
        elif line.startswith("·"):
            assert current is not None
            source.lists[current].append(line.lstrip("· ").strip())
            source.wording.append(line.lstrip("· ").strip())
        elif _is_capitals(line) or (line.endswith(":") and len(line.split()) <= 8):
            current = line.rstrip(":").strip()
            source.headings.append(current)
            source.lists[current] = []
        else:
            source.wording.append(line)
    return source


def extracted(council_text: str, school_text: str) -> dict[str, Any]:
    """Everything the tests check, picked out of the two source documents."""
    mandate = council_text.split("MANDATE FOR SUPERVISION:")[1].split("FORMAT OF SUPERVISION:")[0]
    paragraph, *functions = [line for line in mandate.splitlines() if line.strip()]
    block = council_text.split("\nDisagreements\n")[1].split("Dates of Supervision Meetings")[0]
    disagreements = [part.strip() for part in re.split(r"\n\s*-\s+", "\n" + block) if part.strip()]
    return {
        "council": asdict(parse_council(council_text)),
        "school": asdict(parse_school(school_text)),
        "mandate": {"paragraph": paragraph, "functions": functions},
        "disagreements": disagreements,
    }


def _kept() -> dict[str, Any]:
    kept: dict[str, Any] = json.loads(KEPT.read_text(encoding="utf-8"))
    return kept


@pytest.fixture(scope="module")
def council() -> Source:
    return Source(**_kept()["council"])


@pytest.fixture(scope="module")
def school() -> SchoolSource:
    return SchoolSource(**_kept()["school"])


def test_the_kept_copy_is_what_the_rules_find_in_the_seeds() -> None:
    council_text, school_text = _seed("000_*.txt"), _seed("001_*.txt")
    if council_text is None or school_text is None:
        pytest.skip(f"The source documents are not beside this clone ({SEEDS}).")
    found = extracted(council_text, school_text)
    if os.environ.get("TANDEM_WRITE_SEED_SOURCES"):
        KEPT.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert found == _kept(), (
        "seed_sources.json is out of date: run this test with TANDEM_WRITE_SEED_SOURCES=1"
    )


# --- The council's contract -------------------------------------------------------------------


def test_the_parser_finds_the_council_contracts_parts(council: Source) -> None:
    # A guard on the rules above: they find the parts a reader sees, no fewer.
    assert _norm(council.title) == "supervision contract"
    assert len(council.headings) >= 20
    assert len(council.fill_ins) == 11  # 5 in the format, 6 expectations
    assert set(council.lists) == {
        "1. Performance Management discussions",
        "2. Professional Development discussions of your skills, knowledge base and value base",
        "3. Welfare/Support Issues",
    }


def test_every_council_heading_and_label_is_in_the_template(council: Source) -> None:
    shown = _visible_headings(COUNCIL_CONTRACT)
    assert _norm(COUNCIL_CONTRACT["title"]) == _norm(council.title)
    missing = [heading for heading in council.headings if _norm(heading) not in shown]
    assert missing == []


def test_every_council_blank_is_a_field(council: Source) -> None:
    labels = {_norm(item["label"]) for item in _fields(COUNCIL_CONTRACT).values()}
    for blank in council.fill_ins:
        if _norm(blank) in labels:
            continue
        # A sentence with two blanks ("Method of recording the session will be ... and the
        # person responsible for recording the session will be ...") is one field, labelled
        # from its opening words.
        opening = " ".join(_norm(blank).split()[:5])
        assert any(label.startswith(opening) for label in labels), blank
    assert _fields(COUNCIL_CONTRACT)["recording"]["label"].startswith(
        "Method of recording the session"
    )


def test_the_council_wording_is_in_the_template(council: Source) -> None:
    wording = _norm(_wording(COUNCIL_CONTRACT))
    missing = [text for text in council.wording if _norm(_neutral(text)) not in wording]
    assert missing == []


def test_the_council_lists_are_word_for_word(council: Source) -> None:
    for heading, items in council.lists.items():
        term = _term_by_heading(COUNCIL_CONTRACT, heading)
        assert _bullet_lines(term["text"]) == items, heading


def test_the_mandate_is_word_for_word_with_the_council_neutral() -> None:
    mandate = _kept()["mandate"]
    paragraph, functions = mandate["paragraph"], mandate["functions"]
    assert [function[:4] for function in functions] == ["- a)", "- b)", "- c)", "- d)", "- e)"]
    section = next(
        s for s in COUNCIL_CONTRACT["sections"] if s["heading"] == "Mandate for supervision"
    )
    text = _squash("\n".join(term["text"] for term in section["terms"]))
    assert "Bolton" not in text
    assert text.startswith(_squash(_neutral(paragraph)))
    for function in functions:
        assert _squash(function) in text
    assert "to CEC standards" in text


def test_the_disagreements_are_word_for_word() -> None:
    paragraphs = _kept()["disagreements"]
    assert len(paragraphs) == 3
    section = next(s for s in COUNCIL_CONTRACT["sections"] if s["heading"] == "Disagreements")
    text = _squash("\n".join(term["text"] for term in section["terms"]))
    for paragraph in paragraphs:
        assert _squash(_neutral(paragraph)) in text


def test_the_council_review_note() -> None:
    note = _term_by_heading(COUNCIL_CONTRACT, "Note")["text"]
    assert note == (
        "The contract must be reviewed on an annual basis. It must also be reviewed when there "
        "is a change of supervisor."
    )
    assert (
        "The record will be shared within 10 working days and will be signed by both parties once agreed as a true record."
        in _wording(COUNCIL_CONTRACT)
    )


# --- The school's agreement -------------------------------------------------------------------


def test_the_parser_finds_the_school_agreements_parts(school: SchoolSource) -> None:
    assert list(school.labels_by_heading) == ["Practical Arrangements", "Content", "Making it work"]
    assert sum(len(labels) for labels in school.labels_by_heading.values()) == 16
    assert len(school.numbered_terms) == 8
    assert school.parties == ["Supervisor", "Supervisee"]
    assert school.yes_no == ["All areas below covered with supervisee?"]


def test_every_school_heading_and_label_is_in_the_template(school: SchoolSource) -> None:
    assert school.title_line.endswith(SCHOOL_AGREEMENT["title"])
    shown = _visible_headings(SCHOOL_AGREEMENT)
    missing = [heading for heading in school.headings if _norm(heading) not in shown]
    assert missing == []


def test_the_school_form_keeps_its_sections(school: SchoolSource) -> None:
    by_heading = {
        section["heading"]: [item["label"] for item in section["fields"]]
        for section in SCHOOL_AGREEMENT["sections"]
    }
    for heading, labels in school.labels_by_heading.items():
        assert by_heading[heading] == labels
    fields = _fields(SCHOOL_AGREEMENT).values()
    for label in school.yes_no:
        assert next(item for item in fields if item["label"] == label)["type"] == "yes_no"


def test_the_school_parties_and_introduction(school: SchoolSource) -> None:
    people = [item for item in _fields(SCHOOL_AGREEMENT).values() if item["type"] == "person"]
    assert [(item["label"], item["party"]) for item in people] == [
        (party, party.lower()) for party in school.parties
    ]
    assert SCHOOL_AGREEMENT["introduction"] == school.introduction
    assert "Roar" not in str(SCHOOL_AGREEMENT)


def test_the_school_terms_are_word_for_word(school: SchoolSource) -> None:
    for heading, text in school.numbered_terms.items():
        term = _term_by_heading(SCHOOL_AGREEMENT, heading)
        assert term["heading"] == heading
        sentences = re.split(r"(?<=\.)\s+(?=[A-Z])", text)
        for sentence in sentences:
            assert _squash(sentence) in _squash(term["text"]), (heading, sentence)
        assert _squash(term["text"]) == _squash(text)


def test_the_school_aims_and_objectives_are_word_for_word(school: SchoolSource) -> None:
    lists = {heading: items for heading, items in school.lists.items() if items}
    assert set(lists) == {
        "The aim of supervision",
        "Accountability objectives",
        "Professional development",
        "Support objectives",
    }
    for heading, items in lists.items():
        assert _bullet_lines(_term_by_heading(SCHOOL_AGREEMENT, heading)["text"]) == items
    wording = _norm(_wording(SCHOOL_AGREEMENT))
    assert [text for text in school.wording if _norm(text) not in wording] == []


# --- Both ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [COUNCIL_CONTRACT, SCHOOL_AGREEMENT], ids=["council", "school"])
def test_the_content_is_valid(content: dict[str, Any]) -> None:
    assert check_template_content(content) == []


@pytest.mark.parametrize("content", [COUNCIL_CONTRACT, SCHOOL_AGREEMENT], ids=["council", "school"])
def test_the_practical_arrangements_and_parties_are_required(content: dict[str, Any]) -> None:
    fields = _fields(content)
    required = {key for key, item in fields.items() if item["required"]}
    assert required == {"frequency", "duration", "location", "supervisee", "supervisor"}
    assert "choices" not in fields["frequency"]
    for key in (
        "cancellation",
        "recording",
        "records_stored",
        "record_viewers",
        "confidentiality_exceptions",
        "escalation",
    ):
        assert key in fields
    for key in ("location", "cancellation", "confidentiality_exceptions", "escalation"):
        if content is COUNCIL_CONTRACT:
            assert fields[key]["hint"].startswith("Tandem's addition"), key
    for key in (
        "recording",
        "records_stored",
        "record_viewers",
        "confidentiality_exceptions",
        "escalation",
    ):
        if content is SCHOOL_AGREEMENT:
            assert fields[key]["hint"].startswith("Tandem's addition"), key


def test_the_duration_limits() -> None:
    assert (
        _fields(COUNCIL_CONTRACT)["duration"]["min"],
        _fields(COUNCIL_CONTRACT)["duration"]["max"],
    ) == (60, 240)
    assert (
        _fields(SCHOOL_AGREEMENT)["duration"]["min"],
        _fields(SCHOOL_AGREEMENT)["duration"]["max"],
    ) == (30, 120)


# --- Loading ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_loaded_both() -> None:
    templates = AgreementTemplate.objects.filter(organisation__isnull=True)
    assert sorted(templates.values_list("slug", flat=True)) == [
        "council-supervision-contract",
        "school-staff-supervision-agreement",
    ]
    for spec in BUILTIN_TEMPLATES:
        template = templates.get(slug=spec["slug"])
        assert template.name == spec["name"]
        assert template.is_builtin
        version = template.versions.get()
        assert version.number == 1
        assert version.content == spec["content"]


@pytest.mark.django_db
def test_loading_again_makes_no_new_version() -> None:
    assert builtin_templates_load() == []
    assert builtin_templates_load(django_apps) == []
    assert AgreementTemplate.objects.filter(organisation__isnull=True).count() == 2
    assert AgreementTemplateVersion.objects.filter(template__organisation__isnull=True).count() == 2


@pytest.mark.django_db
def test_changed_content_makes_version_2_and_keeps_version_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = builtin.BUILTIN_TEMPLATES[1]
    changed = copy.deepcopy(spec["content"])
    changed["introduction"] += " Changed."
    monkeypatch.setitem(spec, "content", changed)
    monkeypatch.setitem(spec, "name", "Staff supervision agreement (school, revised)")

    made = builtin_templates_load()

    assert [(version.template.slug, version.number) for version in made] == [
        ("school-staff-supervision-agreement", 2)
    ]
    template = AgreementTemplate.objects.get(organisation__isnull=True, slug=spec["slug"])
    assert template.name == "Staff supervision agreement (school, revised)"
    versions = {version.number: version.content for version in template.versions.all()}
    assert versions == {1: SCHOOL_AGREEMENT, 2: changed}
    assert builtin_templates_load() == []
    council = AgreementTemplate.objects.get(slug="council-supervision-contract")
    assert council.versions.count() == 1
