"""The API for running an organisation: settings, the frequency policy, the set-up checklist,
the audit trail, invitations and a supervisee's readings, with the pages' permission rules."""

from __future__ import annotations

from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.test import Client
from django.utils import timezone

from tandem.api.services import api_token_create
from tandem.core.models import AuditEvent
from tandem.organisations.tests.factories import PersonFactory
from tandem.records.tests.factories import signed_record

FORBIDDEN = {"detail": "You do not have permission to do this."}


def api(person: Any) -> Client:
    _token, raw = api_token_create(person=person, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(path, body or {}, content_type="application/json")


def test_admins_change_settings_and_hr_and_senior_leaders_read_them(cast):
    admin = api(cast.admin)
    read = admin.get("/api/organisation/settings")
    assert read.status_code == 200 and read.json()["record_deadline_working_days"] == 10

    changed = send(
        admin, "patch", "/api/organisation/settings", {"record_deadline_working_days": 15}
    )
    assert changed.status_code == 200
    assert changed.json()["record_deadline_working_days"] == 15
    assert changed.json()["name"] == "Riverside Council"  # untouched
    event = AuditEvent.objects.get(action="organisation.settings_changed")
    assert event.detail == {"setting": "record_deadline_working_days", "old": 10, "new": 15}

    bad = send(admin, "patch", "/api/organisation/settings", {"smallest_group": 3})
    assert bad.status_code == 400 and "smallest_group" in bad.json()["detail"]

    director = api(cast.director)
    assert director.get("/api/organisation/settings").status_code == 200
    refused = send(
        director, "patch", "/api/organisation/settings", {"record_deadline_working_days": 5}
    )
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert api(cast.supervisee).get("/api/organisation/settings").status_code == 403
    # Another organisation's admin reads their own settings.
    assert api(cast.outsider).get("/api/organisation/settings").json()["name"] == "Hillside Trust"


def test_the_policy_is_read_previewed_and_changed_through_the_api(cast):
    admin = api(cast.admin)
    categories = {c["staff_category"]: c for c in admin.get("/api/frequency-policy").json()}
    assert [s["frequency"] for s in categories["nqsw_asye"]["stages"]] == [
        "weekly",
        "fortnightly",
        "monthly",
    ]
    first = timezone.localdate() + relativedelta(months=1, day=1)
    change = {
        "staff_category": "nqsw_asye",
        "effective_from": first.isoformat(),
        "stages": [{"from_day": 0, "frequency": "fortnightly", "min_minutes": 90}],
    }
    preview = send(admin, "post", "/api/frequency-policy/preview", change)
    assert preview.status_code == 200
    # Sue, past her first six weeks, is seen fortnightly then monthly: fortnightly is more.
    assert preview.json()["people"] == 1 and preview.json()["more"] == 1
    assert not AuditEvent.objects.filter(action="frequency_policy.changed").exists()

    saved = send(admin, "post", "/api/frequency-policy/changes", change)
    assert saved.status_code == 201
    assert [s["frequency"] for s in saved.json()[0]["stages"]] == ["fortnightly"]
    assert AuditEvent.objects.filter(action="frequency_policy.changed").count() == 1

    past = send(
        admin, "post", "/api/frequency-policy/changes", {**change, "effective_from": "2020-01-01"}
    )
    assert past.status_code == 400 and "effective_from" in past.json()["detail"]
    assert (
        send(api(cast.director), "post", "/api/frequency-policy/preview", change).status_code == 403
    )
    assert api(cast.supervisor).get("/api/frequency-policy").status_code == 403


def test_the_checklist_and_the_audit_trail_are_for_admins(cast):
    admin = api(cast.admin)
    setup = admin.get("/api/organisation/setup").json()
    assert setup["steps"][0] == {
        "title": "Create the organisation",
        "done": True,
        "optional": False,
        "status": "Riverside Council, England, children's social care",
        "href": "/settings/",
    }
    send(admin, "patch", "/api/organisation/settings", {"agreement_review_months": 6})
    events = admin.get("/api/audit-events", {"action": "organisation.settings_changed"}).json()
    assert events["count"] == 1
    assert events["items"][0]["who"] == "Ann Admin"
    assert admin.get("/api/audit-events", {"since": "not a date"}).status_code == 422
    for who in ("director", "manager", "supervisee"):
        assert api(getattr(cast, who)).get("/api/audit-events").status_code == 403
        assert api(getattr(cast, who)).get("/api/organisation/setup").status_code == 403


def test_an_admin_sends_an_invitation_through_the_api(cast, django_capture_on_commit_callbacks):
    nia = PersonFactory(organisation=cast.organisation, first_name="Nia", last_name="New")
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(api(cast.admin), "post", f"/api/people/{nia.pk}/invitation")
    assert sent.status_code == 201 and sent.json()["person_id"] == nia.pk
    assert len(mail.outbox) == 1
    assert send(api(cast.supervisor), "post", f"/api/people/{nia.pk}/invitation").status_code == 403
    assert send(api(cast.outsider), "post", f"/api/people/{nia.pk}/invitation").status_code == 404


def test_a_supervisee_reads_who_has_read_her_records(cast):
    record = signed_record(cast)
    cast.client_for(cast.manager).get(f"/records/{record.pk}/")
    reads = api(cast.supervisee).get("/api/me/record-reads").json()
    assert reads["count"] == 1
    (read,) = reads["items"]
    assert (read["record_id"], read["who"], read["how"], read["welfare_opened"]) == (
        record.pk,
        "Mia Manager",
        "page",
        False,
    )
    assert api(cast.supervisor).get("/api/me/record-reads").json()["count"] == 0


@pytest.mark.parametrize("path", ["/api/organisation/settings", "/api/audit-events"])
def test_no_token_no_answer(db, path):
    assert Client().get(path).status_code == 401
