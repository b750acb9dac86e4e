"""The demo organisations that ``make demo`` loads: ``manage.py load_demo``.

Three tenants, built idempotently in one transaction (running it again creates nothing new):

* Northbridge Council Children's Services: a directorate (Helen Marsh, assistant director),
  three services with a head of service each, ten teams with a team manager and one or two
  practice supervisors each, and 80 social workers, eight of them NQSWs at different points of
  the ASYE year (Amira Hussain in week 3, supervised by Daniel Okafor). Priya Shah is the admin.
* Hollyfield Primary School: the school as one unit (Rebecca Lewis, headteacher) with three
  teams; Tom Bennett, the designated safeguarding lead, supervises most staff, including Grace
  Adeyemi (Year 4); Karen Doyle, the school business manager, is the admin.
* Meadowbank Care: a care provider with two care homes (Elm House, with nursing, and Willow
  Court) and a home care team, each led by a registered manager; nurses on NMC revalidation
  (Aoife Brennan's is due next quarter), care workers (6 sessions a year in the homes, 4 in home
  care) and three new starters on the Care Certificate. Sunita Patel (HR) is the admin.

People are keyed on their staff number (within the organisation) and their login on the email;
teams on (organisation, parent, name). Dates that describe "where in the ASYE" an NQSW is are
relative to ``today``, so loading again on a later day moves them back into place; every other
date is anchored to a fixed year. Everyone signs in with ``DEMO_PASSWORD``.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tandem.core.models import User
from tandem.organisations import services
from tandem.organisations.models import (
    Nation,
    Organisation,
    Person,
    Role,
    Sector,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
    Team,
    TeamKind,
)

DEMO_PASSWORD = "Supervision-2026"
DEMO_URL = "http://127.0.0.1:8000"

NORTHBRIDGE = "Northbridge Council Children's Services"
HOLLYFIELD = "Hollyfield Primary School"

# Generated names come from these pools through a fixed seed, so every load builds the same people.
NAME_SEED = 2026
FIRST_NAMES = [
    "Abigail",
    "Adebola",
    "Aisling",
    "Alex",
    "Alisha",
    "Amanda",
    "Anil",
    "Bethan",
    "Callum",
    "Chantelle",
    "Chidi",
    "Ciaran",
    "Danielle",
    "Darren",
    "Deepa",
    "Eilidh",
    "Emeka",
    "Emma",
    "Farah",
    "Gemma",
    "Hamza",
    "Hannah",
    "Ifeoma",
    "Jade",
    "James",
    "Jasmine",
    "Jessica",
    "Joseph",
    "Kamal",
    "Katie",
    "Kieran",
    "Lauren",
    "Leanne",
    "Lewis",
    "Lola",
    "Mariam",
    "Mark",
    "Megan",
    "Michelle",
    "Mohammed",
    "Natasha",
    "Niamh",
    "Nicola",
    "Oluwaseun",
    "Paul",
    "Precious",
    "Rebecca",
    "Rhys",
    "Rosie",
    "Saira",
    "Samuel",
    "Shannon",
    "Sian",
    "Stacey",
    "Sunita",
    "Thomas",
    "Tendai",
    "Victoria",
    "Wei",
    "Zainab",
]
LAST_NAMES = [
    "Abbott",
    "Adeyemi",
    "Ahmed",
    "Akhtar",
    "Baker",
    "Barker",
    "Bibi",
    "Boateng",
    "Burns",
    "Chowdhury",
    "Coleman",
    "Connolly",
    "Cooper",
    "Dhillon",
    "Edwards",
    "Farrell",
    "Fletcher",
    "Gill",
    "Hall",
    "Hart",
    "Hassan",
    "Hughes",
    "Iqbal",
    "Jackson",
    "James",
    "Johnson",
    "Kaur",
    "Kelly",
    "Khan",
    "Kowalski",
    "Lee",
    "Lloyd",
    "Malik",
    "Mensah",
    "Mitchell",
    "Moore",
    "Murphy",
    "Nwosu",
    "O'Brien",
    "O'Neill",
    "Osei",
    "Parker",
    "Parry",
    "Patel",
    "Phillips",
    "Qureshi",
    "Richards",
    "Robinson",
    "Shaw",
    "Singh",
    "Stewart",
    "Sutton",
    "Thompson",
    "Turner",
    "Wang",
    "Ward",
    "Watson",
    "Williams",
    "Wood",
    "Wright",
]


@dataclass(frozen=True)
class DemoLogin:
    organisation: str
    role: str
    name: str
    email: str


@dataclass(frozen=True)
class _PersonSpec:
    staff_number: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    staff_category: str
    unit: tuple[str, ...]  # the path of unit names, top down
    employment_start: datetime.date
    asye_start: datetime.date | None = None
    registration_number: str = ""
    supervisor: str | None = None  # the staff number of their line supervisor
    manages: tuple[str, ...] | None = None  # the path of the unit they manage
    roles: tuple[str, ...] = ()


@dataclass
class _OrganisationSpec:
    name: str
    nation: str
    sector: str
    record_deadline_working_days: int
    domain: str
    prefix: str
    units: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (path, kind)
    people: list[_PersonSpec] = field(default_factory=list)
    used_emails: set[str] = field(default_factory=set)
    reserved_emails: set[str] = field(default_factory=set)  # hand-picked, not drawn at random

    def email(self, first_name: str, last_name: str) -> str:
        return f"{_ascii(first_name)}.{_ascii(last_name)}@{self.domain}"

    def add(self, first_name: str, last_name: str, **fields: object) -> _PersonSpec:
        email = self.email(first_name, last_name)
        if email in self.used_emails:
            raise ValueError(f"Two demo people share the email {email}.")
        self.used_emails.add(email)
        person = _PersonSpec(
            staff_number=f"{self.prefix}{len(self.people) + 1:04d}",
            first_name=first_name,
            last_name=last_name,
            email=email,
            **fields,  # type: ignore[arg-type]
        )
        self.people.append(person)
        return person


def _ascii(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _registration(number: int) -> str:
    """A Social Work England registration number: "SW" and six digits, distinct per number."""
    return f"SW{100000 + (number * 7919) % 900000:06d}"


def _anchor(today: datetime.date) -> datetime.date:
    """Fixed, and always before ``today``, so people's start dates do not move from day to day."""
    return min(datetime.date(2025, 9, 1), datetime.date(today.year - 1, 9, 1))


