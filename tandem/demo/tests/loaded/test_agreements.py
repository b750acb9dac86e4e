import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client

from tandem.agreements.api import validate_responses
from tandem.agreements.forms import AgreementForm
from tandem.agreements.models import (
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementVersion,
    ReviewReason,
    SignatureRole,
)
from tandem.agreements.policies import check_against_policy
from tandem.core.models import AuditEvent, Notice
from tandem.demo.agreements import load_demo_agreements
from tandem.demo.organisations import NORTHBRIDGE, load_demo
from tandem.organisations.models import Person, SupervisionRelationship

pytestmark = pytest.mark.dated


@pytest.fixture
def made(the_demo):
    return the_demo.agreements


def agreement_of(first_name, last_name):
    return Agreement.objects.select_related("supervisee", "supervisor").get(
        supervisee__first_name=first_name, supervisee__last_name=last_name
    )


def signatures_of(agreement):
    version = agreement.versions.order_by("-number").first()
    return version, {s.role: s for s in version.signatures.select_related("person")}


def counts():
    return {
        "agreements": Agreement.objects.count(),
        "versions": AgreementVersion.objects.count(),
        "signatures": AgreementSignature.objects.count(),
        "relationships": SupervisionRelationship.objects.count(),
        "notices": Notice.objects.count(),
        "audit": AuditEvent.objects.count(),
        "statuses": sorted(Agreement.objects.values_list("pk", "status")),
    }


def test_amira_and_daniel_signed_in_her_first_week(made):
    amira = agreement_of("Amira", "Hussain")
    assert amira.status == AgreementStatus.ACTIVE
    assert amira.supervisor.full_name == "Daniel Okafor"
    version, signed = signatures_of(amira)
    assert set(signed) == {SignatureRole.SUPERVISEE, SignatureRole.SUPERVISOR}
    assert signed[SignatureRole.SUPERVISEE].person == amira.supervisee
    assert signed[SignatureRole.SUPERVISOR].person.full_name == "Daniel Okafor"
    assert all(s.content_hash == version.content_hash for s in signed.values())
    start = amira.supervisee.asye_start
    assert all(0 <= (s.signed_on - start).days < 7 for s in signed.values())
    assert amira.signed_on == max(s.signed_on for s in signed.values())
    assert amira.review_due_on == amira.signed_on + relativedelta(months=12)
    answers = version.responses
    assert answers["frequency"] == "weekly"
    assert answers["duration"]["min"] >= 90
    assert answers["recording"]["recorder"] == "supervisor"
    assert "supervision folder" in answers["records_stored"]
    assert answers["record_viewers"].startswith("The supervisor's line manager, and auditors")
    assert answers["confidentiality_exceptions"] == [
        "safeguarding",
        "conduct",
        "competence",
        "health",
    ]


def test_grace_has_yet_to_sign_what_tom_signed(made):
    grace = agreement_of("Grace", "Adeyemi")
    assert grace.status == AgreementStatus.AWAITING_SIGNATURES
    assert grace.supervisor.full_name == "Tom Bennett"
    version, signed = signatures_of(grace)
    assert set(signed) == {SignatureRole.SUPERVISOR}
    assert version.frequency == "termly"
    assert version.location == "Staff meeting room away from my classroom"
    assert (version.duration_min_minutes, version.duration_max_minutes) == (30, 60)
    assert "urgent safeguarding" in version.responses["cancellation"]["terms"]
    assert version.responses["ad_hoc_availability"].startswith("Available for ad-hoc")


def test_a_second_run_makes_nothing(made):
    assert made > 50
    before = counts()
    load_demo()
    assert load_demo_agreements() == 0
    assert counts() == before


def test_every_state_of_an_agreement_is_in_the_demo(made):
    northbridge = Agreement.objects.filter(organisation__name=NORTHBRIDGE)
    due = {a.review_reason for a in northbridge.filter(status=AgreementStatus.DUE_FOR_REVIEW)}
    assert due == {ReviewReason.ANNUAL, ReviewReason.SUPERVISOR_CHANGED}
    assert northbridge.filter(status=AgreementStatus.DRAFT).count() >= 1
    awaiting = northbridge.filter(status=AgreementStatus.AWAITING_SIGNATURES)
    assert awaiting.count() >= 2
    for agreement in awaiting:
        assert set(signatures_of(agreement)[1]) == {SignatureRole.SUPERVISOR}
    # About two thirds active; the rest of the supervisees have none, so "Start an agreement".
    supervisees = Person.objects.filter(
        organisation__name=NORTHBRIDGE, supervisor_relationships__isnull=False
    ).distinct()
    active = northbridge.filter(status=AgreementStatus.ACTIVE).count()
    assert 0.55 < active / supervisees.count() < 0.75
    assert supervisees.exclude(agreements__isnull=False).count() >= 20
    # The supervisor change ends where the organisations' demo put the supervisee.
    changed = northbridge.get(review_reason=ReviewReason.SUPERVISOR_CHANGED)
    current = SupervisionRelationship.objects.current().get(supervisee=changed.supervisee)
    assert current.supervisor != changed.supervisor
    assert not changed.relationship.is_current()


def test_every_answer_is_one_the_page_and_the_api_accept_and_the_policy_allows(made):
    for version in AgreementVersion.objects.select_related(
        "agreement__template_version", "agreement__supervisee__organisation"
    ):
        agreement = version.agreement
        content = agreement.template_version.content
        form = AgreementForm.for_responses(content, version.responses)
        assert form.is_valid(), (agreement, form.errors)
        assert form.responses() == version.responses, agreement
        assert validate_responses(content, version.responses) == {}, agreement
        if agreement.status == AgreementStatus.ACTIVE:
            problems = check_against_policy(
                person=agreement.supervisee,
                on=agreement.signed_on,
                frequency=version.frequency,
                duration_min_minutes=version.duration_min_minutes,
            )
            assert problems == [], agreement


def test_daniel_sees_each_state_on_my_supervision(made):
    daniel = Person.objects.get(first_name="Daniel", last_name="Okafor")
    supervisees = {
        r.supervisee: Agreement.objects.filter(supervisee=r.supervisee).first()
        for r in SupervisionRelationship.objects.current().filter(supervisor=daniel)
    }
    assert sorted(str(a and a.status) for a in supervisees.values()) == [
        "None",
        "active",
        "awaiting_signatures",
    ]
    without = next(person for person, agreement in supervisees.items() if agreement is None)
    client = Client()
    client.force_login(daniel.user)
    page = client.get("/").content.decode()
    assert "Awaiting signatures" in page
    assert (
        f'Start an agreement<span class="govuk-visually-hidden"> with {without.full_name}' in page
    )
