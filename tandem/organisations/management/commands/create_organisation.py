"""Start an organisation in production: the tenant and its first admin."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.core.validators import validate_email
from django.urls import reverse

from tandem.core.commands import TandemCommand
from tandem.core.dates import long_date
from tandem.core.scoping import across_organisations
from tandem.organisations.invitations import invitation_send
from tandem.organisations.models import Nation, Sector
from tandem.organisations.services import organisation_create


class Command(TandemCommand):
    help = (
        "Create an organisation and its first admin, who is emailed an invitation to set "
        "their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The organisation's name, unique.")
        parser.add_argument(
            "--nation",
            choices=Nation.values,
            default=Nation.ENGLAND,
            help="Decides the bank holidays of its working days (default: england).",
        )
        parser.add_argument("--sector", choices=Sector.values, required=True)
        parser.add_argument("--admin-email", required=True, help="The first admin's login.")
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument(
            "--admin-staff-number",
            default="ADMIN1",
            help="Their staff number in your HR list, so that the first staff import matches "
            "them (default: ADMIN1).",
        )

    @across_organisations("creating an organisation")
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            validate_email(options["admin_email"])
            organisation, admin = organisation_create(
                name=options["name"],
                nation=options["nation"],
                sector=options["sector"],
                admin_email=options["admin_email"],
                admin_first_name=options["admin_first_name"],
                admin_last_name=options["admin_last_name"],
                admin_staff_number=options["admin_staff_number"],
            )
            invitation = invitation_send(person=admin, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Created {organisation.name} with admin {admin.full_name} <{admin.email}>. "
            f"They are emailed an invitation to set their password, which works once, until "
            f"{long_date(invitation.expires_at)}. Signed in, they follow Set up Tandem: "
            f"{settings.SITE_URL.rstrip('/')}{reverse('organisation-setup')}"
        )