Name = tuple[str, str]
TeamPlan = tuple[str, Name, list[Name]]  # team, team manager, practice supervisors

# Northbridge: (service, head of service, its teams).
NORTHBRIDGE_SERVICES: list[tuple[str, Name, list[TeamPlan]]] = [
    (
        "Early Help and Assessment",
        ("Marcus", "Reid"),
        [
            (
                "Duty and Assessment",
                ("Claire", "Whitehouse"),
                [("Daniel", "Okafor"), ("Laura", "Kennedy")],
            ),
            ("Multi-Agency Safeguarding Hub", ("Imran", "Siddiqui"), [("Rachel", "Bryant")]),
            ("Early Help", ("Joanne", "Pearce"), [("Tariq", "Mahmood")]),
        ],
    ),
    (
        "Children in Care",
        ("Fiona", "Gallagher"),
        [
            (
                "Children in Care North",
                ("Andrew", "Blackwood"),
                [("Nadia", "Rahman"), ("Owen", "Price")],
            ),
            ("Children in Care South", ("Bukola", "Adebayo"), [("Catherine", "Lowe")]),
            ("Leaving Care", ("Gareth", "Pritchard"), [("Mei", "Chen")]),
            ("Fostering Support", ("Sarah", "Nolan"), [("Kwame", "Asante")]),
        ],
    ),
    (
        "Child Protection",
        ("Sanjay", "Mistry"),
        [
            (
                "Child Protection East",
                ("Deborah", "Harland"),
                [("Simon", "Ashworth"), ("Yasmin", "Begum")],
            ),
            ("Child Protection West", ("Patrick", "Doherty"), [("Chloe", "Harrington")]),
            (
                "Court and Proceedings",
                ("Rukhsana", "Akhtar"),
                [("Matthew", "Fielding"), ("Eleanor", "Grant")],
            ),
        ],
    ),
]

# The oversight story: across Northbridge, supervision has got steadily better over the last year,
# but this team is struggling (sessions missed, records shared late, little time to reflect). The
# sessions, records and feedback demos read it.
STRUGGLING_TEAM = "Child Protection West"


