"""The quality and workforce figures in oversight: on every dashboard (with their definitions),
in evidence packs, who supervises the supervisors and turnover beside supervision (worked by
hand on the oversight tests' October), the exports, and page queries that do not grow."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tandem.organisations.models import Person
from tandem.organisations.tests.factories import PersonFactory
from tandem.oversight.definitions import BY_KEY
from tandem.oversight.pack_documents import figures_csv, headline_rows
from tandem.oversight.periods import Period
from tandem.oversight.selectors.scope import Scope
from tandem.oversight.services.packs import pack_create
from tandem.oversight.tests.test_dashboards import TODAY, fixed_today, october, unit
from tandem.quality import selectors, services
from tandem.quality.models import AuditAnswer

from .helpers import case, principal_social_worker, record_on

pytestmark = pytest.mark.django_db
__all__ = ["fixed_today", "october"]  # the oversight tests' fixtures, used here too

DAY = datetime.timedelta(days=1)


def test_who_supervises_the_supervisors_in_october(october):
    organisation = october["sue"].organisation
    rows = {
        row.supervisor.full_name: row
        for row in selectors.supervisors_supervision(
            Scope(organisation), Period.month(datetime.date(2026, 10, 1)), TODAY
        )
    }
    sam = rows["Sam Supervisor"]
    # Sam's own session was too short; the one he gave Sue counted.
    assert (sam.own_met, sam.own_required, sam.their_met, sam.their_required) == (0, 1, 1, 1)
    mia = rows["Mia Manager"]
    # Mia's own was cancelled and never re-booked; the one she gave Sam was too short.
    assert (mia.own_met, mia.own_required, mia.their_met, mia.their_required) == (0, 1, 0, 1)
    assert sam.own_percent == 0 and sam.their_percent == 100


def test_turnover_beside_supervision(cast, october):
    team = unit(cast, "Assessment Team")
    PersonFactory(organisation=cast.organisation, team=team, left_on=TODAY - 30 * DAY)
    [row] = selectors.turnover_by_team(cast.organisation, [team], TODAY)
    assert (row.headcount, row.leavers) == (3, 1)
    assert row.turnover_percent == 25
    assert row.required >= 3


def completed_audit(cast: Any) -> Any:
    pat = principal_social_worker(cast)
    ends = timezone.localdate() - DAY
    for n in range(3):
        record_on(cast, ends - (10 + 20 * n) * DAY, cases=[case(f"CF-{n}")])
    audit = services.audit_begin(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_on=ends - 90 * DAY,
        ends_on=ends,
        sample_size=3,
        by=pat,
    )
    services.audit_answers_save(
        supervision_audit=audit,
        by=pat,
        answers={r.pk: (r.answer or AuditAnswer.YES, "") for r in audit.responses.all()},
        summary="Fine.",
    )
    return services.audit_complete(supervision_audit=audit, by=pat), pat


def test_the_dashboard_shows_the_quality_figures_with_their_definitions(cast):
    audit, _pat = completed_audit(cast)
    this_month = {"period": "month", "date": timezone.localdate().replace(day=1).isoformat()}
    page = cast.client_for(cast.director).get(reverse("oversight-organisation"), this_month)
    page = page.content.decode()
    assert "Quality of supervision and the workforce" in page
    assert 'id="card-audit_score"' in page and f"{audit.score}%" in page
    definitions = (
        cast.client_for(cast.director).get(reverse("oversight-definitions")).content.decode()
    )
    for key in (
        "audits_completed",
        "audit_score",
        "case_audits_good",
        "case_audits_learning",
        "turnover",
        "own_supervision",
        "pipeline",
        "equality",
    ):
        assert key in BY_KEY
        assert escape(BY_KEY[key].name) in definitions


def test_an_evidence_pack_keeps_the_quality_figures(cast):
    audit, _pat = completed_audit(cast)
    today = timezone.localdate()
    pack = pack_create(
        by=cast.director,
        unit=None,
        title="Ofsted ILACS",
        starts_on=today - 60 * DAY,
        ends_on=today,
        sample="random",
        sample_size=1,
    )
    assert pack.figures["headline"]["audit_score"] == audit.score
    rows = dict(headline_rows(pack))
    assert rows["Average supervision audit score"] == f"{audit.score}%"
    assert b"audit_score" in figures_csv(pack)


def test_the_exports(cast):
    _audit, pat = completed_audit(cast)
    services.case_audit_add(worker=cast.supervisee, case_reference="=CMD()", label="@x", by=pat)
    client = cast.client_for(pat)
    results = client.get(reverse("audit-results"), {"format": "csv"}).content.decode("utf-8-sig")
    assert results.splitlines()[1].startswith("Assessment Team")
    cases = client.get(reverse("case-audits"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=CMD()" in cases and "'@x" in cases
    ada = cast.client_for(cast.director)
    workforce = ada.get(reverse("workforce"), {"format": "csv"}).content.decode("utf-8-sig")
    assert workforce.startswith("Team,In post")
    supervisors = ada.get(reverse("workforce"), {"format": "supervisors-csv"}).content.decode(
        "utf-8-sig"
    )
    assert "Sam Supervisor" in supervisors


def more(cast: Any, n: int) -> None:
    """``n`` more of everything the quality pages list."""
    pat = Person.objects.get(user__email="pat@riverside.test")
    for index in range(n):
        services.case_audit_add(
            worker=cast.supervisee, case_reference=f"CF-X{index}", label="", by=pat
        )
        person = PersonFactory(
            organisation=cast.organisation,
            team=cast.supervisee.team,
            job_title="Senior social worker",
        )
        services.pipeline_add(
            person=person, by=cast.admin, identified_on=timezone.localdate(), strengths="Good."
        )


PAGES = [
    ("pat", "quality"),
    ("pat", "audits"),
    ("pat", "case-audits"),
    ("pat", "audit-results"),
    ("director", "pipeline"),
    ("director", "workforce"),
    ("director", "equality-figures"),
]


def test_page_queries_do_not_grow(cast):
    from tandem.organisations.models import Role
    from tandem.organisations.tests.factories import RoleGrantFactory

    completed_audit(cast)
    RoleGrantFactory(person=cast.admin, role=Role.HR)

    def counts() -> list[int]:
        found = []
        for who, name in PAGES:
            person = (
                Person.objects.get(user__email="pat@riverside.test")
                if who == "pat"
                else getattr(cast, who)
            )
            client = cast.client_for(person)
            client.get(reverse(name))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200, name
            found.append(len(queries))
        return found

    more(cast, 1)  # one of each first: a list's prefetch runs only when it has rows
    small = counts()
    more(cast, 2)
    larger = counts()
    more(cast, 6)
    assert counts() == larger == small
