import datetime

from tandem.organisations import selectors, services
from tandem.organisations.tests.factories import PersonFactory


def roles_and_names(chain):
    return [(link.role, link.person.full_name) for link in chain]


def test_supervisee_chain_runs_supervisor_manager_head_director(cast):
    chain = selectors.person_escalation_chain(person=cast.supervisee)
    assert roles_and_names(chain) == [
        ("supervisor", "Sam Supervisor"),
        ("team_manager", "Mia Manager"),
        ("head_of_service", "Hal Service"),
        ("assistant_director", "Ada Director"),
    ]


def test_team_manager_chain_starts_above_their_own_team(cast):
    chain = selectors.person_escalation_chain(person=cast.manager)
    assert roles_and_names(chain) == [
        ("supervisor", "Hal Service"),
        ("assistant_director", "Ada Director"),
    ]


def test_chain_follows_a_change_of_supervisor(cast):
    new = PersonFactory(organisation=cast.organisation, first_name="Nia", last_name="New")
    services.relationship_start(
        supervisee=cast.supervisee,
        supervisor=new,
        starts_on=datetime.date.today(),
        by=cast.manager.user,
    )
    chain = selectors.person_escalation_chain(person=cast.supervisee)
    assert chain[0].person == new


def test_chain_costs_the_same_queries_at_any_size(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        selectors.person_escalation_chain(person=cast.supervisee)


def test_a_school_s_chain_uses_a_school_s_titles(db):
    from tandem.organisations.models import Sector, TeamKind
    from tandem.organisations.selectors import person_escalation_chain
    from tandem.organisations.tests.factories import (
        OrganisationFactory,
        PersonFactory,
        RelationshipFactory,
        TeamFactory,
    )

    school = OrganisationFactory(name="Hollyfield", sector=Sector.SCHOOL)
    whole_school = TeamFactory(organisation=school, name="Hollyfield", kind=TeamKind.DIRECTORATE)
    key_stage = TeamFactory(
        organisation=school, name="Key Stage 2", kind=TeamKind.TEAM, parent=whole_school
    )
    head = PersonFactory(organisation=school, team=whole_school, first_name="Rebecca")
    phase_leader = PersonFactory(organisation=school, team=key_stage, first_name="Tom")
    teacher = PersonFactory(organisation=school, team=key_stage, first_name="Grace")
    whole_school.manager, key_stage.manager = head, phase_leader
    whole_school.save()
    key_stage.save()
    RelationshipFactory(supervisee=teacher, supervisor=phase_leader)

    chain = person_escalation_chain(person=teacher)

    assert [(link.label, link.person.first_name) for link in chain] == [
        ("Supervisor", "Tom"),
        ("Headteacher", "Rebecca"),
    ]
