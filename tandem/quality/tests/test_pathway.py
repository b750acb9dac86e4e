"""The practice supervisor pathway: the plan it starts with, KSS self-assessments at the
start, 6 and 12 months (opening a month before each), progress for the person and their
manager; the pipeline and its plan."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.quality import services
from tandem.quality.frameworks import PS_KSS_HEADINGS
from tandem.quality.models import PathwayArea, PipelineStatus
from tandem.quality.selectors import pathway_progress

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 2)
RATINGS = {str(n): {"rating": "developing", "note": ""} for n, _h in PS_KSS_HEADINGS}


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


def started(cast):
    with at(START):
        return services.pathway_start(
            person=cast.supervisor, starts_on=START, supporter=cast.manager, by=cast.manager
        )


def test_the_pathway_starts_with_the_briefings_plan(cast):
    pathway = started(cast)
    areas = set(pathway.items.values_list("area", flat=True))
    assert areas == set(PathwayArea.values)
    titles = " ".join(pathway.items.values_list("title", flat=True))
    for who in ("team", "managers", "partner", "finance", "data", "IT"):
        assert who in titles
    with pytest.raises(ValidationError):
        services.pathway_start(
            person=cast.supervisor, starts_on=START, supporter=None, by=cast.manager
        )


@pytest.mark.parametrize(
    ("months", "open_points", "due_points"),
    [
        (0, ["start"], ["start"]),
        (5, ["start", "six"], ["start"]),
        (6, ["start", "six"], ["start", "six"]),
        (11, ["start", "six", "twelve"], ["start", "six"]),
        (12, ["start", "six", "twelve"], ["start", "six", "twelve"]),
    ],
)
def test_self_assessments_at_0_6_and_12_months(cast, months, open_points, due_points):
    pathway = started(cast)
    day = START + relativedelta(months=months)
    assert services.points_open(pathway, day) == open_points
    assert services.points_due(pathway, day, set()) == due_points


def test_a_self_assessment_is_the_persons_own_and_opens_on_time(cast):
    pathway = started(cast)
    with at(START + relativedelta(months=2)):
        with pytest.raises(ValidationError) as refused:
            services.self_assessment_save(
                pathway=pathway,
                by=cast.supervisor,
                point="six",
                completed_on=timezone.localdate(),
                ratings=RATINGS,
            )
        assert "opens on" in str(refused.value)
        with pytest.raises(ValidationError):
            services.self_assessment_save(
                pathway=pathway,
                by=cast.manager,
                point="start",
                completed_on=timezone.localdate(),
                ratings=RATINGS,
            )
        done = services.self_assessment_save(
            pathway=pathway,
            by=cast.supervisor,
            point="start",
            completed_on=timezone.localdate(),
            ratings=RATINGS,
        )
        assert done.framework.startswith("KSS for practice supervisors")
        progress = pathway_progress(pathway, timezone.localdate())
        assert progress.months_in == 2
        assert [p["point"] for p in progress.points if p["done"]] == ["start"]
    with at(START + relativedelta(months=6)):
        services.self_assessment_save(
            pathway=pathway,
            by=cast.supervisor,
            point="six",
            completed_on=timezone.localdate(),
            ratings=RATINGS,
        )
    with at(START + relativedelta(months=12, days=3)):
        progress = pathway_progress(pathway, timezone.localdate())
        assert [p["point"] for p in progress.points if p["due"]] == ["twelve"]


def test_every_heading_needs_a_rating(cast):
    pathway = started(cast)
    with at(START), pytest.raises(ValidationError) as refused:
        services.self_assessment_save(
            pathway=pathway, by=cast.supervisor, point="start", completed_on=START, ratings={}
        )
    assert len([k for k in refused.value.message_dict if k.startswith("rating_")]) == len(
        PS_KSS_HEADINGS
    )


def test_the_pages_for_the_person_their_manager_and_nobody_else(cast):
    pathway = started(cast)
    url = reverse("pathway", args=[pathway.pk])
    for who, status in {
        "supervisor": 200,
        "manager": 200,
        "head_of_service": 200,
        "director": 200,
        "supervisee": 403,
        "colleague": 403,
        "admin": 403,
        "outsider": 404,
    }.items():
        assert cast.client_for(getattr(cast, who)).get(url).status_code == status, who
    sam = cast.client_for(cast.supervisor)
    item = pathway.items.first()
    done = sam.post(
        reverse("pathway-item-done", args=[item.pk]), {"done_on": timezone.localdate().isoformat()}
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    bad = sam.post(
        reverse("pathway-item-add", args=[pathway.pk]), {"area": "coaching", "title": ""}
    )
    assert bad.status_code == 400 and "Enter what it is" in bad.content.decode()
    api = sam.get(f"/api/pathways/{pathway.pk}").json()
    assert api["done"] == 1 and len(api["self_assessments"]) == 3


def test_the_pipeline_from_appraisal_to_acting_up(cast):
    entry = services.pipeline_add(
        person=cast.supervisee,
        by=cast.manager,
        identified_on=timezone.localdate(),
        strengths="Calm under pressure; good with data.",
        best_placed="Assessment",
    )
    assert entry.status == PipelineStatus.IDENTIFIED
    services.pipeline_plan_add(
        entry=entry,
        by=cast.manager,
        kind="mentoring",
        description="Mentor: Hal",
        starts_on=timezone.localdate(),
    )
    entry.refresh_from_db()
    assert entry.status == PipelineStatus.DEVELOPING
    services.pipeline_plan_add(
        entry=entry,
        by=cast.manager,
        kind="acting_up",
        description="Cover for Sam's leave",
        starts_on=timezone.localdate(),
    )
    entry.refresh_from_db()
    assert entry.status == PipelineStatus.ACTING_UP
    with pytest.raises(ValidationError):
        services.pipeline_add(
            person=cast.supervisee,
            by=cast.manager,
            identified_on=timezone.localdate(),
            strengths="Again",
        )
    with pytest.raises(ValidationError):
        services.pipeline_add(
            person=cast.manager, by=cast.manager, identified_on=timezone.localdate(), strengths="Me"
        )
    # The person reads their own plan; the pipeline's list is for HR and senior leaders.
    assert (
        cast.client_for(cast.supervisee).get(reverse("pipeline-entry", args=[entry.pk])).status_code
        == 200
    )
    assert (
        cast.client_for(cast.colleague).get(reverse("pipeline-entry", args=[entry.pk])).status_code
        == 403
    )
    assert cast.client_for(cast.director).get(reverse("pipeline")).status_code == 200
    assert cast.client_for(cast.manager).get(reverse("pipeline")).status_code == 403


def test_a_manager_identifies_someone_from_their_appraisal(cast):
    from tandem.development.services import appraisal_hold

    today = timezone.localdate()
    appraisal = appraisal_hold(
        person=cast.supervisee,
        by=cast.supervisor,
        held_on=today,
        period_starts_on=today - datetime.timedelta(days=364),
        period_ends_on=today,
        appraiser_comments="A strong year.",
    )
    url = reverse("appraisal", args=[appraisal.pk])
    mia = cast.client_for(cast.manager)
    assert (
        "Identify Sue Supervisee as a potential practice supervisor"
        in mia.get(url).content.decode()
    )
    assert (
        "Identify Sue Supervisee as"
        not in cast.client_for(cast.supervisee).get(url).content.decode()
    )
    add = reverse("pipeline-add", args=[cast.supervisee.pk]) + f"?appraisal={appraisal.pk}"
    saved = mia.post(
        add, {"identified_on": today.isoformat(), "strengths": "Leads case discussions."}
    )
    assert saved.status_code == 302
    entry = cast.supervisee.pipeline_entries.get()
    assert entry.appraisal == appraisal and entry.identified_by == cast.manager
    assert "Identify Sue Supervisee as" not in mia.get(url).content.decode()
