"""Staff import: what an HR officer sees when they upload their staff list, good or bad."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from tandem.core.models import AuditEvent
from tandem.organisations import imports
from tandem.organisations.models import Person, SupervisionRelationship, Team, TeamKind

TODAY = datetime.date(2026, 11, 23)
HEADER = "staff_number,first_name,last_name,email,job_title,staff_category,directorate,service,team,manages,line_manager,employment_start,asye_start,asye_end"
GOOD = "\n".join(
    [
        HEADER,
        "N1,Nina,Boss,nina.boss@example.org,Head of service,head_of_service,Adults,Reablement,,yes,,2015-04-01,,",
        "N2,Omar,Lead,omar.lead@example.org,Team manager,team_manager,Adults,Reablement,North Team,yes,N1,2018-01-08,,",
        "N3,Pia,New,pia.new@example.org,Social worker,nqsw_asye,Adults,Reablement,North Team,,N2,07/09/2026,07/09/2026,06/09/2027",
    ]
)


def run(cast, text: str) -> imports.ImportResult:
    rows = imports.read_table("staff.csv", text.encode())
    return imports.staff_import(organisation=cast.organisation, rows=rows, today=TODAY)


def test_a_good_file_adds_people_teams_and_line_managers(cast):
    result = run(cast, GOOD)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.teams_created) == (3, 0, 3)
    pia = Person.objects.get(organisation=cast.organisation, staff_number="N3")
    assert pia.email == "pia.new@example.org"
    assert pia.asye_start == datetime.date(2026, 9, 7)
    assert pia.team.path == "Adults > Reablement > North Team"
    north = Team.objects.get(organisation=cast.organisation, name="North Team")
    assert north.manager.full_name == "Omar Lead"
    assert north.parent.kind == TeamKind.SERVICE and north.parent.manager.full_name == "Nina Boss"
    line = SupervisionRelationship.objects.get(supervisee=pia, ends_on__isnull=True)
    assert line.supervisor.full_name == "Omar Lead" and line.starts_on == TODAY
    assert not pia.user.has_usable_password()  # they set one through "forgotten password"
    assert AuditEvent.objects.filter(action="staff.import").count() == 1


def test_importing_the_same_file_again_changes_nothing(cast):
    run(cast, GOOD)
    relationships = SupervisionRelationship.objects.count()

    again = run(cast, GOOD)

    assert again.ok
    assert (again.created, again.updated, again.unchanged, again.teams_created) == (0, 0, 3, 0)
    assert again.supervisors_changed == 0
    assert SupervisionRelationship.objects.count() == relationships


def test_a_changed_row_updates_the_person_and_keeps_the_supervision_history(cast):
    run(cast, GOOD)
    changed = GOOD.replace(
        "N3,Pia,New,pia.new@example.org,Social worker,nqsw_asye,Adults,Reablement,North Team,,N2",
        "N3,Pia,New,pia.new@example.org,Senior social worker,nqsw_asye,Adults,Reablement,North Team,,N1",
    )

    result = imports.staff_import(
        organisation=cast.organisation,
        rows=imports.read_table("staff.csv", changed.encode()),
        today=TODAY + datetime.timedelta(days=7),
    )

    assert result.ok and (result.updated, result.supervisors_changed) == (1, 1)
    pia = Person.objects.get(organisation=cast.organisation, staff_number="N3")
    assert pia.job_title == "Senior social worker"
    history = SupervisionRelationship.objects.filter(supervisee=pia).order_by("starts_on")
    assert [(r.supervisor.full_name, r.ends_on) for r in history] == [
        ("Omar Lead", TODAY + datetime.timedelta(days=6)),
        ("Nina Boss", None),
    ]


def test_every_bad_row_is_reported_and_nothing_is_saved(cast):
    people_before = Person.objects.count()
    bad = "\n".join(
        [
            HEADER,
            "B1,Ann,One,not-an-email,,social_worker,,,,,,,,",
            "B2,,Two,two@example.org,,teacher,,,,,ZZZ,31/02/2026,,",
            "B2,Cat,Three,three@example.org,,Teacher,,,,maybe,,,2026-09-01,2026-08-01",
            f"B4,Dan,Four,{cast.outsider.email},,nurse,,,,,,,,",
        ]
    )

    result = run(cast, bad)

    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "email"),
        (2, "staff_category"),
        (3, "first_name"),
        (3, "employment_start"),
        (4, "staff_number"),
        (4, "manages"),
        (4, "asye_end"),
        (5, "email"),
    }
    messages = {str(e) for e in result.errors}
    assert "row 2, email: not-an-email is not an email address." in messages
    assert "row 4, staff_number: Staff number B2 is also on row 3." in messages
    assert f"row 5, email: {cast.outsider.email} is used by another login." in messages
    assert Person.objects.count() == people_before
    assert not AuditEvent.objects.filter(action="staff.import").exists()


def test_an_unknown_line_manager_is_reported_with_its_row(cast):
    result = run(cast, HEADER + "\nC1,Cy,Cee,cy@example.org,,teacher,,,,,NOPE,,,")
    assert [str(e) for e in result.errors] == [
        "row 2, line_manager: No one has the staff number NOPE."
    ]


def test_line_managers_may_be_people_already_in_tandem(cast):
    row = f"D1,Di,Dee,di@example.org,,registered_social_worker,,,,,{cast.manager.staff_number},,,"
    result = run(cast, HEADER + "\n" + row)
    assert result.ok
    di = Person.objects.get(staff_number="D1")
    assert di.supervisor_relationships.get().supervisor == cast.manager


@pytest.mark.dated
def test_a_leaver_s_supervision_ends_on_their_last_day(cast):
    # The cast's supervision began 90 days before today: Sam left 3 days ago, and the file is
    # imported today.
    today = timezone.localdate()
    left = today - datetime.timedelta(days=3)
    header = "staff_number,first_name,last_name,email,staff_category,left_on"
    row = (
        f"{cast.supervisor.staff_number},Sam,Supervisor,{cast.supervisor.email},"
        f"practice_supervisor,{left.isoformat()}"
    )
    rows = imports.read_table("staff.csv", f"{header}\n{row}".encode())
    result = imports.staff_import(organisation=cast.organisation, rows=rows, today=today)
    assert result.ok, result.errors
    assert SupervisionRelationship.objects.get(supervisee=cast.supervisee).ends_on == left
    assert SupervisionRelationship.objects.get(supervisee=cast.supervisor).ends_on == left


def test_an_excel_file_with_real_date_cells_imports(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Staff number", "First name", "Last name", "Email", "Staff category", "Employment start"]
    )
    sheet.append(
        ["X1", "Xena", "Excel", "xena@example.org", "Care worker", datetime.datetime(2024, 5, 1)]
    )
    sheet.append([None, None, None, None, None, None])
    content = io.BytesIO()
    book.save(content)

    rows = imports.read_table("staff.xlsx", content.getvalue())
    result = imports.staff_import(organisation=cast.organisation, rows=rows, today=TODAY)

    assert result.ok and result.created == 1
    xena = Person.objects.get(staff_number="X1")
    assert (xena.staff_category, xena.employment_start) == (
        "care_worker",
        datetime.date(2024, 5, 1),
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("staff.txt", b"x", "The file must be a CSV or an Excel (.xlsx) file."),
        ("staff.csv", b"", "The file is empty."),
        ("staff.csv", b"name,email\nA,a@example.org", "The file has no staff_number"),
        ("staff.xlsx", b"not a zip", "The Excel file could not be read"),
    ],
)
def test_an_unreadable_file_says_why(name, content, message):
    with pytest.raises(imports.ImportFileError, match=re.escape(message)):
        imports.read_table(name, content)


def test_the_template_file_imports_cleanly(cast):
    result = run(cast, imports.template_csv())
    assert result.ok and result.created == 2


# The page


def upload(client, text: str, name: str = "staff.csv"):
    return client.post("/import/", {"file": SimpleUploadedFile(name, text.encode())})


def test_an_admin_imports_a_file_on_the_page(cast):
    client = cast.client_for(cast.admin)
    assert "Import staff" in client.get("/import/").content.decode()

    response = upload(client, GOOD)

    assert response.status_code == 302 and response["Location"] == "/people/"
    page = client.get("/people/").content.decode()
    assert "Staff list imported. 3 rows: 3 people added" in page
    assert "Pia New" in page


def test_a_bad_file_on_the_page_lists_each_problem_and_imports_nothing(cast):
    client = cast.client_for(cast.admin)
    response = upload(client, GOOD.replace("pia.new@example.org", "pia.new"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has 1 problem. Nothing was imported." in page
    assert "pia.new is not an email address." in page
    assert not Person.objects.filter(staff_number__in=["N1", "N2", "N3"]).exists()


def test_a_file_of_the_wrong_type_gets_a_field_error(cast):
    response = upload(cast.client_for(cast.admin), "hello", name="staff.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "The file must be a CSV or an Excel (.xlsx) file." in page


def test_the_template_downloads_as_csv(cast):
    response = cast.client_for(cast.admin).get("/import/template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == ",".join(imports.COLUMNS)


@pytest.mark.parametrize("who", ["supervisee", "supervisor", "manager", "director"])
def test_people_who_are_not_admin_or_hr_cannot_import(cast, who):
    client = cast.client_for(getattr(cast, who))
    assert client.get("/import/").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert not Person.objects.filter(staff_number="N1").exists()


def test_an_outsider_admin_imports_into_their_own_organisation_only(cast):
    response = upload(cast.client_for(cast.outsider), GOOD)
    assert response.status_code == 302
    assert set(
        Person.objects.filter(staff_number__in=["N1", "N2", "N3"]).values_list(
            "organisation__name", flat=True
        )
    ) == {"Hillside Trust"}


# The command


def test_the_command_imports_a_file(cast, tmp_path: Path, capsys):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD)
    call_command("import_staff", "Riverside Council", str(path))
    assert "3 rows: 3 people added" in capsys.readouterr().out


def test_the_command_fails_with_one_line_per_problem(cast, tmp_path: Path, capsys):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD.replace("omar.lead@example.org", "omar"))
    with pytest.raises(CommandError, match=re.escape("1 problem in staff.csv: nothing imported.")):
        call_command("import_staff", "Riverside Council", str(path))
    assert "row 3, email: omar is not an email address." in capsys.readouterr().err


def test_the_command_names_a_missing_organisation_or_file(cast, tmp_path: Path):
    with pytest.raises(CommandError, match=re.escape("No organisation called Nowhere.")):
        call_command("import_staff", "Nowhere", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_staff", "Riverside Council", str(tmp_path / "missing.csv"))


def test_a_file_with_fewer_columns_leaves_the_other_details_alone(cast):
    run(cast, GOOD)
    leavers_only = "staff_number,first_name,last_name,email,staff_category,left_on\nN3,Pia,New,pia.new@example.org,nqsw_asye,2026-12-31"

    result = run(cast, leavers_only)

    assert result.ok and result.updated == 1
    pia = Person.objects.get(organisation=cast.organisation, staff_number="N3")
    assert pia.left_on == datetime.date(2026, 12, 31)
    assert pia.job_title == "Social worker" and pia.asye_start == datetime.date(2026, 9, 7)
    assert pia.team.name == "North Team"


def test_an_empty_cell_in_a_column_the_file_has_clears_that_detail(cast):
    run(cast, GOOD)
    run(cast, GOOD.replace("Social worker,nqsw_asye", ",nqsw_asye"))
    assert Person.objects.get(staff_number="N3").job_title == ""
