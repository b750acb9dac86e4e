"""Fixtures shared by every test: the fixed cast for permission tests.

The cast, in one organisation (Riverside Council, England):
  Ada Director (assistant director) manages the directorate,
  Hal Service (head of service) manages the service,
  Mia Manager (team manager) manages the team,
  Sam Supervisor (practice supervisor, in the team) supervises
  Sue Supervisee (social worker, in the team);
  Cole Colleague is in another team with no tie to them; Ann Admin is the organisation admin.
And in another organisation (Hillside Trust): Olga Outsider, that organisation's admin.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django_scopes.state import state as scope_state

from tandem.core.tests.shared import clock_at
from tandem.organisations.models import (
    Nation,
    Organisation,
    Person,
    Role,
    Sector,
    StaffCategory,
    TeamKind,
)
from tandem.organisations.tests.factories import (
    TEST_PASSWORD,
    OrganisationFactory,
    PersonFactory,
    RelationshipFactory,
    RoleGrantFactory,
    TeamFactory,
    UserFactory,
)

# Tests build and check their data with tenant scoping off, as pretix's do; every request,
# command and task a test runs is an entry point and opens its own scope, as in production
# (tandem/core/scoping.py). ``scoping_enforced`` turns it on for a test's own queries.
scope_state.set({"_enabled": False})


@pytest.fixture
def scoping_enforced() -> Iterator[None]:
    from tandem.core.scoping import entry_point

    with entry_point():
        yield


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--as-of",
        default=None,
        metavar="MOMENT",
        help="Run with the clock at this moment, London time (the date sweep): 2027-12-25 "
        "(09:00 that day) or 2027-03-28T00:30. Each test starts at that moment.",
    )


def as_of(config: pytest.Config) -> datetime.datetime | None:
    """The moment the tests run at (``--as-of``), or None for the real clock."""
    text = config.getoption("as_of")
    if not text:
        return None
    from tandem.core.clock import parse_as_of

    try:
        return parse_as_of(text)
    except ValueError as error:
        raise pytest.UsageError(f"--as-of: {error}") from None


def pytest_configure(config: pytest.Config) -> None:
    as_of(config)  # a bad --as-of stops the run before anything is collected


def pytest_report_header(config: pytest.Config) -> str:
    moment = as_of(config)
    return f"clock: as of {moment.isoformat()}" if moment else "clock: real"


def _empties_the_database(item: pytest.Item) -> bool:
    """Whether pytest-django ends this test by flushing every table (a transactional test)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in fixtures for name in ("transactional_db", "live_server")
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test ends by emptying every table, the built-in agreement templates (a
    data migration's rows) too. Put them back, so that whatever runs next in this process (under
    xdist, any other file's tests) finds the database as the migrations left it. After the last
    test there is nothing to put back: the test database has gone with the session."""
    result = yield
    if nextitem is not None and _empties_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        from tandem.agreements.builtin import builtin_templates_load

        with item.config.stash[blocking_manager_key].unblock():
            builtin_templates_load()
    return result


@pytest.fixture(scope="session")
def as_of_moment(request: pytest.FixtureRequest) -> datetime.datetime | None:
    return as_of(request.config)


@pytest.fixture(autouse=True)
def clock_as_of(as_of_moment: datetime.datetime | None) -> Iterator[None]:
    """Under ``--as-of``, every test starts with the clock at that moment (a test that travels
    itself, to a fixed date, still can: the inner journey wins)."""
    with clock_at(as_of_moment):
        yield


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Real password checks, with a cheap hash: the cast alone would take seconds to hash. For
    the whole session, so that rows built once for a module (the demo) use it too."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@dataclass
class Cast:
    organisation: Organisation
    other_organisation: Organisation
    director: Person
    head_of_service: Person
    manager: Person
    supervisor: Person
    supervisee: Person
    colleague: Person
    admin: Person
    outsider: Person
    password: str = TEST_PASSWORD

    def client_for(self, person: Person) -> Client:
        client = Client()
        client.force_login(person.user)
        return client


def _person(org: Organisation, email: str, first: str, last: str, **fields: object) -> Person:
    return PersonFactory(
        organisation=org,
        user=UserFactory(email=email),
        first_name=first,
        last_name=last,
        **fields,
    )


@pytest.fixture
def cast(db: None) -> Cast:
    org = OrganisationFactory(
        name="Riverside Council", nation=Nation.ENGLAND, sector=Sector.CHILDREN_SOCIAL_CARE
    )
    other = OrganisationFactory(name="Hillside Trust", nation=Nation.WALES, sector=Sector.HEALTH)

    directorate = TeamFactory(
        organisation=org, name="Children's Services", kind=TeamKind.DIRECTORATE
    )
    service = TeamFactory(
        organisation=org, name="Safeguarding", kind=TeamKind.SERVICE, parent=directorate
    )
    team = TeamFactory(organisation=org, name="Assessment Team", kind=TeamKind.TEAM, parent=service)
    other_team = TeamFactory(
        organisation=org, name="Fostering Team", kind=TeamKind.TEAM, parent=service
    )

    director = _person(
        org,
        "ada@riverside.test",
        "Ada",
        "Director",
        staff_category=StaffCategory.ASSISTANT_DIRECTOR,
        team=directorate,
        job_title="Assistant director",
    )
    head = _person(
        org,
        "hal@riverside.test",
        "Hal",
        "Service",
        staff_category=StaffCategory.HEAD_OF_SERVICE,
        team=service,
        job_title="Head of service",
    )
    manager = _person(
        org,
        "mia@riverside.test",
        "Mia",
        "Manager",
        staff_category=StaffCategory.TEAM_MANAGER,
        team=team,
        job_title="Team manager",
    )
    supervisor = _person(
        org,
        "sam@riverside.test",
        "Sam",
        "Supervisor",
        staff_category=StaffCategory.PRACTICE_SUPERVISOR,
        team=team,
        job_title="Practice supervisor",
    )
    supervisee = _person(
        org,
        "sue@riverside.test",
        "Sue",
        "Supervisee",
        staff_category=StaffCategory.NQSW_ASYE,
        team=team,
        job_title="Social worker",
        asye_start=datetime.date(2026, 9, 1),
    )
    colleague = _person(
        org,
        "cole@riverside.test",
        "Cole",
        "Colleague",
        team=other_team,
    )
    admin = _person(
        org,
        "ann@riverside.test",
        "Ann",
        "Admin",
        staff_category=StaffCategory.SUPPORT_STAFF,
        job_title="Business support",
    )
    outsider = _person(
        other,
        "olga@hillside.test",
        "Olga",
        "Outsider",
        staff_category=StaffCategory.NURSE,
    )

    directorate.manager, service.manager, team.manager = director, head, manager
    for unit in (directorate, service, team):
        unit.save()
    other_team.manager = head
    other_team.save()

    RelationshipFactory(supervisee=supervisee, supervisor=supervisor)
    RelationshipFactory(supervisee=supervisor, supervisor=manager)
    RelationshipFactory(supervisee=manager, supervisor=head)
    RelationshipFactory(supervisee=colleague, supervisor=head)
    RoleGrantFactory(person=admin, role=Role.ADMIN)
    RoleGrantFactory(person=director, role=Role.SENIOR_LEADER)
    RoleGrantFactory(person=outsider, role=Role.ADMIN)

    return Cast(
        organisation=org,
        other_organisation=other,
        director=director,
        head_of_service=head,
        manager=manager,
        supervisor=supervisor,
        supervisee=supervisee,
        colleague=colleague,
        admin=admin,
        outsider=outsider,
    )
