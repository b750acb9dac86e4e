import pytest
from django.core.management import CommandError, call_command

from tandem.core.models import AuditEvent
from tandem.organisations.models import Organisation, Person, Role

ARGS = [
    "--name=Eastwick Care Homes",
    "--sector=care_provider",
    "--nation=wales",
    "--admin-email=Lena.Price@Eastwick.example",
    "--admin-first-name=Lena",
    "--admin-last-name=Price",
]


@pytest.mark.django_db
def test_creates_the_organisation_and_its_first_admin(capsys):
    call_command("create_organisation", *ARGS)

    organisation = Organisation.objects.get(name="Eastwick Care Homes")
    assert organisation.nation == "wales"
    admin = Person.objects.get(organisation=organisation)
    assert admin.email == "lena.price@eastwick.example"
    assert admin.granted_roles == {Role.ADMIN}
    assert not admin.user.has_usable_password()
    assert AuditEvent.objects.filter(organisation=organisation, action="organisation.create")
    assert "emailed an invitation to set their password" in capsys.readouterr().out


@pytest.mark.django_db
def test_refuses_a_second_organisation_of_the_same_name_and_writes_nothing():
    call_command("create_organisation", *ARGS)
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_organisation", *ARGS[:3], "--admin-email=other@eastwick.example", *ARGS[4:]
        )
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_refuses_a_malformed_email():
    with pytest.raises(CommandError, match="valid email"):
        call_command("create_organisation", *ARGS[:3], "--admin-email=not-an-email", *ARGS[4:])
    assert not Organisation.objects.exists()
