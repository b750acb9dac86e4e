"""Equality data: optional, declared by the person, read by HR alone; everyone else sees
aggregates with groups of fewer than 5 suppressed (4 hidden, 5 shown), and nobody's equality
data is ever in the API's person objects or an export about people."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.organisations.models import Role
from tandem.organisations.tests.factories import PersonFactory, RoleGrantFactory, UserFactory
from tandem.quality import services
from tandem.quality.models import EqualityProfile
from tandem.quality.selectors import EqualityRow, equality_figures, suppress

pytestmark = pytest.mark.django_db

CAST = (
    "director",
    "head_of_service",
    "manager",
    "supervisor",
    "supervisee",
    "colleague",
    "admin",
    "outsider",
)


def hr_officer(cast):
    person = PersonFactory(
        organisation=cast.organisation,
        user=UserFactory(email="hana@riverside.test"),
        first_name="Hana",
        last_name="Human",
    )
    RoleGrantFactory(person=person, role=Role.HR)
    return person


def declared(cast, groups: dict[str, int]):
    """People declaring each ethnic group, as many as asked."""
    for group, count in groups.items():
        for _ in range(count):
            person = PersonFactory(organisation=cast.organisation)
            services.equality_declare(person=person, by=person, values={"ethnic_group": group})


def rows_of(figures, name="Ethnic group"):
    return {row.label: row for row in figures[name]}


def test_four_is_suppressed_and_five_shown(cast):
    # Two small groups, so neither needs another hidden to protect it.
    declared(cast, {"asian": 4, "mixed": 2, "black": 5, "white": 9})
    rows = rows_of(equality_figures(cast.organisation, timezone.localdate()))
    assert (
        rows["Asian or Asian British"].suppressed and rows["Asian or Asian British"].staff is None
    )
    black = rows["Black, Black British, Caribbean or African"]
    assert not black.suppressed and black.staff == 5


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    rows = [
        EqualityRow("A", 3, 1, 0, 0),
        EqualityRow("B", 6, 2, 1, 1),
        EqualityRow("C", 20, 4, 1, 2),
        EqualityRow("D", 0, 0, 0, 0),
    ]
    shown = {row.label: row.suppressed for row in suppress(rows)}
    assert shown == {"A": True, "B": True, "C": False, "D": False}
    two_small = [
        EqualityRow("A", 3, 0, 0, 0),
        EqualityRow("B", 2, 0, 0, 0),
        EqualityRow("C", 20, 0, 0, 0),
    ]
    assert [row.suppressed for row in suppress(two_small)] == [True, True, False]


def test_only_the_person_declares_and_prefer_not_to_say_is_an_answer(cast):
    with pytest.raises(ValidationError):
        services.equality_declare(person=cast.supervisee, by=cast.manager, values={"sex": "female"})
    services.equality_declare(
        person=cast.supervisee, by=cast.supervisee, values={"sex": "prefer_not"}
    )
    assert EqualityProfile.objects.get(person=cast.supervisee).sex == "prefer_not"
    page = cast.client_for(cast.supervisee)
    bad = page.post(reverse("my-equality"), {"sex": "robot"})
    assert bad.status_code == 400
    ok = page.post(reverse("my-equality"), {"ethnic_group": "mixed", "sex": "", "disability": "no"})
    assert ok.status_code == 302
    assert EqualityProfile.objects.get(person=cast.supervisee).ethnic_group == "mixed"


def test_hr_alone_reads_anyones_equality_data(cast):
    services.equality_declare(
        person=cast.supervisee, by=cast.supervisee, values={"ethnic_group": "black"}
    )
    hana = hr_officer(cast)
    hr_page = cast.client_for(hana).get(reverse("equality-data"))
    assert hr_page.status_code == 200
    assert "Sue Supervisee" in hr_page.content.decode()
    for who in CAST:
        response = cast.client_for(getattr(cast, who)).get(reverse("equality-data"))
        assert response.status_code == 403, who
        assert "Black, Black British" not in response.content.decode(), who


def test_nobodys_equality_data_is_in_the_apis_person_objects(cast):
    services.equality_declare(
        person=cast.supervisee,
        by=cast.supervisee,
        values={"ethnic_group": "black", "sex": "female", "disability": "yes"},
    )
    hana = hr_officer(cast)
    for person in (hana, *(getattr(cast, who) for who in CAST)):
        client = cast.client_for(person)
        for url in ("/api/people", f"/api/people/{cast.supervisee.pk}", "/api/me"):
            response = client.get(url)
            body = response.content.decode()
            for word in ("ethnic", "equality", "disability", "female"):
                assert word not in body.lower(), (person, url, word)


def test_the_figures_are_for_hr_and_senior_leaders_and_identify_nobody(cast):
    declared(cast, {"white": 6, "asian": 2})
    for who, status in {
        "director": 200,
        "head_of_service": 403,
        "manager": 403,
        "supervisor": 403,
        "supervisee": 403,
        "colleague": 403,
        "admin": 403,
    }.items():
        client = cast.client_for(getattr(cast, who))
        assert client.get(reverse("equality-figures")).status_code == status, who
        assert client.get("/api/quality/equality-figures").status_code == status, who
    ada = cast.client_for(cast.director)
    page = ada.get(reverse("equality-figures")).content.decode()
    assert "Not shown: a small group" in page
    csv = ada.get(reverse("equality-figures"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "fewer than 5" in csv
    assert "Asian or Asian British,2" not in csv
    api = ada.get("/api/quality/equality-figures").json()
    asian = next(r for r in api[0]["rows"] if r["group"] == "Asian or Asian British")
    assert asian == {
        "group": "Asian or Asian British",
        "shown": False,
        "staff": None,
        "in_pipeline": None,
        "appointed": None,
        "coached": None,
    }


def test_everyone_finds_the_form_on_their_own_page(cast):
    from django.urls import reverse as url

    own = cast.client_for(cast.supervisee).get(url("person", args=[cast.supervisee.pk]))
    assert "Declare or change your equality information" in own.content.decode()
    other = cast.client_for(cast.manager).get(url("person", args=[cast.supervisee.pk]))
    assert "Declare or change your equality information" not in other.content.decode()
