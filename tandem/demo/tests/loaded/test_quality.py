"""The demo's quality of supervision and the supervisor's pathway, as the people in it meet it
at Northbridge: Joan Whitfield's case-file audits and supervision audits, Daniel's group
records, the two new practice supervisors on their pathway, the pipeline and the equality
figures Helen Marsh sees. Whatever the day it is loaded."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.demo.organisations import DEMO_PASSWORD, NORTHBRIDGE, STRUGGLING_TEAM
from tandem.organisations.models import Organisation, Person
from tandem.quality import selectors
from tandem.quality.models import (
    CaseAudit,
    CaseAuditRound,
    CaseAuditStage,
    Pathway,
    PipelineEntry,
    PipelineStatus,
    SupervisionAudit,
)
from tandem.records.models import GroupRecord

pytestmark = pytest.mark.dated


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def northbridge():
    return Organisation.objects.get(name=NORTHBRIDGE)


def test_a_year_of_monthly_case_file_audits_with_the_learning_recorded(the_demo):
    org = northbridge()
    rounds = CaseAuditRound.objects.filter(organisation=org)
    assert rounds.count() == 13
    months = {r.month for r in rounds}
    assert timezone.localdate().replace(day=1) in months and len(months) == 13
    past = CaseAudit.objects.filter(organisation=org).exclude(
        round__month=timezone.localdate().replace(day=1)
    )
    assert past.filter(stage=CaseAuditStage.DONE).count() > 50
    waiting = past.filter(
        stage=CaseAuditStage.AUDITED,
        round__month__lt=timezone.localdate().replace(day=1) - datetime.timedelta(days=95),
    )
    assert waiting.count() == 2
    # This month's cases are on the workers' next agendas.
    current = CaseAudit.objects.filter(
        organisation=org, round__month=timezone.localdate().replace(day=1)
    )
    assert current.exists()
    assert all(
        a.pre_item is not None and a.pre_item.session.starts_at > timezone.now()
        for a in current
        if a.pre_item_id
    )
    joan = signed_in("joan.whitfield@northbridge.example")
    page = joan.get(reverse("case-audits")).content.decode()
    assert "Choose this month&#x27;s cases" in page or "Choose this month's cases" in page


def test_child_protection_wests_supervision_audit_shows_its_weaknesses(the_demo):
    org = northbridge()
    west = SupervisionAudit.objects.get(organisation=org, team__name=STRUGGLING_TEAM)
    facts = {r.criterion.fact: r for r in west.responses.select_related("criterion") if r.criterion}
    assert "carried over unchanged" in facts["repeated_actions"].fact
    assert "Review the caseload and agree priorities" in facts["repeated_actions"].fact
    assert facts["reflection"].answer in ("partly", "no")
    assert west.replied_at is None  # waiting for Chloe's reply
    others = SupervisionAudit.objects.filter(organisation=org).exclude(pk=west.pk)
    assert others.count() == 2 and all(a.replied_at for a in others)
    assert west.score < min(a.score for a in others)
    chloe = signed_in("chloe.harrington@northbridge.example")
    page = chloe.get(reverse("audit", args=[west.pk])).content.decode()
    assert "Send the reply" in page
    # Nobody else in Child Protection West reads it.
    colleague = (
        Person.objects.filter(organisation=org, team__name=STRUGGLING_TEAM)
        .exclude(pk=west.supervisor_id)
        .first()
    )
    assert not colleague.user.has_perm("quality.view_audit", west)


def test_daniels_group_records_reach_the_members(the_demo):
    org = northbridge()
    records = list(GroupRecord.objects.filter(organisation=org).order_by("held_on"))
    assert len(records) == 2 and all(r.is_shared for r in records)
    assert records[0].attendance.filter(acknowledged_at__isnull=False).count() >= 3
    assert not records[1].attendance.filter(acknowledged_at__isnull=False).exists()
    amira = signed_in("amira.hussain@northbridge.example")
    assert "Group supervision records" in amira.get(reverse("records")).content.decode()


def test_two_new_practice_supervisors_on_the_pathway(the_demo):
    org = northbridge()
    today = timezone.localdate()
    months = sorted(
        selectors.pathway_progress(p, today).months_in
        for p in Pathway.objects.filter(organisation=org)
    )
    assert months == [3, 11]
    chloe = Pathway.objects.get(organisation=org, person__first_name="Chloe")
    assert set(chloe.assessments.values_list("point", flat=True)) == {"start", "six"}
    page = signed_in("chloe.harrington@northbridge.example").get(
        reverse("pathway", args=[chloe.pk])
    )
    assert page.status_code == 200
    assert "Self-assessments against the practice supervisor KSS" in page.content.decode()


def test_helen_sees_the_pipeline_and_equality_figures_without_anyone_identifiable(the_demo):
    org = northbridge()
    entries = PipelineEntry.objects.filter(organisation=org)
    assert entries.count() == 6
    assert entries.filter(status=PipelineStatus.ACTING_UP).count() == 1
    figures = selectors.equality_figures(org, timezone.localdate())
    ethnic = {row.label: row for row in figures["Ethnic group"]}
    assert ethnic["Mixed or multiple ethnic groups"].suppressed
    helen = signed_in("helen.marsh@northbridge.example")
    assert helen.get(reverse("workforce")).status_code == 200
    page = helen.get(reverse("equality-figures")).content.decode()
    assert "Not shown" in page
    assert helen.get(reverse("equality-data")).status_code == 403
    priya = signed_in("priya.shah@northbridge.example")  # HR
    assert priya.get(reverse("equality-data")).status_code == 200
