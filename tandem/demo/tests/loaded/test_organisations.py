import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from tandem.core.models import User
from tandem.demo.organisations import (
    DEMO_PASSWORD,
    HOLLYFIELD,
    MEADOWBANK,
    NORTHBRIDGE,
    load_demo,
)
from tandem.organisations import selectors
from tandem.organisations.models import (
    Organisation,
    Person,
    Role,
    RoleGrant,
    StaffCategory,
    SupervisionRelationship,
    Team,
)

pytestmark = pytest.mark.dated

README_LOGINS = [
    ("priya.shah@northbridge.example", "Priya Shah"),
    ("helen.marsh@northbridge.example", "Helen Marsh"),
    ("joan.whitfield@northbridge.example", "Joan Whitfield"),
    ("daniel.okafor@northbridge.example", "Daniel Okafor"),
    ("amira.hussain@northbridge.example", "Amira Hussain"),
    ("karen.doyle@hollyfield.example", "Karen Doyle"),
    ("rebecca.lewis@hollyfield.example", "Rebecca Lewis"),
    ("tom.bennett@hollyfield.example", "Tom Bennett"),
    ("grace.adeyemi@hollyfield.example", "Grace Adeyemi"),
    ("sunita.patel@meadowbank.example", "Sunita Patel"),
    ("rita.okonkwo@meadowbank.example", "Rita Okonkwo"),
    ("aoife.brennan@meadowbank.example", "Aoife Brennan"),
    ("liam.foster@meadowbank.example", "Liam Foster"),
]


@pytest.fixture
def logins(the_demo):
    return the_demo.logins


def person(email):
    return Person.objects.select_related("organisation", "team").get(user__email=email)


def counts():
    return {
        "organisations": Organisation.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "people": Person.objects.count(),
        "relationships": SupervisionRelationship.objects.count(),
        "grants": RoleGrant.objects.count(),
        "team_managers": sorted(Team.objects.values_list("pk", "manager_id")),
    }


def test_load_demo_returns_the_readme_logins_in_order(logins):
    assert [(x.email, x.name) for x in logins] == README_LOGINS
    assert [x.organisation for x in logins] == (
        [NORTHBRIDGE] * 5 + [HOLLYFIELD] * 4 + [MEADOWBANK] * 4
    )


def test_every_demo_login_signs_in_with_the_demo_password(logins):
    for email, name in README_LOGINS:
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None, email
        assert user.person.full_name == name


def test_loading_twice_changes_nothing(logins):
    before = counts()
    again = load_demo()
    assert again == logins
    assert counts() == before
    assert before["organisations"] == 3


def test_amira_escalates_to_daniel_her_manager_head_of_service_and_helen(logins):
    amira = person("amira.hussain@northbridge.example")
    assert amira.team.name == "Duty and Assessment"
    chain = selectors.person_escalation_chain(person=amira)
    roles = [link.role for link in chain]
    assert roles == ["supervisor", "team_manager", "head_of_service", "assistant_director"]
    supervisor, manager, head, director = (link.person for link in chain)
    assert supervisor.full_name == "Daniel Okafor"
    assert supervisor.staff_category == StaffCategory.PRACTICE_SUPERVISOR
    assert manager.staff_category == StaffCategory.TEAM_MANAGER
    assert manager.team == amira.team
    assert head.staff_category == StaffCategory.HEAD_OF_SERVICE
    assert head.team.name == "Early Help and Assessment"
    assert director.full_name == "Helen Marsh"


def test_amira_is_in_week_3_of_her_asye(logins):
    amira = person("amira.hussain@northbridge.example")
    assert amira.staff_category == StaffCategory.NQSW_ASYE
    assert (timezone.localdate() - amira.asye_start).days // 7 + 1 == 3


def test_everyone_at_northbridge_but_the_director_has_one_current_line_supervisor(logins):
    people = Person.objects.filter(organisation__name=NORTHBRIDGE)
    assert 100 <= people.count() <= 120
    for someone in people:
        current = SupervisionRelationship.objects.current().filter(supervisee=someone, kind="line")
        expected = 0 if someone.staff_category == StaffCategory.ASSISTANT_DIRECTOR else 1
        assert current.count() == expected, someone


def test_northbridge_has_eight_nqsws_at_distinct_points_of_the_year(logins):
    today = timezone.localdate()
    nqsws = Person.objects.filter(
        organisation__name=NORTHBRIDGE, staff_category=StaffCategory.NQSW_ASYE
    )
    starts = [p.asye_start for p in nqsws]
    assert len(starts) == 8
    assert len(set(starts)) == 8
    assert all(today - datetime.timedelta(days=365) < d <= today for d in starts)
    for nqsw in nqsws:
        chain = selectors.person_escalation_chain(person=nqsw)
        assert chain[0].person.staff_category == StaffCategory.PRACTICE_SUPERVISOR
        assert chain[0].person.registration_number.startswith("SW")


def test_social_workers_have_social_work_england_numbers(logins):
    workers = Person.objects.filter(
        organisation__name=NORTHBRIDGE,
        staff_category__in=[StaffCategory.REGISTERED_SOCIAL_WORKER, StaffCategory.NQSW_ASYE],
    )
    assert 75 <= workers.count() <= 85
    numbers = [w.registration_number for w in workers]
    assert all(n.startswith("SW") and len(n) == 8 and n[2:].isdigit() for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_grace_is_supervised_by_tom(logins):
    grace = person("grace.adeyemi@hollyfield.example")
    chain = selectors.person_escalation_chain(person=grace)
    assert chain[0].role == "supervisor"
    assert chain[0].person.full_name == "Tom Bennett"
    assert chain[-1].person.full_name == "Rebecca Lewis"


def test_everyone_at_hollyfield_but_the_head_has_one_current_line_supervisor(logins):
    people = Person.objects.filter(organisation__name=HOLLYFIELD)
    assert 18 <= people.count() <= 25
    for someone in people:
        current = SupervisionRelationship.objects.current().filter(supervisee=someone, kind="line")
        assert current.count() == (0 if someone.full_name == "Rebecca Lewis" else 1), someone


@pytest.mark.parametrize(
    ("email", "roles"),
    [
        ("helen.marsh@northbridge.example", {Role.SENIOR_LEADER}),
        ("rebecca.lewis@hollyfield.example", {Role.SENIOR_LEADER}),
        ("priya.shah@northbridge.example", {Role.ADMIN, Role.HR}),
        ("karen.doyle@hollyfield.example", {Role.ADMIN, Role.HR}),
        ("daniel.okafor@northbridge.example", set()),
        ("amira.hussain@northbridge.example", set()),
        ("tom.bennett@hollyfield.example", set()),
        ("grace.adeyemi@hollyfield.example", set()),
    ],
)
def test_grants(logins, email, roles):
    assert person(email).granted_roles == {str(r) for r in roles}


def test_command_fails_with_one_plain_line(db, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.core.management.base import CommandError

    def broken(today=None):
        raise ValidationError("The demo is broken.")

    monkeypatch.setattr("tandem.demo.load.load_demo", broken)
    with pytest.raises(CommandError, match=r"^Could not load the demo: The demo is broken\.$"):
        call_command("load_demo", stdout=StringIO())
