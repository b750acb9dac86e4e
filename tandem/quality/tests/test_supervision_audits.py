"""Supervision audits: the facts Tandem fills in (on hand-made histories), the sample drawn
from a stored seed, answering, completing with a weighted score, the supervisor's reply, and
who may read an audit: never anyone in the supervisee's team but the supervisor."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.organisations.models import Role
from tandem.organisations.tests.factories import RoleGrantFactory
from tandem.quality import selectors, services
from tandem.quality.facts import REPEATS, audit_facts, normalised, repeated_actions
from tandem.quality.models import AuditAnswer, AuditStatus, SupervisionAudit
from tandem.records.selectors import AccessReason, Level, record_access

from .helpers import DAY, case, principal_social_worker, record_on

pytestmark = pytest.mark.django_db


def period():
    ends = timezone.localdate() - DAY
    return ends - 120 * DAY, ends


def history(cast, *, repeated="Update the chronology", unreflected=2, total=5):
    """``total`` shared records in the period, a fortnight apart; the same action written in
    the first three; the last ``unreflected`` with no reflection on any case."""
    starts, _ends = period()
    records = []
    for n in range(total):
        records.append(
            record_on(
                cast,
                starts + (10 + 14 * n) * DAY,
                cases=[case(f"CF-{n}", reflected=n < total - unreflected)],
                actions=[repeated] if n < 3 else [f"Visit family {n}"],
            )
        )
    return records


def test_the_same_words_in_three_records_in_a_row_are_repeated_actions():
    records = [1, 2, 3, 4, 5]
    found = repeated_actions(
        records,
        [
            (1, "Update the chronology."),
            (2, "update  the Chronology"),
            (3, "UPDATE THE CHRONOLOGY"),
            (1, "Book a visit"),
            (3, "Book a visit"),  # not in a row: 1 and 3
            (4, "Book a visit"),
            (2, "Call the school"),
            (3, "Call the school"),  # only two
        ],
    )
    assert found == {"Update the chronology.": 3}
    assert normalised("Book  a VISIT!") == "book a visit"
    assert REPEATS == 3


def test_a_run_of_four_is_reported_with_its_length():
    found = repeated_actions([10, 11, 12, 13], [(pk, "Same") for pk in (10, 11, 12, 13)])
    assert found == {"Same": 4}


def test_the_facts_of_a_hand_made_history(cast):
    records = history(cast)
    starts, ends = period()
    facts = audit_facts(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_on=starts,
        ends_on=ends,
        sample=records,
        today=timezone.localdate(),
    )
    assert facts["repeated_actions"].suggested == AuditAnswer.NO
    assert "“Update the chronology” in 3 records in a row" in facts["repeated_actions"].text
    assert facts["reflection"].text.startswith(
        "2 of 5 records with case discussions have no reflection"
    )
    assert facts["reflection"].suggested == AuditAnswer.PARTLY
    assert facts["rationale"].suggested == AuditAnswer.YES
    assert facts["agreement"].suggested == AuditAnswer.NO  # no agreement on Tandem
    assert facts["cancellations"].suggested == AuditAnswer.NOT_APPLICABLE
    # Shared but not signed: the signatures fact says so.
    assert facts["signatures"].text.startswith("0 of 5 records")
    assert facts["signatures"].suggested == AuditAnswer.NO
    # Whether the welfare section was written in, never its words.
    assert "5 records" in facts["welfare"].text
    assert "Feeling stretched" not in facts["welfare"].text


def test_beginning_draws_the_sample_from_its_seed_and_fills_in_the_facts(cast):
    pat = principal_social_worker(cast)
    records = history(cast, total=6)
    starts, ends = period()
    begun = services.audit_begin(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_on=starts,
        ends_on=ends,
        sample_size=4,
        by=pat,
        seed=1234,
    )
    sample = sorted(begun.sample.values_list("record_id", flat=True))
    assert len(sample) == 4 and set(sample) <= {r.pk for r in records}
    again = services.audit_begin(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_on=starts,
        ends_on=ends,
        sample_size=4,
        by=pat,
        seed=1234,
    )
    assert sorted(again.sample.values_list("record_id", flat=True)) == sample
    responses = {r.criterion.fact: r for r in begun.responses.select_related("criterion")}
    assert responses["repeated_actions"].answer == AuditAnswer.NO
    assert "Update the chronology" in responses["repeated_actions"].fact
    assert responses[""].answer == ""  # the judgement is the auditor's
    # The auditor reads the sampled records, without welfare.
    sampled = records[[r.pk for r in records].index(sample[0])]
    access = record_access(pat, sampled)
    assert access.reason == AccessReason.AUDITOR and access.level == Level.WITHOUT_WELFARE
    assert not access.reads_welfare
    # A record outside the sample: nothing.
    outside = next(r for r in records if r.pk not in sample)
    assert not record_access(pat, outside).can_read
    assert cast.client_for(pat).get(reverse("record", args=[sampled.pk])).status_code == 200


def test_an_auditor_in_the_supervisees_team_or_a_party_is_refused(cast):
    RoleGrantFactory(person=cast.manager, role=Role.AUDITOR)
    history(cast, total=2)
    starts, ends = period()
    fields = {"starts_on": starts, "ends_on": ends, "sample_size": 2}
    with pytest.raises(ValidationError) as refused:
        services.audit_begin(
            supervisor=cast.supervisor, supervisee=cast.supervisee, by=cast.manager, **fields
        )
    assert "in the supervisee's team" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.audit_begin(
            supervisor=cast.supervisor, supervisee=cast.supervisee, by=cast.supervisor, **fields
        )
    assert "take part in" in str(refused.value)
    # Someone with no audit role and not above the supervisor.
    with pytest.raises(ValidationError) as refused:
        services.audit_begin(
            supervisor=cast.supervisor, supervisee=cast.supervisee, by=cast.colleague, **fields
        )
    assert "practice auditor" in str(refused.value)
    # A period that has not ended, and a pair with no records in it.
    with pytest.raises(ValidationError) as refused:
        services.audit_begin(
            supervisor=cast.supervisor,
            supervisee=cast.supervisee,
            by=cast.head_of_service,
            starts_on=starts,
            ends_on=timezone.localdate(),
            sample_size=2,
        )
    assert "must have ended" in str(refused.value)


def completed_audit(cast):
    history(cast, total=3)
    starts, ends = period()
    begun = services.audit_begin(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_on=starts,
        ends_on=ends,
        sample_size=3,
        by=cast.head_of_service,
    )
    answers = {r.pk: (r.answer or AuditAnswer.PARTLY, "") for r in begun.responses.all()}
    services.audit_answers_save(
        supervision_audit=begun, by=cast.head_of_service, answers=answers, summary="Some strengths."
    )
    return services.audit_complete(supervision_audit=begun, by=cast.head_of_service)


def test_the_score_weighs_each_answer():
    class R:
        def __init__(self, answer, weight):
            self.answer, self.weight = answer, weight

    assert services.score_of([R("yes", 2), R("no", 1), R("na", 5)]) == 66  # 4 of 6
    assert services.score_of([R("partly", 1)]) == 50
    assert services.score_of([R("na", 1)]) is None


def test_completing_needs_every_answer_and_a_summary_then_the_supervisor_replies(cast):
    history(cast, total=2)
    starts, ends = period()
    begun = services.audit_begin(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_on=starts,
        ends_on=ends,
        sample_size=2,
        by=cast.head_of_service,
    )
    with pytest.raises(ValidationError) as refused:
        services.audit_complete(supervision_audit=begun, by=cast.head_of_service)
    assert "Enter a summary" in str(refused.value)
    done = completed_audit(cast)
    assert done.status == AuditStatus.COMPLETED and done.score is not None
    with pytest.raises(ValidationError):
        services.audit_reply(supervision_audit=done, by=cast.head_of_service, reply="Mine")
    replied = services.audit_reply(
        supervision_audit=done, by=cast.supervisor, reply="Agreed: fewer repeats."
    )
    assert replied.replied_at is not None
    with pytest.raises(ValidationError) as refused:
        services.audit_reply(supervision_audit=done, by=cast.supervisor, reply="Again")
    assert "already" in str(refused.value)


def test_who_reads_an_audit_pages_and_api(cast):
    done = completed_audit(cast)
    url = reverse("audit", args=[done.pk])
    api = f"/api/quality/audits/{done.pk}"
    readers = {"head_of_service": 200, "supervisor": 200, "director": 200}
    # Ada is a senior leader outside the team; Hal audited; Sam is the supervisor audited.
    refused = {"supervisee": 403, "manager": 403, "colleague": 403, "admin": 403, "outsider": 404}
    for who, status in {**readers, **refused}.items():
        client = cast.client_for(getattr(cast, who))
        assert client.get(url).status_code == status, who
        assert client.get(api).status_code == status, who
        listed = client.get("/api/quality/audits").json()
        ids = [row["id"] for row in listed.get("items", listed if isinstance(listed, list) else [])]
        assert (done.pk in ids) == (status == 200), who


def test_the_list_query_agrees_with_the_rule_for_everyone(cast):
    done = completed_audit(cast)
    for who in (
        "director",
        "head_of_service",
        "manager",
        "supervisor",
        "supervisee",
        "colleague",
        "admin",
    ):
        person = getattr(cast, who)
        listed = selectors.audits_visible_to(person).filter(pk=done.pk).exists()
        assert listed == person.user.has_perm("quality.view_audit", done), who


def test_the_audit_page_saves_answers_and_shows_field_errors(cast):
    history(cast, total=2)
    starts, ends = period()
    hal = cast.client_for(cast.head_of_service)
    bad = hal.post(
        reverse("audit-begin"),
        {
            "supervisee": cast.supervisee.pk,
            "supervisor": cast.supervisor.pk,
            "starts_on": "x",
            "ends_on": ends.isoformat(),
            "sample_size": "99",
        },
    )
    assert bad.status_code == 400
    assert "Enter a real date" in bad.content.decode()
    begun = hal.post(
        reverse("audit-begin"),
        {
            "supervisee": cast.supervisee.pk,
            "supervisor": cast.supervisor.pk,
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
            "sample_size": "2",
        },
    )
    assert begun.status_code == 302
    audit = SupervisionAudit.objects.get(organisation=cast.organisation)
    judgement = audit.responses.get(fact="")
    incomplete = hal.post(
        reverse("audit-save", args=[audit.pk]),
        {f"answer_{judgement.pk}": "", "summary": "", "complete": "1"},
    )
    assert incomplete.status_code == 400
    body = incomplete.content.decode()
    assert "There is a problem" in body and f"Answer “{judgement.text}”" in body
    saved = hal.post(
        reverse("audit-save", args=[audit.pk]),
        {
            f"answer_{judgement.pk}": "partly",
            f"comment_{judgement.pk}": "Supportive, rarely challenging.",
            "summary": "Reflect more.",
        },
    )
    assert saved.status_code == 302
    judgement.refresh_from_db()
    assert judgement.answer == "partly" and judgement.comment.startswith("Supportive")
    # Another person cannot answer it.
    assert (
        cast.client_for(cast.director).post(reverse("audit-save", args=[audit.pk]), {}).status_code
        == 403
    )


def test_results_by_team_and_quarter(cast):
    done = completed_audit(cast)
    quarters, rows = selectors.audit_results(cast.director, timezone.localdate())
    assert len(quarters) == 4
    assert [row.team for row in rows] == ["Assessment Team"]
    assert rows[0].audits == 1 and rows[0].average == done.score
    # The team manager, in the supervisee's team, sees nothing of it.
    assert selectors.audit_results(cast.manager, timezone.localdate())[1] == []