def months_ago(day: datetime.date, today: datetime.date) -> int:
    """Whole calendar months from ``day``'s month to ``today``'s (0: this month)."""
    return (today.year - day.year) * 12 + today.month - day.month


def improving(day: datetime.date, today: datetime.date, *, year_ago: float, now: float) -> float:
    """A rate that moved steadily from ``year_ago`` (12 months before ``today`` and earlier) to
    ``now`` (this month): how often things went wrong, in the demo's improving year."""
    share = min(max(months_ago(day, today), 0), 12) / 12
    return now + (year_ago - now) * share


# The NQSWs: (team, days since their ASYE started, what that is). Amira Hussain is the first:
# her third week starts today, whatever day that is, so two weekly sessions are behind her (one
# record signed, one to sign) and this week's is still to come. (At 16 days, on a Friday or a
# Saturday her third session was already behind her too.)
NORTHBRIDGE_NQSWS: list[tuple[str, int, str]] = [
    ("Duty and Assessment", 14, "week 3"),
    ("Early Help", 30, "week 5"),
    ("Children in Care North", 66, "week 10"),
    ("Child Protection East", 105, "month 4"),
    ("Children in Care South", 165, "month 6"),
    ("Leaving Care", 228, "month 8"),
    ("Fostering Support", 290, "month 10"),
    ("Child Protection West", 320, "month 11"),
]
SOCIAL_WORKERS_PER_TEAM = 8  # NQSWs included: 80 in all
CASELOAD_PER_PRACTICE_SUPERVISOR = 3


def _line_supervisor(caseload: dict[str, int], manager: str) -> str:
    """The first practice supervisor with room on their list, else the team manager."""
    for staff_number, supervisees in caseload.items():
        if supervisees < CASELOAD_PER_PRACTICE_SUPERVISOR:
            caseload[staff_number] += 1
            return staff_number
    return manager


