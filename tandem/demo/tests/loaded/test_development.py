"""The demo's development, as the people in it meet it: Northbridge's NQSWs at their stages of
the ASYE, its social workers' CPD, objectives and appraisals; Meadowbank Care's nurse due to
revalidate next quarter and its new starters on the Care Certificate; Hollyfield's designated
safeguarding lead. Whatever the day it is loaded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.agreements.models import Agreement
from tandem.demo.organisations import DEMO_PASSWORD, MEADOWBANK, NORTHBRIDGE
from tandem.development import asye_selectors, selectors
from tandem.development.models import (
    Appraisal,
    Asye,
    CareCertificate,
    CpdRecord,
    Objective,
    Observation,
)
from tandem.organisations.models import Organisation, Person, StaffCategory
from tandem.oversight.periods import Period
from tandem.oversight.selectors import Scope, figures

pytestmark = pytest.mark.dated


def nqsw_positions():
    northbridge = Organisation.objects.get(name=NORTHBRIDGE)
    return [
        asye_selectors.asye_position(asye)
        for asye in Asye.objects.filter(organisation=northbridge).select_related(
            "programme", "person", "assessor"
        )
    ]


def test_northbridge_s_nqsws_are_at_their_stages(the_demo):
    positions = nqsw_positions()
    assert len(positions) == 8
    # One paused, one extended by part-time working, one with a review overdue, one near the
    # end with the assessor's recommendation, one assessed by someone other than her supervisor.
    assert any(p.pauses and p.pauses[0].kind == "sickness" for p in positions)
    extended = [p for p in positions if any(x.kind == "part_time" for x in p.pauses)]
    assert extended and extended[0].ends_on > extended[0].asye.starts_on + datetime.timedelta(
        days=400
    )
    assert any(p.overdue_reviews for p in positions)
    assert any(p.asye.recommendation == "pass" for p in positions)
    assert any(p.above_weighting for p in positions)
    assert all(p.asye.assessor is not None for p in positions)


def test_one_nqsw_has_three_observations_with_the_families_feedback(the_demo):
    observed = [p for p in nqsw_positions() if len(p.observations) == 3]
    assert len(observed) == 1
    observations = observed[0].observations
    assert all(o.consent and o.feedback for o in observations)
    assert [o.feedback_by_link for o in observations] == [False, False, True]
    assert Observation.objects.filter(feedback_token_hash__gt="").count() == 0


def test_social_workers_cpd_some_behind_once_reminders_begin(the_demo):
    northbridge = Organisation.objects.get(name=NORTHBRIDGE)
    social_workers = Person.objects.filter(
        organisation=northbridge, staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER
    )
    with_none = [p for p in social_workers if not CpdRecord.objects.filter(person=p).exists()]
    assert 0 < len(with_none) < social_workers.count()
    # Who has none is behind from 1 September, and on track before.
    september = datetime.date(timezone.localdate().year, 9, 2)
    assert selectors.swe_position(with_none[0], september).state == "behind"
    assert CpdRecord.objects.filter(organisation=northbridge, source_record__isnull=False).exists()
    assert Objective.objects.filter(organisation=northbridge).count() >= 10
    assert Appraisal.objects.filter(organisation=northbridge).count() == 3


def test_meadowbank_s_nurse_revalidates_next_quarter_and_new_starters_have_the_certificate(
    the_demo,
):
    meadowbank = Organisation.objects.get(name=MEADOWBANK)
    aoife = Person.objects.get(organisation=meadowbank, first_name="Aoife")
    position = selectors.revalidation_position(selectors.current_revalidation(aoife))
    assert position.due_soon and 30 <= position.days_left <= 92
    assert not position.evidence_complete  # one reflective account to go
    assert [t.met for t in position.tallies] == [True, True, True, True, False, True]
    certificates = CareCertificate.objects.filter(organisation=meadowbank)
    assert certificates.count() == 3
    assert any(selectors.care_certificate_position(c.person).overdue for c in certificates)
    # Its agreements come from its own copy of the council's contract.
    agreements = Agreement.objects.filter(organisation=meadowbank)
    assert agreements.exists()
    assert {a.template_version.template.organisation_id for a in agreements} == {meadowbank.pk}


def test_the_assistant_director_sees_the_development_figures(the_demo, client):
    northbridge = Organisation.objects.get(name=NORTHBRIDGE)
    today = timezone.localdate()
    f = figures(Scope(northbridge), Period.month(today), today)
    assert f.cpd_people >= 70 and f.nqsws == 8 and f.nqsw_above_weighting >= 1
    assert f.objectives_overdue >= 1
    client.login(email="helen.marsh@northbridge.example", password=DEMO_PASSWORD)
    page = client.get(reverse("oversight-organisation"))
    text = " ".join(page.content.decode().split())
    assert "CPD on track for the registration year" in text
    assert "NQSWs above their caseload weighting" in text


def test_amira_sees_her_asye_and_aoife_her_revalidation(the_demo, client):
    client.login(email="amira.hussain@northbridge.example", password=DEMO_PASSWORD)
    amira = Person.objects.get(user__email="amira.hussain@northbridge.example")
    page = " ".join(client.get(reverse("asye", args=[amira.pk])).content.decode().split())
    assert "My ASYE" in page and "What is next" in page and "3-month review" in page
    client.login(email="aoife.brennan@meadowbank.example", password=DEMO_PASSWORD)
    aoife = Person.objects.get(user__email="aoife.brennan@meadowbank.example")
    page = " ".join(client.get(reverse("revalidation", args=[aoife.pk])).content.decode().split())
    assert "NMC revalidation" in page and "1 to go" in page
