"""A large, deterministic organisation for benchmarks: ``manage.py generate_scale_data``.

Shape, for N staff: N/20 teams of about 20 (a manager and members), 10 teams to a service and
5 services to a directorate. Everyone has a current line-management supervisor: members their
team manager, team managers their head of service, heads of service their director. Rows are
written with bulk_create (no per-row history), so 20,000 staff take seconds. Later capabilities
add their own rows (agreements, sessions, records) to the same organisation.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from tandem.api.models import ApiToken
from tandem.core.models import User
from tandem.demo.scale.history import history_delete
from tandem.organisations.models import (
    Nation,
    Organisation,
    Person,
    RoleGrant,
    Sector,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
    Team,
    TeamKind,
)

FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kemi",
    "Leo",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Ravi",
    "Sara",
    "Tom",
    "Uma",
    "Vik",
    "Will",
    "Xena",
    "Yusuf",
    "Zara",
    "Amir",
    "Beth",
    "Carys",
    "Dafydd",
    "Eilidh",
    "Fraser",
]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Walsh",
    "Young",
    "Zhou",
    "Campbell",
    "Murray",
    "Kaur",
    "Byrne",
]


@dataclass(frozen=True)
class ScaleSummary:
    organisation: Organisation
    staff: int
    teams: int
    relationships: int


def scale_organisation_name(staff: int, seed: int) -> str:
    return f"Scale test {staff} staff (seed {seed})"


def scale_data_generate(*, staff: int, seed: int = 1, replace: bool = False) -> ScaleSummary:
    """Build (or rebuild, with ``replace``) the organisation of ``staff`` people."""
    summary = _generate(staff=staff, seed=seed, replace=replace)
    _refresh_statistics()
    return summary


@transaction.atomic
def _generate(*, staff: int, seed: int, replace: bool) -> ScaleSummary:
    if staff < 20:
        raise ValueError("Scale data needs at least 20 staff.")
    name = scale_organisation_name(staff, seed)
    existing = Organisation.objects.filter(name=name).first()
    if existing is not None:
        if not replace:
            return _summary(existing)
        _delete_organisation(existing)

    rng = random.Random(seed)
    org = Organisation.objects.create(
        name=name, nation=Nation.ENGLAND, sector=Sector.CHILDREN_SOCIAL_CARE
    )
    team_count = max(1, staff // 20)
    service_count = max(1, team_count // 10)
    directorate_count = max(1, service_count // 5)

    directorates = Team.objects.bulk_create(
        Team(organisation=org, name=f"Directorate {d + 1}", kind=TeamKind.DIRECTORATE)
        for d in range(directorate_count)
    )
    services = Team.objects.bulk_create(
        Team(
            organisation=org,
            name=f"Service {s + 1}",
            kind=TeamKind.SERVICE,
            parent=directorates[s % directorate_count],
        )
        for s in range(service_count)
    )
    teams = Team.objects.bulk_create(
        Team(
            organisation=org,
            name=f"Team {t + 1}",
            kind=TeamKind.TEAM,
            parent=services[t % service_count],
        )
        for t in range(team_count)
    )
    units = [*directorates, *services, *teams]

    password = make_password(None)  # unusable: scale staff never sign in
    slug = f"scale{staff}s{seed}"
    users = User.objects.bulk_create(
        User(email=f"p{i}@{slug}.example", password=password) for i in range(staff)
    )
    start = datetime.date(2016, 1, 1)  # most in post before 5 years of history begin
    people: list[Person] = []
    for i, user in enumerate(users):
        if i < len(units):
            unit = units[i]  # the first people manage the units, top down
            category = {
                TeamKind.DIRECTORATE: StaffCategory.ASSISTANT_DIRECTOR,
                TeamKind.SERVICE: StaffCategory.HEAD_OF_SERVICE,
                TeamKind.TEAM: StaffCategory.TEAM_MANAGER,
            }[TeamKind(unit.kind)]
        else:
            unit = teams[i % team_count]
            category = (
                StaffCategory.NQSW_ASYE
                if rng.random() < 0.08
                else StaffCategory.REGISTERED_SOCIAL_WORKER
            )
        people.append(
            Person(
                organisation=org,
                user=user,
                staff_number=f"X{i:07d}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                job_title=StaffCategory(category).label,
                staff_category=category,
                team=unit,
                employment_start=start + datetime.timedelta(days=rng.randrange(0, 2000)),
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)

    manager_of: dict[int, Person] = {}
    for unit, person in zip(units, people, strict=False):
        unit.manager = person
        manager_of[unit.pk] = person
    Team.objects.bulk_update(units, ["manager"], batch_size=2000)

    parent_of = {unit.pk: unit.parent_id for unit in units}
    relationships = []
    for person in people:
        unit_id = person.team_id
        if unit_id is None:
            continue
        supervisor = manager_of.get(unit_id)
        if supervisor is not None and supervisor.pk == person.pk:
            parent_id = parent_of.get(unit_id)
            supervisor = manager_of.get(parent_id) if parent_id is not None else None
        if supervisor is None:
            continue
        relationships.append(
            SupervisionRelationship(
                organisation=org,
                supervisee=person,
                supervisor=supervisor,
                kind=SupervisionKind.LINE,
                starts_on=person.employment_start or start,
            )
        )
    SupervisionRelationship.objects.bulk_create(relationships, batch_size=2000)
    return _summary(org)


def _refresh_statistics() -> None:
    """After a bulk load, tell PostgreSQL's planner how big the tables now are, as autovacuum
    would within minutes; without it the first queries plan for empty tables."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (User, Person, Team, SupervisionRelationship)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _summary(org: Organisation) -> ScaleSummary:
    return ScaleSummary(
        organisation=org,
        staff=Person.objects.for_organisation(org).count(),
        teams=Team.objects.for_organisation(org).count(),
        relationships=SupervisionRelationship.objects.for_organisation(org).count(),
    )


def _delete_organisation(org: Organisation) -> None:
    """Remove a scale organisation, children first, without loading its rows."""
    history_delete(org)  # its history first (sessions, records...)
    RoleGrant.objects.for_organisation(org)._raw_delete(using="default")
    ApiToken.objects.filter(organisation=org)._raw_delete(using="default")  # a benchmark's
    user_ids = Person.objects.for_organisation(org).values("user_id")
    SupervisionRelationship.objects.for_organisation(org)._raw_delete(using="default")
    Team.objects.for_organisation(org).update(manager=None)
    Person.objects.for_organisation(org).update(team=None)
    Team.objects.for_organisation(org).exclude(parent=None).update(parent=None)
    users = list(user_ids.values_list("user_id", flat=True))
    Person.objects.for_organisation(org)._raw_delete(using="default")
    Team.objects.for_organisation(org)._raw_delete(using="default")
    User.objects.filter(pk__in=users)._raw_delete(using="default")
    org.delete()