def _northbridge(today: datetime.date) -> _OrganisationSpec:
    spec = _OrganisationSpec(
        name=NORTHBRIDGE,
        nation=Nation.ENGLAND,
        sector=Sector.CHILDREN_SOCIAL_CARE,
        record_deadline_working_days=10,
        domain="northbridge.example",
        prefix="NB",
    )
    anchor = _anchor(today)
    registrations = iter(range(1, 1000))

    def started(years: int, days: int) -> datetime.date:
        return anchor - datetime.timedelta(days=365 * years + days)

    directorate = ("Children's Services",)
    spec.units.append((directorate, TeamKind.DIRECTORATE))
    director = spec.add(
        "Helen",
        "Marsh",
        job_title="Assistant director, Children's Services",
        staff_category=StaffCategory.ASSISTANT_DIRECTOR,
        unit=directorate,
        employment_start=started(12, 40),
        registration_number=_registration(next(registrations)),
        manages=directorate,
        roles=(Role.SENIOR_LEADER,),
    )
    spec.add(
        "Priya",
        "Shah",
        job_title="Business support manager",
        staff_category=StaffCategory.SUPPORT_STAFF,
        unit=directorate,
        employment_start=started(7, 120),
        supervisor=director.staff_number,
        roles=(Role.ADMIN, Role.HR),
    )

    # Keep every hand-picked name out of the draw for the social workers' names.
    spec.reserved_emails.add(spec.email("Amira", "Hussain"))
    spec.reserved_emails.add(spec.email("Joan", "Whitfield"))
    for _, head, teams in NORTHBRIDGE_SERVICES:
        spec.reserved_emails.add(spec.email(*head))
        for _, manager, supervisors in teams:
            spec.reserved_emails.add(spec.email(*manager))
            spec.reserved_emails.update(spec.email(*s) for s in supervisors)
    rng = random.Random(NAME_SEED)

    def draw_name() -> Name:
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = spec.email(first, last)
            if email not in spec.used_emails and email not in spec.reserved_emails:
                return first, last

    nqsw_at = {team: (days, index) for index, (team, days, _) in enumerate(NORTHBRIDGE_NQSWS)}
    n = 0
    for s, (service, head, teams) in enumerate(NORTHBRIDGE_SERVICES):
        service_path = (*directorate, service)
        spec.units.append((service_path, TeamKind.SERVICE))
        head_spec = spec.add(
            *head,
            job_title=f"Head of service, {service}",
            staff_category=StaffCategory.HEAD_OF_SERVICE,
            unit=service_path,
            employment_start=started(9, 30 + 70 * s),
            registration_number=_registration(next(registrations)),
            supervisor=director.staff_number,
            manages=service_path,
        )
        for t, (team, manager, supervisors) in enumerate(teams):
            team_path = (*service_path, team)
            spec.units.append((team_path, TeamKind.TEAM))
            manager_spec = spec.add(
                *manager,
                job_title="Team manager",
                staff_category=StaffCategory.TEAM_MANAGER,
                unit=team_path,
                employment_start=started(5 + t % 3, 20 + 37 * t),
                registration_number=_registration(next(registrations)),
                supervisor=head_spec.staff_number,
                manages=team_path,
            )
            supervisor_specs = []
            for p, name in enumerate(supervisors):
                supervisor_specs.append(
                    spec.add(
                        *name,
                        job_title="Practice supervisor",
                        staff_category=StaffCategory.PRACTICE_SUPERVISOR,
                        unit=team_path,
                        employment_start=started(3 + (t + p) % 4, 15 + 53 * p + 11 * t),
                        registration_number=_registration(next(registrations)),
                        supervisor=manager_spec.staff_number,
                    )
                )
            # Practice supervisors take the NQSW first, then a few social workers each;
            # the team manager supervises the rest.
            caseload = {s.staff_number: 0 for s in supervisor_specs}
            if team in nqsw_at:
                days, index = nqsw_at[team]
                if index == 0:
                    first, last = "Amira", "Hussain"
                else:
                    first, last = draw_name()
                asye_start = today - datetime.timedelta(days=days)
                spec.add(
                    first,
                    last,
                    job_title="Newly qualified social worker (ASYE)",
                    staff_category=StaffCategory.NQSW_ASYE,
                    unit=team_path,
                    employment_start=asye_start,
                    asye_start=asye_start,
                    registration_number=_registration(next(registrations)),
                    supervisor=_line_supervisor(caseload, manager_spec.staff_number),
                )
            for _ in range(SOCIAL_WORKERS_PER_TEAM - (1 if team in nqsw_at else 0)):
                n += 1
                first, last = draw_name()
                spec.add(
                    first,
                    last,
                    job_title="Senior social worker" if n % 4 == 0 else "Social worker",
                    staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER,
                    unit=team_path,
                    employment_start=started(1 + n % 6, 30 + (n * 97) % 330),
                    registration_number=_registration(next(registrations)),
                    supervisor=_line_supervisor(caseload, manager_spec.staff_number),
                )
    # Added last, so that nobody else's staff number moves.
    # The principal social worker: audits the quality of supervision and runs the monthly
    # case-file audits.
    spec.add(
        "Joan",
        "Whitfield",
        job_title="Principal social worker",
        staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER,
        unit=directorate,
        employment_start=started(10, 200),
        registration_number=_registration(next(registrations)),
        supervisor=director.staff_number,
        roles=(Role.AUDITOR,),
    )
    return spec


