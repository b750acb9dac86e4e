"""What the quality app adds to pages it does not own: a supervision record's development
section (a case-file audit's learning or impact to record in it), a person's page (their
pathway, the pipeline) and My supervision (audits to conduct or to read)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tandem.organisations.access import PersonRequest
from tandem.organisations.models import Person
from tandem.records.models import Record
from tandem.records.selectors import Access

from . import selectors, services
from .forms import NoteForm
from .models import AuditStatus, CaseAudit, CaseAuditStage, Pathway, PipelineEntry, SupervisionAudit


def record_panel(request: PersonRequest, record: Record, access: Access) -> dict[str, Any] | None:
    """The case-file audits this session is the place to discuss: learning after an audit,
    then its impact. The two parties record them here."""
    if not access.is_party:
        return None
    due = services.due_in_record(record)
    if not due:
        return None
    for row in due:
        row["form"] = NoteForm(prefix=f"ca{row['audit'].pk}")
        row["action"] = reverse(
            "case-audit-learning" if row["which"] == "learning" else "case-audit-impact",
            args=[row["audit"].pk],
        )
    return {"template": "quality/_record_panel.html", "due": due, "record": record}


def person_panel(request: PersonRequest, subject: Person) -> dict[str, Any] | None:
    """A person's page: their pathway and place in the pipeline for those who may see them, the
    ways to start either, and on your own page your equality information."""
    user = request.user
    mine = subject.pk == request.person.pk
    sees_pathway = user.has_perm("quality.view_pathway", subject)
    sees_pipeline = user.has_perm("quality.view_pipeline_entry", subject)
    if not (sees_pathway or sees_pipeline or mine):
        return None
    pathway = (
        Pathway.objects.filter(person=subject).order_by("-starts_on").first()
        if sees_pathway
        else None
    )
    entry = (
        PipelineEntry.objects.filter(person=subject).order_by("-identified_on").first()
        if sees_pipeline
        else None
    )
    may_start = user.has_perm("quality.start_pathway", subject)
    may_identify = user.has_perm("quality.change_pipeline_entry", subject)
    if not (pathway or entry or may_start or may_identify or mine):
        return None
    return {
        "template": "quality/_person_panel.html",
        "subject": subject,
        "pathway": pathway,
        "entry": entry,
        "may_start": may_start and pathway is None,
        "may_identify": may_identify
        and (entry is None or entry.status in ("withdrawn", "appointed")),
        "mine": mine,
    }


def home_panel(request: PersonRequest, person: Person) -> dict[str, Any] | None:
    to_conduct = SupervisionAudit.objects.filter(
        organisation_id=person.organisation_id, auditor=person, status=AuditStatus.DRAFT
    ).count()
    to_reply = SupervisionAudit.objects.filter(
        organisation_id=person.organisation_id,
        supervisor=person,
        status=AuditStatus.COMPLETED,
        replied_at__isnull=True,
    ).count()
    case_audits = (
        CaseAudit.objects.filter(organisation_id=person.organisation_id, worker=person)
        .exclude(stage=CaseAuditStage.DONE)
        .count()
    )
    pathway = Pathway.objects.filter(person=person, status="active").first()
    if not (to_conduct or to_reply or case_audits or pathway):
        return None
    return {
        "template": "quality/_home_panel.html",
        "to_conduct": to_conduct,
        "to_reply": to_reply,
        "case_audits": case_audits,
        "pathway": pathway,
    }


def dashboard_panel(request: PersonRequest, choice: Any) -> dict[str, Any] | None:
    """On an oversight dashboard, below the development figures: supervision audits completed
    and their average score, case-file audits graded well and with their learning recorded,
    and turnover, for the dashboard's scope and period. Four queries."""
    from django.db.models import Avg, Count

    from tandem.oversight.views import Card

    scope, period = choice.scope, choice.period
    person = request.person
    audits = (
        selectors.audits_visible_to(person)
        .filter(status=AuditStatus.COMPLETED)
        .filter(completed_at__date__gte=period.starts_on, completed_at__date__lte=period.ends_on)
        .filter(scope.people("supervisee__"))
        .aggregate(completed=Count("pk"), average=Avg("score"))
    )
    grades = services.settings_of(person.organisation).grades
    case_figures = selectors.case_audit_figures(
        selectors.case_audits_visible_to(person)
        .filter(created_at__date__gte=period.starts_on, created_at__date__lte=period.ends_on)
        .filter(scope.people("worker__")),
        grades,
    )
    turnover = selectors.turnover_in(scope, period.ends_on)

    def pct(value: int | None, nothing: str) -> str:
        return nothing if value is None else f"{value}%"

    average = int(audits["average"]) if audits["average"] is not None else None
    cards = [
        Card(
            "audits_completed",
            "Supervision audits completed",
            f"{audits['completed']:,}",
            "in the period",
        ),
        Card(
            "audit_score",
            "Average supervision audit score",
            pct(average, "No audits"),
            f"over {audits['completed']:,} audits",
        ),
        Card(
            "case_audits_good",
            "Case-file audits in the top two grades",
            pct(case_figures["good_percent"], "None audited"),
            f"{case_figures['good_or_better']:,} of {case_figures['audited']:,} audited",
        ),
        Card(
            "case_audits_learning",
            "Case-file audits with the learning recorded",
            pct(case_figures["learning_percent"], "None audited"),
            f"{case_figures['learning']:,} of {case_figures['audited']:,} audited",
        ),
        Card(
            "turnover",
            "Turnover",
            pct(turnover["percent"], "Nobody in post"),
            f"{turnover['leavers']:,} left in the 12 months to {period.ends_on:%-d %B %Y}",
        ),
    ]
    return {
        "template": "quality/_dashboard_panel.html",
        "cards": [cards[i : i + 3] for i in range(0, len(cards), 3)],
    }


def appraisal_link(request: PersonRequest, appraisal: Any) -> tuple[str, str] | None:
    """On an appraisal's page, for a manager or HR: put the person in the pipeline from it."""
    subject = appraisal.person
    if not request.user.has_perm("quality.change_pipeline_entry", subject):
        return None
    if PipelineEntry.objects.filter(
        person=subject, status__in=["identified", "developing", "acting_up"]
    ).exists():
        return None
    href = reverse("pipeline-add", args=[subject.pk]) + f"?appraisal={appraisal.pk}"
    return (f"Identify {subject.full_name} as a potential practice supervisor", href)
