"""Row-level security on PostgreSQL (tandem/core/row_security.py): as the application's role,
raw SQL under organisation A's setting finds none of B's rows, told nothing finds none at all,
and the app's own scopes and pages tell the connection what they work for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from tandem.core.row_security import POLICY, tenant_tables
from tandem.core.scoping import across_organisations, organisation_scope

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


def app_role() -> str:
    # Made by scripts/ensure-postgres.sh, which `make test` runs first.
    return f"{connection.settings_dict['USER']}_app"


@pytest.fixture
def as_app_role(db: None) -> Iterator[None]:
    """The rest of the test runs as the application's role, which does not own the tables and
    so is held to their policies. The grants go with the test's transaction."""
    role = app_role()
    with connection.cursor() as cursor:
        cursor.execute(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
        )
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        cursor.execute(f'SET ROLE "{role}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def told(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('tandem.organisation', %s, false)", [value])


def organisations_seen(table: str) -> list[int | None]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT DISTINCT organisation_id FROM "{table}" ORDER BY 1')
        return [row[0] for row in cursor.fetchall()]


def count(sql: str, params: list[object] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_every_tenant_table_has_its_policy():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
            "WHERE p.polname = %s AND c.relrowsecurity",
            [POLICY],
        )
        guarded = {name for (name,) in cursor.fetchall()}
    tables = set(tenant_tables())
    assert "records_record" in tables and "organisations_historicalperson" in tables
    assert tables <= guarded, f"no row-level security on {sorted(tables - guarded)}"


def test_one_organisation_s_setting_finds_none_of_another_s_rows(cast, as_app_role):
    mine, theirs = cast.organisation.pk, cast.other_organisation.pk
    told(str(mine))
    assert organisations_seen("organisations_person") == [mine]
    assert (
        count("SELECT count(*) FROM organisations_person WHERE organisation_id = %s", [theirs]) == 0
    )
    assert (
        count(
            "SELECT count(*) FROM organisations_rolegrant WHERE person_id = %s", [cast.outsider.pk]
        )
        == 0
    )
    told(str(theirs))
    assert organisations_seen("organisations_person") == [theirs]


def test_told_nothing_the_role_sees_no_tenant_row(cast, as_app_role):
    told("")
    assert count("SELECT count(*) FROM organisations_person") == 0
    assert count("SELECT count(*) FROM organisations_team") == 0
    told("not a number")
    assert count("SELECT count(*) FROM organisations_person") == 0


def test_every_organisation_only_when_told_so(cast, as_app_role):
    told("all")
    assert organisations_seen("organisations_person") == sorted(
        [cast.organisation.pk, cast.other_organisation.pk]
    )


def test_a_row_for_another_organisation_cannot_be_changed_or_written(cast, as_app_role):
    told(str(cast.organisation.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE organisations_team SET name = 'Taken' WHERE organisation_id = %s",
            [cast.other_organisation.pk],
        )
        assert cursor.rowcount == 0
    with (
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO core_notice (organisation_id, user_id, text, url, created_at) "
            "VALUES (%s, %s, 'x', '', now())",
            [cast.other_organisation.pk, cast.outsider.user_id],
        )


def test_the_built_in_templates_are_shared_and_audit_events_are_not(cast, as_app_role):
    told(str(cast.organisation.pk))
    assert None in organisations_seen("agreements_agreementtemplate")
    told("all")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (organisation_id, action, object_type, object_id, "
            "summary, detail, at) VALUES (NULL, 'auth.refused', '', '', '', '{}', now())"
        )
    told(str(cast.organisation.pk))
    assert None not in organisations_seen("core_auditevent")


def test_the_app_s_scopes_tell_the_connection(cast, as_app_role):
    with organisation_scope(cast.organisation):
        assert organisations_seen("organisations_person") == [cast.organisation.pk]
        with across_organisations("a look at every organisation"):
            assert len(organisations_seen("organisations_person")) == 2
        assert organisations_seen("organisations_person") == [cast.organisation.pk]


def test_pages_work_as_the_application_s_role(cast, as_app_role):
    """The whole request as the role held to the policies: the middleware finds who is signed
    in across organisations, then tells the connection their organisation."""
    client = cast.client_for(cast.admin)
    page = client.get("/people/")
    assert page.status_code == 200
    assert "Sue Supervisee" in page.text
    assert "Olga Outsider" not in page.text
    assert client.get(f"/people/{cast.outsider.pk}/").status_code == 404