# Hollyfield: (first, last, job title, category, team or None for the school, supervisor's name).
_SCHOOL = "Hollyfield Primary School"
_EY_KS1 = "Early Years and Key Stage 1"
_KS2 = "Key Stage 2"
_INCLUSION = "Inclusion and Support"
HOLLYFIELD_PEOPLE: list[tuple[str, str, str, str, str | None, str | None]] = [
    ("Rebecca", "Lewis", "Headteacher", StaffCategory.TEACHER, None, None),
    (
        "Karen",
        "Doyle",
        "School business manager",
        StaffCategory.SUPPORT_STAFF,
        None,
        "Rebecca Lewis",
    ),
    (
        "Tom",
        "Bennett",
        "Deputy headteacher and designated safeguarding lead",
        StaffCategory.TEACHER,
        _KS2,
        "Rebecca Lewis",
    ),
    (
        "Lucy",
        "Fairbrother",
        "Reception teacher and Early Years and Key Stage 1 phase leader",
        StaffCategory.TEACHER,
        _EY_KS1,
        "Tom Bennett",
    ),
    ("Fatima", "Khan", "SENCO", StaffCategory.TEACHER, _INCLUSION, "Tom Bennett"),
    ("Aled", "Morgan", "Nursery teacher", StaffCategory.TEACHER, _EY_KS1, "Lucy Fairbrother"),
    ("Sophie", "Clarke", "Year 1 teacher", StaffCategory.TEACHER, _EY_KS1, "Lucy Fairbrother"),
    ("Jamal", "Osei", "Year 2 teacher", StaffCategory.TEACHER, _EY_KS1, "Lucy Fairbrother"),
    ("Ruth", "Sinclair", "Year 3 teacher", StaffCategory.TEACHER, _KS2, "Tom Bennett"),
    ("Grace", "Adeyemi", "Year 4 teacher", StaffCategory.TEACHER, _KS2, "Tom Bennett"),
    ("Harpreet", "Kaur", "Year 5 teacher", StaffCategory.TEACHER, _KS2, "Tom Bennett"),
    ("Connor", "Walsh", "Year 6 teacher", StaffCategory.TEACHER, _KS2, "Tom Bennett"),
    ("Natalie", "Brooks", "PPA cover teacher", StaffCategory.TEACHER, _KS2, "Tom Bennett"),
    (
        "Bethany",
        "Hughes",
        "Early years practitioner",
        StaffCategory.SUPPORT_STAFF,
        _EY_KS1,
        "Lucy Fairbrother",
    ),
    (
        "Margaret",
        "Ellis",
        "Teaching assistant, Key Stage 1",
        StaffCategory.SUPPORT_STAFF,
        _EY_KS1,
        "Lucy Fairbrother",
    ),
    (
        "Zainab",
        "Ali",
        "Teaching assistant, Key Stage 2",
        StaffCategory.SUPPORT_STAFF,
        _KS2,
        "Tom Bennett",
    ),
    (
        "Paul",
        "Jenkins",
        "Teaching assistant, Key Stage 2",
        StaffCategory.SUPPORT_STAFF,
        _KS2,
        "Tom Bennett",
    ),
    (
        "Dionne",
        "Campbell",
        "Family support worker",
        StaffCategory.SUPPORT_STAFF,
        _INCLUSION,
        "Tom Bennett",
    ),
    (
        "Kerry",
        "Simpson",
        "SEN teaching assistant",
        StaffCategory.SUPPORT_STAFF,
        _INCLUSION,
        "Fatima Khan",
    ),
    (
        "Wojciech",
        "Nowak",
        "SEN teaching assistant",
        StaffCategory.SUPPORT_STAFF,
        _INCLUSION,
        "Fatima Khan",
    ),
    ("Ryan", "Mills", "Learning mentor", StaffCategory.SUPPORT_STAFF, _INCLUSION, "Fatima Khan"),
]
HOLLYFIELD_MANAGERS = {
    (_SCHOOL,): "Rebecca Lewis",
    (_SCHOOL, _EY_KS1): "Lucy Fairbrother",
    (_SCHOOL, _KS2): "Tom Bennett",
    (_SCHOOL, _INCLUSION): "Fatima Khan",
}
HOLLYFIELD_ROLES = {
    "Rebecca Lewis": (Role.SENIOR_LEADER,),
    "Karen Doyle": (Role.ADMIN, Role.HR),
}


def _hollyfield(today: datetime.date) -> _OrganisationSpec:
    spec = _OrganisationSpec(
        name=HOLLYFIELD,
        nation=Nation.ENGLAND,
        sector=Sector.SCHOOL,
        record_deadline_working_days=10,
        domain="hollyfield.example",
        prefix="HF",
    )
    school = (_SCHOOL,)
    spec.units.append((school, TeamKind.DIRECTORATE))
    for team_name in (_EY_KS1, _KS2, _INCLUSION):
        spec.units.append(((_SCHOOL, team_name), TeamKind.TEAM))
    managed = {name: path for path, name in HOLLYFIELD_MANAGERS.items()}
    staff_numbers: dict[str, str] = {}
    anchor_year = _anchor(today).year
    for i, (first, last, job_title, category, team, supervisor) in enumerate(HOLLYFIELD_PEOPLE):
        name = f"{first} {last}"
        person = spec.add(
            first,
            last,
            job_title=job_title,
            staff_category=category,
            unit=school if team is None else (_SCHOOL, team),
            # Schools hire for September: the first people have been there longest.
            employment_start=datetime.date(anchor_year - max(1, 14 - (i * 5) % 13), 9, 1),
            supervisor=staff_numbers[supervisor] if supervisor else None,
            manages=managed.get(name),
            roles=HOLLYFIELD_ROLES.get(name, ()),
        )
        staff_numbers[name] = person.staff_number
    return spec


