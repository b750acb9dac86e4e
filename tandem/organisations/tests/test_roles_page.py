"""The roles page: organisation admins give and take away admin, HR and senior leader.

Ann is Riverside's admin, Ada its senior leader; Olga is the admin of Hillside.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from tandem.core.models import AuditEvent
from tandem.organisations import services
from tandem.organisations.models import Role, RoleGrant
from tandem.organisations.tests.factories import PersonFactory, RoleGrantFactory

OWN_ADMIN = "You cannot remove your own admin role."
LAST_ADMIN = "The organisation needs at least one admin."


def html(response) -> str:
    return response.content.decode()


def roles_path(person) -> str:
    return f"/people/{person.pk}/roles/"


def grants() -> list[tuple[int, str]]:
    return sorted(RoleGrant.objects.values_list("person_id", "role"))


def role_events() -> int:
    return AuditEvent.objects.filter(action__startswith="role.").count()


# Who may open the page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisee", 403),
        ("supervisor", 403),
        ("manager", 403),
        ("director", 403),  # a senior leader sees everyone but changes no roles
        ("outsider", 404),  # another organisation's admin finds nothing of Riverside
        ("admin", 200),
    ],
)
def test_who_may_change_roles(cast, who, status):
    client = cast.client_for(getattr(cast, who))
    path = roles_path(cast.colleague)
    before = grants()

    assert client.get(path).status_code == status
    post = client.post(path, {"roles": ["admin", "hr"]})

    assert post.status_code == (302 if status == 200 else status)
    if status != 200:
        assert grants() == before
        assert role_events() == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", True), ("director", False), ("colleague", False), ("outsider", False)],
)
def test_the_change_roles_rule(cast, who, expected):
    assert getattr(cast, who).user.has_perm("organisations.change_roles", cast.colleague) is (
        expected
    )


def test_the_outsider_may_change_roles_only_in_her_own_organisation(cast):
    olga = cast.outsider.user
    assert olga.has_perm("organisations.change_roles", cast.outsider)
    assert not olga.has_perm("organisations.change_roles", cast.admin)


# The person page


def test_the_person_page_shows_roles_and_offers_the_change_only_to_admins(cast):
    path = f"/people/{cast.director.pk}/"

    as_admin = html(cast.client_for(cast.admin).get(path))
    assert '<dt class="govuk-summary-list__key">Roles</dt>' in as_admin
    assert "Senior leader" in as_admin
    assert f'href="{roles_path(cast.director)}"' in as_admin
    assert "Change roles" in as_admin

    as_director = html(cast.client_for(cast.director).get(path))
    assert "Senior leader" in as_director
    assert "Change roles" not in as_director
    assert roles_path(cast.director) not in as_director


def test_a_person_without_roles_shows_none(cast):
    page = html(cast.client_for(cast.admin).get(f"/people/{cast.colleague.pk}/"))
    assert '<dd class="govuk-summary-list__value">None</dd>' in page


# The form


def test_the_page_shows_the_current_roles_checked(cast):
    page = html(cast.client_for(cast.admin).get(roles_path(cast.director)))

    assert '<span class="govuk-caption-l">Ada Director</span>' in page
    assert '<h1 class="govuk-fieldset__heading">Roles</h1>' in page
    assert 'class="govuk-checkboxes"' in page
    assert page.count('class="govuk-checkboxes__item"') == len(Role.choices)
    assert page.count('class="govuk-hint govuk-checkboxes__hint"') == len(Role.choices)
    assert 'value="senior_leader" checked' in page
    assert 'value="admin" checked' not in page
    assert 'value="hr" checked' not in page
    assert 'class="govuk-back-link">Back to Ada Director' in page


def test_ann_grants_hr_to_cole(cast):
    client = cast.client_for(cast.admin)

    response = client.post(roles_path(cast.colleague), {"roles": ["hr"]})

    assert response.status_code == 302
    assert response.url == f"/people/{cast.colleague.pk}/"
    assert cast.colleague.user.has_perm("organisations.import_staff")
    event = AuditEvent.objects.get(action="role.grant")
    assert event.actor == cast.admin.user
    assert event.organisation == cast.organisation
    assert event.detail == {"person": cast.colleague.pk, "role": "hr"}
    assert RoleGrant.objects.get(person=cast.colleague).granted_by == cast.admin.user

    page = html(client.get(response.url))
    assert "Roles for Cole Colleague saved: HR." in page
    assert '<dd class="govuk-summary-list__value">HR</dd>' in page


def test_ann_revokes_adas_senior_leader_role(cast):
    client = cast.client_for(cast.admin)

    response = client.post(roles_path(cast.director), {})  # no box checked: nothing is sent

    assert response.status_code == 302
    assert not RoleGrant.objects.filter(person=cast.director).exists()
    event = AuditEvent.objects.get(action="role.revoke")
    assert event.actor == cast.admin.user
    assert event.detail == {"role": "senior_leader"}
    assert not cast.director.user.has_perm("organisations.list_people")
    page = html(client.get(response.url))
    assert "Roles for Ada Director saved: none." in page


def test_saving_the_same_roles_changes_nothing(cast):
    before = grants()

    response = cast.client_for(cast.admin).post(
        roles_path(cast.director), {"roles": ["senior_leader"]}
    )

    assert response.status_code == 302
    assert grants() == before
    assert role_events() == 0


def test_ann_cannot_remove_her_own_admin_role(cast):
    RoleGrantFactory(person=cast.director, role=Role.ADMIN)  # so Ann is not the last admin
    before = grants()

    response = cast.client_for(cast.admin).post(roles_path(cast.admin), {"roles": ["hr"]})

    assert response.status_code == 200
    page = html(response)
    assert "<title>Error: Roles for Ann Admin" in page
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#id_roles_0">{OWN_ADMIN}</a>' in page
    assert 'id="id_roles-error" class="govuk-error-message"' in page
    assert 'value="hr" checked' in page  # what she chose is kept for her to correct
    assert grants() == before  # not even the HR role
    assert role_events() == 0


def test_ann_may_add_roles_to_herself(cast):
    response = cast.client_for(cast.admin).post(roles_path(cast.admin), {"roles": ["admin", "hr"]})

    assert response.status_code == 302
    assert set(RoleGrant.objects.filter(person=cast.admin).values_list("role", flat=True)) == {
        "admin",
        "hr",
    }


def test_removing_the_last_admin_is_refused(cast):
    # An admin always counts as another admin, so through the page only someone allowed
    # everything without being an admin, such as a Django superuser, can get this far.
    cole = cast.colleague
    cole.user.is_superuser = True
    cole.user.save()
    before = grants()

    response = cast.client_for(cole).post(roles_path(cast.admin), {"roles": ["hr"]})

    assert response.status_code == 200
    page = html(response)
    assert f'<a href="#id_roles_0">{LAST_ADMIN}</a>' in page
    assert grants() == before
    assert role_events() == 0


def test_an_admin_who_has_left_does_not_count(cast):
    ada = cast.director
    RoleGrantFactory(person=ada, role=Role.ADMIN)
    ada.left_on = localdate() - datetime.timedelta(days=1)
    ada.save()

    with pytest.raises(ValidationError) as error:
        services.roles_set(person=cast.admin, roles=set(), by=None)

    assert error.value.message_dict == {"roles": [LAST_ADMIN]}
    assert RoleGrant.objects.filter(person=cast.admin, role=Role.ADMIN).exists()


def test_the_last_admin_rule_in_the_service(cast):
    with pytest.raises(ValidationError) as error:
        services.roles_set(person=cast.admin, roles=set(), by=None)
    assert error.value.message_dict == {"roles": [LAST_ADMIN]}

    with pytest.raises(ValidationError) as error:
        services.roles_set(person=cast.admin, roles=set(), by=cast.admin.user)
    assert error.value.message_dict == {"roles": [OWN_ADMIN]}

    # With a second admin in post, one admin may remove the other.
    other = PersonFactory(organisation=cast.organisation)
    RoleGrantFactory(person=other, role=Role.ADMIN)
    services.roles_set(person=cast.admin, roles=set(), by=other.user)
    assert not RoleGrant.objects.filter(person=cast.admin).exists()

    # Hillside's admin does not count for Riverside, nor Riverside's for Hillside.
    with pytest.raises(ValidationError):
        services.roles_set(person=other, roles=set(), by=None)
    with pytest.raises(ValidationError):
        services.roles_set(person=cast.outsider, roles={"hr"}, by=None)


def test_an_unknown_role_is_a_field_error(cast):
    before = grants()

    response = cast.client_for(cast.admin).post(
        roles_path(cast.colleague), {"roles": ["hr", "superuser"]}
    )

    assert response.status_code == 200
    page = html(response)
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_roles_0">Select a valid choice. superuser is not one' in page
    assert 'id="id_roles-error" class="govuk-error-message"' in page
    assert grants() == before
    assert role_events() == 0


def test_the_service_refuses_an_unknown_role(cast):
    with pytest.raises(ValidationError) as error:
        services.roles_set(person=cast.colleague, roles={"superuser"}, by=cast.admin.user)
    assert "roles" in error.value.message_dict
    assert not RoleGrant.objects.filter(person=cast.colleague).exists()