# Meadowbank Care: a care provider with two care homes and a home care service, in England.
MEADOWBANK = "Meadowbank Care"
_PROVIDER = "Meadowbank Care"
_HOMES = "Care homes"
_ELM = "Elm House"
_WILLOW = "Willow Court"
_ROUNDS = "Home care"
# (first, last, job title, category, unit path below the provider, supervisor's name, years in
# post; a negative number: a new starter that many weeks ago, on the Care Certificate).
MEADOWBANK_PEOPLE: list[tuple[str, str, str, str, tuple[str, ...], str | None, float]] = [
    ("Joanna", "Fairley", "Director of care", StaffCategory.REGISTERED_MANAGER, (), None, 11),
    (
        "Sunita",
        "Patel",
        "HR and training manager",
        StaffCategory.SUPPORT_STAFF,
        (),
        "Joanna Fairley",
        6,
    ),
    (
        "Rita",
        "Okonkwo",
        "Registered manager, Elm House",
        StaffCategory.REGISTERED_MANAGER,
        (_HOMES, _ELM),
        "Joanna Fairley",
        8,
    ),
    (
        "Martin",
        "Hale",
        "Registered manager, Willow Court",
        StaffCategory.REGISTERED_MANAGER,
        (_HOMES, _WILLOW),
        "Joanna Fairley",
        5,
    ),
    (
        "Denise",
        "Carter",
        "Registered manager, home care",
        StaffCategory.REGISTERED_MANAGER,
        (_ROUNDS,),
        "Joanna Fairley",
        7,
    ),
    (
        "Aoife",
        "Brennan",
        "Nurse, Elm House",
        StaffCategory.NURSE,
        (_HOMES, _ELM),
        "Rita Okonkwo",
        9,
    ),
    (
        "Samuel",
        "Mensah",
        "Nurse, Elm House",
        StaffCategory.NURSE,
        (_HOMES, _ELM),
        "Rita Okonkwo",
        4,
    ),
    (
        "Beverley",
        "Shaw",
        "Senior care worker",
        StaffCategory.CARE_WORKER,
        (_HOMES, _ELM),
        "Aoife Brennan",
        6,
    ),
    (
        "Tomasz",
        "Wojcik",
        "Care worker",
        StaffCategory.CARE_WORKER,
        (_HOMES, _ELM),
        "Aoife Brennan",
        3,
    ),
    (
        "Precious",
        "Moyo",
        "Care worker",
        StaffCategory.CARE_WORKER,
        (_HOMES, _ELM),
        "Samuel Mensah",
        2,
    ),
    (
        "Liam",
        "Foster",
        "Care worker",
        StaffCategory.CARE_WORKER,
        (_HOMES, _ELM),
        "Beverley Shaw",
        -5,
    ),
    (
        "Hannah",
        "Greaves",
        "Senior care worker",
        StaffCategory.CARE_WORKER,
        (_HOMES, _WILLOW),
        "Martin Hale",
        5,
    ),
    (
        "Joseph",
        "Adu",
        "Care worker",
        StaffCategory.CARE_WORKER,
        (_HOMES, _WILLOW),
        "Hannah Greaves",
        2,
    ),
    (
        "Emily",
        "Rowe",
        "Care worker",
        StaffCategory.CARE_WORKER,
        (_HOMES, _WILLOW),
        "Hannah Greaves",
        -14,
    ),
    (
        "Kelly",
        "Marsden",
        "Home care worker",
        StaffCategory.HOME_CARE_WORKER,
        (_ROUNDS,),
        "Denise Carter",
        4,
    ),
    (
        "Ravi",
        "Chauhan",
        "Home care worker",
        StaffCategory.HOME_CARE_WORKER,
        (_ROUNDS,),
        "Denise Carter",
        1,
    ),
    (
        "Grace",
        "Okafor",
        "Home care worker",
        StaffCategory.HOME_CARE_WORKER,
        (_ROUNDS,),
        "Denise Carter",
        -3,
    ),
]
MEADOWBANK_MANAGERS = {
    (_PROVIDER,): "Joanna Fairley",
    (_PROVIDER, _HOMES, _ELM): "Rita Okonkwo",
    (_PROVIDER, _HOMES, _WILLOW): "Martin Hale",
    (_PROVIDER, _ROUNDS): "Denise Carter",
}
MEADOWBANK_ROLES = {
    "Joanna Fairley": (Role.SENIOR_LEADER,),
    "Sunita Patel": (Role.ADMIN, Role.HR),
}


def _nmc_pin(number: int) -> str:
    """An NMC PIN: two digits, a letter, four digits, a letter."""
    return f"{10 + number % 89:02d}{'ABCDEFGHIJ'[number % 10]}{1000 + (number * 7919) % 9000:04d}E"


def _meadowbank(today: datetime.date) -> _OrganisationSpec:
    spec = _OrganisationSpec(
        name=MEADOWBANK,
        nation=Nation.ENGLAND,
        sector=Sector.CARE_PROVIDER,
        record_deadline_working_days=10,
        domain="meadowbank.example",
        prefix="MC",
    )
    provider = (_PROVIDER,)
    spec.units.append((provider, TeamKind.DIRECTORATE))
    spec.units.append(((_PROVIDER, _HOMES), TeamKind.SERVICE))
    for team in (_ELM, _WILLOW):
        spec.units.append(((_PROVIDER, _HOMES, team), TeamKind.TEAM))
    spec.units.append(((_PROVIDER, _ROUNDS), TeamKind.TEAM))  # home care: one team
    managed = {name: path for path, name in MEADOWBANK_MANAGERS.items()}
    staff_numbers: dict[str, str] = {}
    anchor = _anchor(today)
    for i, (first, last, job_title, category, unit, supervisor, years) in enumerate(
        MEADOWBANK_PEOPLE
    ):
        name = f"{first} {last}"
        # New starters' dates follow today (they stay new starters); everyone else's are fixed.
        started = (
            today - datetime.timedelta(weeks=-years)
            if years < 0
            else anchor - datetime.timedelta(days=int(365 * years) + 17 * i)
        )
        person = spec.add(
            first,
            last,
            job_title=job_title,
            staff_category=category,
            unit=(_PROVIDER, *unit),
            employment_start=started,
            registration_number=_nmc_pin(i) if category == StaffCategory.NURSE else "",
            supervisor=staff_numbers[supervisor] if supervisor else None,
            manages=managed.get(name),
            roles=MEADOWBANK_ROLES.get(name, ()),
        )
        staff_numbers[name] = person.staff_number
    return spec


DEMO_LOGINS: list[tuple[str, str, str]] = [
    (NORTHBRIDGE, "Organisation admin", "Priya Shah"),
    (NORTHBRIDGE, "Senior leader (assistant director)", "Helen Marsh"),
    (NORTHBRIDGE, "Practice auditor (principal social worker)", "Joan Whitfield"),
    (NORTHBRIDGE, "Supervisor (practice supervisor)", "Daniel Okafor"),
    (NORTHBRIDGE, "Supervisee (NQSW, week 3 of the ASYE)", "Amira Hussain"),
    (HOLLYFIELD, "Organisation admin (school business manager)", "Karen Doyle"),
    (HOLLYFIELD, "Senior leader (headteacher)", "Rebecca Lewis"),
    (HOLLYFIELD, "Supervisor (designated safeguarding lead)", "Tom Bennett"),
    (HOLLYFIELD, "Supervisee (Year 4 teacher)", "Grace Adeyemi"),
    (MEADOWBANK, "Organisation admin (HR and training)", "Sunita Patel"),
    (MEADOWBANK, "Supervisor (registered manager, Elm House)", "Rita Okonkwo"),
    (MEADOWBANK, "Supervisee (nurse, revalidation due next quarter)", "Aoife Brennan"),
    (MEADOWBANK, "Supervisee (care worker, new starter)", "Liam Foster"),
]


@transaction.atomic
def load_demo(today: datetime.date | None = None) -> list[DemoLogin]:
    """Create (or bring back into shape) the demo organisations; return the demo logins."""
    today = today or timezone.localdate()
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo user shares it
    specs = [_northbridge(today), _hollyfield(today), _meadowbank(today)]
    for spec in specs:
        _load(spec, password)
    by_name = {
        (spec.name, f"{p.first_name} {p.last_name}"): p.email for spec in specs for p in spec.people
    }
    return [
        DemoLogin(organisation=org, role=role, name=name, email=by_name[(org, name)])
        for org, role, name in DEMO_LOGINS
    ]


def _load(spec: _OrganisationSpec, password: str) -> Organisation:
    organisation, _ = services.organisation_get_or_create(
        name=spec.name,
        nation=spec.nation,
        sector=spec.sector,
        record_deadline_working_days=spec.record_deadline_working_days,
    )
    units = _load_units(organisation, spec)
    people = _load_people(organisation, spec, units, password)

    for path, _kind in spec.units:
        unit = units[path]
        manager = next((people[p.staff_number] for p in spec.people if p.manages == path), None)
        if manager is not None and unit.manager_id != manager.pk:
            unit.manager = manager
            unit.save(update_fields=["manager"])

    open_line = set(
        SupervisionRelationship.objects.for_organisation(organisation)
        .filter(kind=SupervisionKind.LINE, ends_on__isnull=True)
        .values_list("supervisee_id", "supervisor_id")
    )
    for person_spec in spec.people:
        if person_spec.supervisor is None:
            continue
        supervisee = people[person_spec.staff_number]
        supervisor = people[person_spec.supervisor]
        if (supervisee.pk, supervisor.pk) in open_line:
            continue
        starts_on = max(
            d for d in (supervisee.employment_start, supervisor.employment_start) if d is not None
        )
        services.relationship_start(
            supervisee=supervisee,
            supervisor=supervisor,
            kind=SupervisionKind.LINE,
            starts_on=starts_on,
        )

    for person_spec in spec.people:
        for role in person_spec.roles:
            services.role_grant(person=people[person_spec.staff_number], role=role)
    return organisation


def _load_units(organisation: Organisation, spec: _OrganisationSpec) -> dict[tuple[str, ...], Team]:
    units: dict[tuple[str, ...], Team] = {}
    for path, kind in spec.units:  # parents come before their children
        parent = units[path[:-1]] if len(path) > 1 else None
        unit = (
            Team.objects.for_organisation(organisation).filter(parent=parent, name=path[-1]).first()
        )
        if unit is None:
            unit = Team.objects.create(
                organisation=organisation, parent=parent, name=path[-1], kind=kind
            )
        elif unit.kind != kind:
            unit.kind = kind
            unit.save(update_fields=["kind"])
        units[path] = unit
    return units


def _load_people(
    organisation: Organisation,
    spec: _OrganisationSpec,
    units: dict[tuple[str, ...], Team],
    password: str,
) -> dict[str, Person]:
    """Everyone in the spec, by staff number: new people in bulk, changed people saved."""
    existing: dict[str, Person] = {
        p.staff_number: p
        for p in Person.objects.for_organisation(organisation).filter(
            staff_number__in=[s.staff_number for s in spec.people]
        )
    }
    missing = [s for s in spec.people if s.staff_number not in existing]
    users = {u.email: u for u in User.objects.filter(email__in=[s.email for s in missing])}
    new_users = User.objects.bulk_create(
        [User(email=s.email, password=password) for s in missing if s.email not in users]
    )
    users.update((u.email, u) for u in new_users)

    new_people = [
        Person(organisation=organisation, user=users[s.email], staff_number=s.staff_number)
        for s in missing
    ]
    for person, person_spec in zip(new_people, missing, strict=True):
        _apply(person, person_spec, units)
    if new_people:
        bulk_create_with_history(new_people, Person)
        # Not every database hands back primary keys from a bulk insert: read them back.
        created = Person.objects.for_organisation(organisation).filter(
            staff_number__in=[s.staff_number for s in missing]
        )
        existing.update((p.staff_number, p) for p in created)

    new_numbers = {s.staff_number for s in missing}
    for person_spec in spec.people:
        person = existing[person_spec.staff_number]
        person.organisation = organisation
        if person_spec.staff_number not in new_numbers and _apply(person, person_spec, units):
            person.save()
    return existing


def _apply(person: Person, spec: _PersonSpec, units: dict[tuple[str, ...], Team]) -> bool:
    """Copy the spec onto the person; True if anything changed."""
    values = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "job_title": spec.job_title,
        "staff_category": spec.staff_category,
        "team_id": units[spec.unit].pk,
        "employment_start": spec.employment_start,
        "asye_start": spec.asye_start,
        "registration_number": spec.registration_number,
    }
    changed = False
    for name, value in values.items():
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    return changed
