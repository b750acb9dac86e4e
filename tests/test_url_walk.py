"""Every page, found by walking the URL configuration, checked for who may reach it.

Signed-out visitors are sent to sign in; another organisation's admin finds nothing of
Riverside's (404 for its objects, only Hillside's data or 403 elsewhere). A named URL that
ROUTES does not know fails here, so no view is added without saying how it is protected.
The allauth pages (accounts/) and the API (api/) have their own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tandem.api.models import ApiToken
from tandem.api.services import api_token_create
from tandem.organisations.models import SupervisionRelationship

EXCLUDED_PREFIXES = ("accounts/", "api/", "admin/")
LEAKS = ("Riverside", "Sue Supervisee")


def walk_urlconf() -> tuple[dict[str, str], list[str]]:
    """Named patterns outside the excluded prefixes (full name -> route), and unnamed ones."""
    named: dict[str, str] = {}
    unnamed: list[str] = []

    def walk(resolver: URLResolver, prefix: str, namespaces: list[str]) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if route.lstrip("^").startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                walk(
                    entry, route, [*namespaces, entry.namespace] if entry.namespace else namespaces
                )
            elif entry.name is None:
                unnamed.append(route)
            else:
                named[":".join([*namespaces, entry.name])] = route

    walk(get_resolver(), "", [])
    return named, unnamed


# How to fill each URL's parameters with the cast's objects.


def no_object(cast: Any) -> dict[str, Any]:
    return {}


def supervisee_pk(cast: Any) -> dict[str, Any]:
    return {"pk": cast.supervisee.pk}


def supervisee_team_pk(cast: Any) -> dict[str, Any]:
    return {"pk": cast.supervisee.team_id}


def supervisee_token_pk(cast: Any) -> dict[str, Any]:
    token = ApiToken.objects.filter(person=cast.supervisee).first()
    if token is None:
        token, _raw = api_token_create(person=cast.supervisee, name="walk")
    return {"pk": token.pk}


def supervisee_relationship_pk(cast: Any) -> dict[str, Any]:
    return {"relationship_pk": SupervisionRelationship.objects.get(supervisee=cast.supervisee).pk}


def supervisee_agreement_pk(cast: Any) -> dict[str, Any]:
    from tandem.agreements import services as agreement_services
    from tandem.agreements.models import Agreement, AgreementTemplate

    agreement = Agreement.objects.filter(supervisee=cast.supervisee).first()
    if agreement is None:
        template = AgreementTemplate.objects.get(slug="school-staff-supervision-agreement")
        agreement = agreement_services.agreement_start(
            relationship=SupervisionRelationship.objects.get(supervisee=cast.supervisee),
            template_version=template.versions.order_by("-number").first(),
            by=cast.supervisor,
        )
    return {"pk": agreement.pk}


def riverside_template_pk(cast: Any) -> dict[str, Any]:
    from tandem.agreements import services as agreement_services
    from tandem.agreements.models import AgreementTemplate

    template = AgreementTemplate.objects.filter(organisation=cast.organisation).first()
    if template is None:
        template = agreement_services.template_copy(
            template=AgreementTemplate.objects.get(slug="council-supervision-contract"),
            organisation=cast.organisation,
            by=cast.admin,
        )
    return {"pk": template.pk}


def _sues_session(cast: Any, status: str) -> Any:
    """Sue's session with Sam in this status: booked next week (and cancelled if asked)."""
    import datetime

    from django.utils import timezone

    from tandem.meetings.models import CancelReason, Session, SessionStatus
    from tandem.meetings.services import sessions as meeting_sessions

    session = Session.objects.filter(supervisee=cast.supervisee, status=status).first()
    if session is None:
        days = 7 if status == SessionStatus.SCHEDULED else 8
        start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        session = meeting_sessions.session_book(
            supervisor=cast.supervisor,
            supervisee=cast.supervisee,
            kind="one_to_one",
            starts_at=start + datetime.timedelta(days=days),
            duration_minutes=90,
            location="Room 2",
            by=cast.supervisor,
        )
        if status == SessionStatus.CANCELLED:
            session = meeting_sessions.session_cancel(
                session=session,
                by=cast.supervisee,
                reason=CancelReason.ILLNESS,
            )
    return session


def supervisee_session_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_session(cast, "scheduled").pk}


def supervisee_cancelled_session_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_session(cast, "cancelled").pk}


def supervisee_agenda_item_pks(cast: Any) -> dict[str, Any]:
    from tandem.meetings.services import sessions as meeting_sessions

    session = _sues_session(cast, "scheduled")
    item = session.agenda.first() or meeting_sessions.agenda_item_add(
        session=session,
        by=cast.supervisee,
        title="Caseload",
        function="management",
    )
    return {"pk": session.pk, "item_pk": item.pk}


def unknown_feed_token(cast: Any) -> dict[str, Any]:
    return {"token": "not-a-feed-token"}


def riverside_closure_day_pk(cast: Any) -> dict[str, Any]:
    import datetime

    from tandem.core.models import ClosureDay

    closure, _created = ClosureDay.objects.get_or_create(
        organisation=cast.organisation,
        date=datetime.date(2026, 12, 29),
        defaults={"reason": "Walk"},
    )
    return {"pk": closure.pk}


def riverside_term_date_pk(cast: Any) -> dict[str, Any]:
    import datetime

    from tandem.core.models import TermDate

    term_date, _created = TermDate.objects.get_or_create(
        organisation=cast.organisation,
        starts_on=datetime.date(2026, 9, 3),
        defaults={
            "name": "Autumn 1 2026",
            "term": "Autumn 2026",
            "ends_on": datetime.date(2026, 10, 23),
        },
    )
    return {"pk": term_date.pk}


def _sues_record(cast: Any) -> Any:
    """Sue's shared record of a session held with Sam last week."""
    from tandem.records.models import Record
    from tandem.records.tests.factories import shared_record

    return Record.objects.filter(supervisee=cast.supervisee).first() or shared_record(cast)


def supervisee_record_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_record(cast).pk}


def supervisee_held_session_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_record(cast).session_id}


def supervisee_addendum_pks(cast: Any) -> dict[str, Any]:
    from tandem.records import services as record_services

    record = _sues_record(cast)
    addendum = record.addenda.first() or record_services.addendum_add(
        record=record, by=cast.supervisor, text="A correction."
    )
    return {"pk": record.pk, "number": addendum.number}


def supervisee_disagreement_pk(cast: Any) -> dict[str, Any]:
    from tandem.records import services as record_services

    record = _sues_record(cast)
    disagreement = record.disagreements.first() or record_services.disagreement_raise(
        record=record, by=cast.supervisee, text="That is not what we agreed."
    )
    return {"pk": disagreement.pk}


def supervisee_action_pk(cast: Any) -> dict[str, Any]:
    from tandem.records.models import Action

    record = _sues_record(cast)
    action = Action.objects.filter(record=record).first() or Action.objects.create(
        organisation=record.organisation,
        record=record,
        key="walk",
        text="Book the training",
        owner=cast.supervisee,
        due_on=record.held_on,
    )
    return {"pk": action.pk}


def supervisee_record_viewer_pks(cast: Any) -> dict[str, Any]:
    from tandem.records import services as record_services
    from tandem.records.models import RecordViewer

    agreement_pk = supervisee_agreement_pk(cast)["pk"]
    viewer = RecordViewer.objects.filter(agreement_id=agreement_pk).first()
    if viewer is None:
        from tandem.agreements.models import Agreement

        viewer = record_services.record_viewer_add(
            agreement=Agreement.objects.get(pk=agreement_pk),
            person=cast.colleague,
            scope="cases",
            by=cast.supervisee,
        )
    return {"pk": agreement_pk, "viewer_pk": viewer.pk}


def export_table(cast: Any) -> dict[str, Any]:
    return {"table": "units", "fmt": "csv"}


def supervisee_team_last_month(cast: Any) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return {"pk": cast.supervisee.team_id, "year": last.year, "month": last.month}


def _teams_pack(cast: Any) -> Any:
    """An evidence pack for Sue's team, made by its manager."""
    import datetime

    from django.utils import timezone

    from tandem.oversight.models import EvidencePack
    from tandem.oversight.services import packs

    pack = EvidencePack.objects.filter(organisation=cast.organisation).first()
    if pack is None:
        today = timezone.localdate()
        pack = packs.pack_create(
            by=cast.manager,
            unit=cast.supervisee.team,
            title="Walk",
            starts_on=today - datetime.timedelta(days=90),
            ends_on=today,
            sample="random",
            sample_size=1,
        )
    return pack


def team_pack_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _teams_pack(cast).pk}


def team_pack_access_pks(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from tandem.oversight.services import packs

    pack = _teams_pack(cast)
    access = pack.accesses.first()
    if access is None:
        access, _token = packs.access_grant(
            pack=pack,
            by=cast.manager,
            name="An inspector",
            email="inspector@ofsted.test",
            expires_on=timezone.localdate(),
        )
    return {"pk": pack.pk, "access_pk": access.pk}


def unknown_inspect_token(cast: Any) -> dict[str, Any]:
    return {"token": "tdi_unknown"}


def unknown_inspect_token_record(cast: Any) -> dict[str, Any]:
    return {"token": "tdi_unknown", "pk": _sues_record(cast).pk}


def _sues_cpd(cast: Any) -> Any:
    from tandem.development.models import CpdRecord
    from tandem.development.tests.factories import CpdRecordFactory

    return CpdRecord.objects.filter(person=cast.supervisee).first() or CpdRecordFactory(
        person=cast.supervisee
    )


def supervisee_cpd_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_cpd(cast).pk}


def _sues_revalidation(cast: Any) -> Any:
    from tandem.development.models import Revalidation
    from tandem.development.tests.factories import RevalidationFactory

    return Revalidation.objects.filter(person=cast.supervisee).first() or RevalidationFactory(
        person=cast.supervisee
    )


def supervisee_revalidation_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_revalidation(cast).pk}


def supervisee_revalidation_evidence(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_revalidation(cast).pk, "kind": "feedback"}


def supervisee_care_standard_pk(cast: Any) -> dict[str, Any]:
    from tandem.development.models import CareCertificateStandard
    from tandem.development.services import care_certificate_start

    standard = CareCertificateStandard.objects.filter(certificate__person=cast.supervisee).first()
    if standard is None:
        certificate = care_certificate_start(
            person=cast.supervisee, started_on=cast.supervisee.employment_start, by=cast.supervisor
        )
        standard = certificate.standards.first()
    return {"pk": standard.pk}


def supervisee_objective_pk(cast: Any) -> dict[str, Any]:
    from tandem.development.models import Objective
    from tandem.development.tests.factories import ObjectiveFactory

    objective = Objective.objects.filter(person=cast.supervisee).first() or ObjectiveFactory(
        person=cast.supervisee
    )
    return {"pk": objective.pk}


def supervisee_appraisal_pk(cast: Any) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    from tandem.development.models import Appraisal
    from tandem.development.services import appraisal_hold

    appraisal = Appraisal.objects.filter(person=cast.supervisee).first()
    if appraisal is None:
        today = timezone.localdate()
        appraisal = appraisal_hold(
            person=cast.supervisee,
            by=cast.supervisor,
            held_on=today,
            period_starts_on=today - datetime.timedelta(days=364),
            period_ends_on=today,
            appraiser_comments="Walk.",
        )
    return {"pk": appraisal.pk}


def riverside_course_pk(cast: Any) -> dict[str, Any]:
    from tandem.development.models import Course

    course, _created = Course.objects.get_or_create(
        organisation=cast.organisation, title="Court skills"
    )
    return {"pk": course.pk}


def _sues_asye(cast: Any) -> Any:
    from tandem.development.models import Asye
    from tandem.development.services import asye_start

    return Asye.objects.filter(person=cast.supervisee).first() or asye_start(
        person=cast.supervisee,
        starts_on=cast.supervisee.asye_start,
        assessor=cast.supervisor,
        by=cast.supervisor,
    )


def supervisee_asye_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_asye(cast).pk}


def supervisee_asye_pause_pk(cast: Any) -> dict[str, Any]:
    import datetime

    from tandem.development.services import asye_pause_add

    asye = _sues_asye(cast)
    pause = asye.pauses.first() or asye_pause_add(
        asye=asye,
        kind="sickness",
        starts_on=asye.starts_on + datetime.timedelta(days=10),
        ends_on=asye.starts_on + datetime.timedelta(days=12),
        fte_percent=None,
        note="",
        by=cast.supervisor,
    )
    return {"pk": pause.pk}


def supervisee_asye_review_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_asye(cast).reviews.first().pk}


def supervisee_observation_pk(cast: Any) -> dict[str, Any]:
    from tandem.development.services import observation_save

    asye = _sues_asye(cast)
    observation = asye.observations.first() or observation_save(
        asye=asye,
        by=cast.supervisor,
        fields={
            "observed_on": asye.starts_on,
            "consent": True,
            "observation": "A home visit.",
            "domains": [1, 7],
        },
    )
    return {"pk": observation.pk}


def unknown_feedback_token(cast: Any) -> dict[str, Any]:
    return {"token": "tdf_unknown"}


# Group records and the quality app


def _riverside_group_record(cast: Any) -> Any:
    import datetime as dt

    from django.utils import timezone

    from tandem.meetings.models import Session, SessionKind, SessionStatus
    from tandem.records.models import GroupRecord
    from tandem.records.services import group_record_start

    found = GroupRecord.objects.filter(organisation=cast.organisation).first()
    if found is not None:
        return found
    starts_at = timezone.now() - dt.timedelta(days=2)
    session = Session.objects.create(
        organisation=cast.organisation,
        kind=SessionKind.GROUP,
        title="Walk group",
        supervisor=cast.manager,
        starts_at=starts_at,
        duration_minutes=60,
        status=SessionStatus.HELD,
        held_started_at=starts_at,
        held_minutes=60,
    )
    session.members.set([cast.supervisor, cast.supervisee])
    return group_record_start(session=session, by=cast.manager)


def group_session_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _riverside_group_record(cast).session_id}


def group_record_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _riverside_group_record(cast).pk}


def group_case_pk(cast: Any) -> dict[str, Any]:
    from tandem.records.services import group_case_add

    record = _riverside_group_record(cast)
    case = record.cases.first() or group_case_add(
        record=record, by=cast.manager, case_reference="CF-1", case_holder=cast.supervisee
    )
    return {"pk": case.pk}


def group_action_pk(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from tandem.records.services import group_action_add

    record = _riverside_group_record(cast)
    action = record.actions.first() or group_action_add(
        record=record,
        by=cast.manager,
        text="Walk",
        owner=cast.supervisee,
        due_on=timezone.localdate(),
    )
    return {"pk": action.pk}


def _sues_audit(cast: Any) -> Any:
    import datetime as dt

    from tandem.quality.models import SupervisionAudit
    from tandem.quality.services import audit_begin

    found = SupervisionAudit.objects.filter(organisation=cast.organisation).first()
    if found is not None:
        return found
    record = _sues_record(cast)
    from tandem.records.services import record_share

    record.refresh_from_db()
    if record.status == "draft":
        record_share(record=record, by=record.supervisor, version=record.version_number)
    return audit_begin(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_on=record.held_on - dt.timedelta(days=30),
        ends_on=record.held_on,
        sample_size=3,
        by=cast.head_of_service,
    )


def supervisee_audit_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_audit(cast).pk}


def riverside_criterion_pk(cast: Any) -> dict[str, Any]:
    from tandem.quality.services import criteria_of

    return {"pk": criteria_of(cast.organisation)[0].pk}


def supervisee_case_audit_pk(cast: Any) -> dict[str, Any]:
    from tandem.quality.models import CaseAudit
    from tandem.quality.services import case_audit_add

    found = CaseAudit.objects.filter(worker=cast.supervisee).first() or case_audit_add(
        worker=cast.supervisee, case_reference="CF-WALK", label="", by=cast.director
    )
    return {"pk": found.pk}


def _sues_pathway(cast: Any) -> Any:
    from django.utils import timezone

    from tandem.quality.models import Pathway
    from tandem.quality.services import pathway_start

    return Pathway.objects.filter(person=cast.supervisee).first() or pathway_start(
        person=cast.supervisee, starts_on=timezone.localdate(), supporter=None, by=cast.manager
    )


def supervisee_pathway_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_pathway(cast).pk}


def supervisee_pathway_start_point(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_pathway(cast).pk, "point": "start"}


def supervisee_pathway_item_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _sues_pathway(cast).items.first().pk}


def supervisee_pipeline_pk(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from tandem.quality.models import PipelineEntry
    from tandem.quality.services import pipeline_add

    entry = PipelineEntry.objects.filter(person=cast.supervisee).first() or pipeline_add(
        person=cast.supervisee,
        by=cast.manager,
        identified_on=timezone.localdate(),
        strengths="Walk",
    )
    return {"pk": entry.pk}


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[Any], dict[str, Any]] = no_object
    # The cast member who can open the object (None: the URL has no object of Riverside).
    owner: str | None = None
    post_only: bool = False
    # No sign-in: a secret in the address is the credential (calendar feeds). The walk fills in
    # an unknown secret, which is "not found" for everyone; the secret's own tests are the app's.
    public: bool = False
    # What the owner gets: a page (200), or for a POST a redirect (302); some answer an empty
    # POST with the page and its error (200), or send a GET on to the right page (302).
    owner_status: int | None = None
    # What another organisation's admin gets when it is not 200 or 403: /oversight/ sends each
    # admin on to their own organisation's dashboard (302).
    outsider_status: int | None = None

    @property
    def has_riverside_object(self) -> bool:
        return self.owner is not None


ROUTES: dict[str, Route] = {
    "home": Route(),
    "people": Route(),
    "teams": Route(),
    "staff-import": Route(),
    "staff-import-template": Route(),
    "api-tokens": Route(),
    "person": Route(supervisee_pk, owner="admin"),
    "change-supervisor": Route(supervisee_pk, owner="admin"),
    "person-roles": Route(supervisee_pk, owner="admin"),
    "person-invite": Route(supervisee_pk, owner="admin", post_only=True),
    "invitation": Route(unknown_feed_token, public=True),
    "team": Route(supervisee_team_pk, owner="admin"),
    "api-token-revoke": Route(supervisee_token_pk, owner="supervisee", post_only=True),
    "agreements": Route(),
    "agreement-start": Route(supervisee_relationship_pk, owner="supervisor"),
    "agreement": Route(supervisee_agreement_pk, owner="supervisee"),
    "agreement-edit": Route(supervisee_agreement_pk, owner="supervisee"),
    "agreement-sign": Route(supervisee_agreement_pk, owner="supervisee"),
    "agreement-review": Route(supervisee_agreement_pk, owner="supervisee", post_only=True),
    "agreement-print": Route(supervisee_agreement_pk, owner="supervisee"),
    "agreement-pdf": Route(supervisee_agreement_pk, owner="supervisee"),
    "agreement-schedule": Route(supervisee_agreement_pk, owner="supervisee", post_only=True),
    "agreement-templates": Route(),
    "agreement-template": Route(riverside_template_pk, owner="admin"),
    "agreement-template-copy": Route(riverside_template_pk, owner="admin", post_only=True),
    "agreement-template-edit": Route(riverside_template_pk, owner="admin"),
    "working-calendar": Route(),
    "organisation-settings": Route(),
    "frequency-policy": Route(),
    "audit-trail": Route(),
    "organisation-setup": Route(),
    "frequency-policy-change": Route(lambda cast: {"category": "nqsw_asye"}),
    "closure-day-add": Route(post_only=True),
    "closure-day-remove": Route(riverside_closure_day_pk, owner="admin", post_only=True),
    "term-date-add": Route(post_only=True),
    "term-date-remove": Route(riverside_term_date_pk, owner="admin", post_only=True),
    "term-dates-import": Route(),
    "term-dates-template": Route(),
    "sessions": Route(),
    "session-book": Route(),
    "session": Route(supervisee_session_pk, owner="supervisee"),
    "session-move": Route(supervisee_session_pk, owner="supervisee"),
    "session-cancel": Route(supervisee_session_pk, owner="supervisee"),
    "session-held": Route(supervisee_session_pk, owner="supervisor"),
    "session-rebook": Route(supervisee_cancelled_session_pk, owner="supervisee"),
    "session-agenda-done": Route(supervisee_agenda_item_pks, owner="supervisee", post_only=True),
    "session-agenda-remove": Route(supervisee_agenda_item_pks, owner="supervisee", post_only=True),
    "session-ics": Route(supervisee_session_pk, owner="supervisee"),
    "calendar-feed": Route(unknown_feed_token, public=True),
    "calendar-feeds": Route(),
    "records": Route(),
    "record-reads": Route(),
    "record": Route(supervisee_record_pk, owner="supervisee"),
    "record-write": Route(supervisee_record_pk, owner="supervisee"),
    "record-autosave": Route(
        supervisee_record_pk, owner="supervisee", post_only=True, owner_status=200
    ),
    "record-share": Route(
        supervisee_record_pk, owner="supervisee", post_only=True, owner_status=200
    ),
    "record-sign": Route(
        supervisee_record_pk, owner="supervisee", post_only=True, owner_status=200
    ),
    "record-versions": Route(supervisee_record_pk, owner="supervisee"),
    "record-addendum": Route(supervisee_record_pk, owner="supervisee"),
    "record-addendum-sign": Route(supervisee_addendum_pks, owner="supervisee", post_only=True),
    "record-disagree": Route(supervisee_record_pk, owner="supervisee"),
    "record-welfare": Route(supervisee_record_pk, owner="manager"),
    "record-print": Route(supervisee_record_pk, owner="supervisee"),
    "record-pdf": Route(supervisee_record_pk, owner="supervisee"),
    "session-record": Route(supervisee_held_session_pk, owner="supervisee", owner_status=302),
    "disagreements": Route(),
    "disagreement": Route(supervisee_disagreement_pk, owner="manager"),
    "actions": Route(),
    "action-status": Route(supervisee_action_pk, owner="supervisee", post_only=True),
    "case-decisions": Route(),
    "agreement-record-viewers": Route(supervisee_agreement_pk, owner="supervisee"),
    "agreement-record-viewer-remove": Route(
        supervisee_record_viewer_pks, owner="supervisee", post_only=True
    ),
    "oversight": Route(outsider_status=302),
    "oversight-organisation": Route(),
    "oversight-unit": Route(supervisee_team_pk, owner="manager"),
    "oversight-person": Route(supervisee_pk, owner="manager"),
    "oversight-definitions": Route(),
    "oversight-balance": Route(),
    "session-feedback": Route(supervisee_held_session_pk, owner="supervisee"),
    "oversight-export": Route(export_table),
    "oversight-team-report": Route(supervisee_team_last_month, owner="manager"),
    "oversight-packs": Route(),
    "oversight-pack-new": Route(),
    "oversight-pack": Route(team_pack_pk, owner="manager"),
    "oversight-pack-pdf": Route(team_pack_pk, owner="manager"),
    "oversight-pack-zip": Route(team_pack_pk, owner="manager"),
    "oversight-pack-access": Route(team_pack_pk, owner="manager", post_only=True, owner_status=400),
    "oversight-pack-access-revoke": Route(team_pack_access_pks, owner="manager", post_only=True),
    "inspect": Route(unknown_inspect_token, public=True),
    "inspect-record": Route(unknown_inspect_token_record, public=True),
    "inspect-pdf": Route(unknown_inspect_token, public=True),
    "inspect-zip": Route(unknown_inspect_token, public=True),
    "my-development": Route(outsider_status=302),
    "development": Route(supervisee_pk, owner="supervisee"),
    "cpd-list": Route(supervisee_pk, owner="supervisee"),
    "cpd-add": Route(supervisee_pk, owner="supervisee"),
    "cpd-export": Route(supervisee_pk, owner="supervisee"),
    "cpd": Route(supervisee_cpd_pk, owner="supervisee"),
    "cpd-edit": Route(supervisee_cpd_pk, owner="supervisee"),
    "cpd-remove": Route(supervisee_cpd_pk, owner="supervisee", post_only=True),
    "revalidation": Route(supervisee_pk, owner="supervisee"),
    "revalidation-evidence": Route(supervisee_revalidation_evidence, owner="supervisee"),
    "revalidation-confirm": Route(supervisee_revalidation_pk, owner="supervisee"),
    "revalidation-pack": Route(supervisee_revalidation_pk, owner="supervisee"),
    "revalidation-pack-pdf": Route(supervisee_revalidation_pk, owner="supervisee"),
    "care-certificate": Route(supervisee_pk, owner="supervisee"),
    "care-standard-sign-off": Route(
        supervisee_care_standard_pk, owner="supervisor", post_only=True
    ),
    "safeguarding": Route(supervisee_pk, owner="supervisee"),
    "safeguarding-designation": Route(supervisee_pk, owner="admin", post_only=True),
    "objective-add": Route(supervisee_pk, owner="supervisee"),
    "objective": Route(supervisee_objective_pk, owner="supervisee"),
    "objective-edit": Route(supervisee_objective_pk, owner="supervisee"),
    "objective-review": Route(
        supervisee_objective_pk, owner="supervisee", post_only=True, owner_status=200
    ),
    "appraisal-add": Route(supervisee_pk, owner="supervisor"),
    "appraisal": Route(supervisee_appraisal_pk, owner="supervisee"),
    "development-rules": Route(),
    "development-courses": Route(),
    "development-course-active": Route(riverside_course_pk, owner="admin", post_only=True),
    "asye": Route(supervisee_pk, owner="supervisee"),
    "asye-assessor": Route(supervisee_asye_pk, owner="supervisor"),
    "asye-pause": Route(supervisee_asye_pk, owner="supervisor"),
    "asye-pause-remove": Route(supervisee_asye_pause_pk, owner="supervisor", post_only=True),
    "asye-review": Route(supervisee_asye_review_pk, owner="supervisee"),
    "asye-caseload": Route(supervisee_asye_pk, owner="supervisee"),
    "asye-self-assessment": Route(supervisee_asye_pk, owner="supervisee"),
    "asye-evidence": Route(supervisee_asye_pk, owner="supervisee"),
    "asye-observation-add": Route(supervisee_asye_pk, owner="supervisor"),
    "asye-observation": Route(supervisee_observation_pk, owner="supervisee"),
    "asye-observation-edit": Route(supervisee_observation_pk, owner="supervisor"),
    "asye-feedback-link": Route(supervisee_observation_pk, owner="supervisee", post_only=True),
    "asye-feedback-enter": Route(
        supervisee_observation_pk, owner="supervisee", post_only=True, owner_status=200
    ),
    "family-feedback": Route(unknown_feedback_token, public=True),
    "asye-recommend": Route(supervisee_asye_pk, owner="supervisor"),
    "asye-panel": Route(supervisee_asye_pk, owner="manager"),
    "asye-programme": Route(),
    # Group records
    "group-record-start": Route(group_session_pk, owner="manager", post_only=True),
    "group-record": Route(group_record_pk, owner="supervisee"),
    "group-record-save": Route(group_record_pk, owner="manager", post_only=True),
    "group-case-add": Route(group_record_pk, owner="manager", post_only=True, owner_status=400),
    "group-action-add": Route(group_record_pk, owner="manager", post_only=True, owner_status=400),
    "group-record-share": Route(group_record_pk, owner="manager", post_only=True),
    "group-record-acknowledge": Route(group_record_pk, owner="supervisee", post_only=True),
    "group-case-remove": Route(group_case_pk, owner="manager", post_only=True),
    "group-action-remove": Route(group_action_pk, owner="manager", post_only=True),
    "group-action-status": Route(group_action_pk, owner="supervisee", post_only=True),
    # Quality: audits, the pathway, the pipeline, equality
    "quality": Route(),
    "quality-settings": Route(),
    "audits": Route(),
    "audit-begin": Route(),
    "audit-results": Route(),
    "audit": Route(supervisee_audit_pk, owner="supervisor"),
    "audit-save": Route(supervisee_audit_pk, owner="head_of_service", post_only=True),
    "audit-reply": Route(supervisee_audit_pk, owner="supervisor", post_only=True, owner_status=400),
    "audit-instrument": Route(),
    "audit-criterion-add": Route(),
    "audit-criterion": Route(riverside_criterion_pk, owner="admin"),
    "audit-criterion-retire": Route(riverside_criterion_pk, owner="admin", post_only=True),
    "case-audits": Route(),
    "case-audit-round": Route(),
    "case-audit-add": Route(),
    "case-audit": Route(supervisee_case_audit_pk, owner="supervisee"),
    "case-audit-learning": Route(
        supervisee_case_audit_pk, owner="supervisee", post_only=True, owner_status=400
    ),
    "case-audit-impact": Route(
        supervisee_case_audit_pk, owner="supervisee", post_only=True, owner_status=400
    ),
    "person-pathway": Route(supervisee_pk, owner="supervisee"),
    "pathway-start": Route(supervisee_pk, owner="manager"),
    "pathway": Route(supervisee_pathway_pk, owner="supervisee"),
    "pathway-item-add": Route(supervisee_pathway_pk, owner="supervisee"),
    "pathway-item-done": Route(supervisee_pathway_item_pk, owner="supervisee"),
    "pathway-assessment": Route(supervisee_pathway_start_point, owner="supervisee"),
    "pipeline": Route(),
    "pipeline-add": Route(supervisee_pk, owner="manager"),
    "pipeline-entry": Route(supervisee_pipeline_pk, owner="supervisee"),
    "pipeline-plan-add": Route(supervisee_pipeline_pk, owner="manager"),
    "pipeline-status": Route(
        supervisee_pipeline_pk, owner="manager", post_only=True, owner_status=400
    ),
    "my-equality": Route(),
    "equality-figures": Route(),
    "equality-data": Route(),
    "workforce": Route(),
}

NAMED, UNNAMED = walk_urlconf()


def route_for(name: str) -> Route:
    if name not in ROUTES:
        pytest.fail(
            f"URL {name!r} ({NAMED[name]}) has no permission test: add it to ROUTES in "
            f"{__name__} with its parameters and the cast member who owns its object."
        )
    return ROUTES[name]


def login_redirect(path: str) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': path}, safe='/')}"


def assert_no_leak(response: Any, what: str) -> None:
    body = response.content.decode(errors="replace")
    for leak in LEAKS:
        assert leak not in body, f"{what}: the outsider's response mentions {leak!r}"


def test_the_walk_finds_the_pages_and_every_one_is_known():
    assert {"home", "people", "person", "team"} <= set(NAMED)
    assert not UNNAMED, f"Name these URLs so that they can be tested: {UNNAMED}"
    unknown = sorted(set(NAMED) - set(ROUTES))
    assert not unknown, f"URLs with no permission test (add them to ROUTES): {unknown}"
    stale = sorted(set(ROUTES) - set(NAMED))
    assert not stale, f"ROUTES names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(NAMED))
def test_signed_out_visitors_are_sent_to_sign_in(cast, name):
    route = route_for(name)
    path = reverse(name, kwargs=route.kwargs(cast))
    client = Client()

    response = client.get(path)
    if route.public:
        assert response.status_code == 404, (path, response.status_code)
        return
    if route.post_only:
        assert response.status_code == 405
        response = client.post(path)
    assert response.status_code == 302, (path, response.status_code)
    assert response.url == login_redirect(path)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_another_organisations_admin_finds_nothing_of_riverside(cast, name):
    route = route_for(name)
    path = reverse(name, kwargs=route.kwargs(cast))
    client = cast.client_for(cast.outsider)
    relationships_before = list(SupervisionRelationship.objects.values_list("pk", "ends_on"))

    get = client.get(path)
    assert_no_leak(get, f"GET {path}")
    if route.post_only:
        assert get.status_code == 405
    elif route.public or route.has_riverside_object:
        assert get.status_code == 404, (path, get.status_code)
    elif route.outsider_status is not None:
        assert get.status_code == route.outsider_status, (path, get.status_code)
        landing = client.get(get.url)
        assert landing.status_code == 200, (get.url, landing.status_code)
        assert "Hillside Trust" in landing.content.decode()
        assert_no_leak(landing, f"GET {get.url}")
    else:
        assert get.status_code in (200, 403), (path, get.status_code)
        if get.status_code == 200 and get["Content-Type"].startswith("text/html"):
            assert "Hillside Trust" in get.content.decode()

    if route.has_riverside_object:
        post = client.post(
            path, {"supervisor": cast.outsider.pk, "kind": "line", "starts_on": "2030-01-01"}
        )
        assert post.status_code == 404, (path, post.status_code)
        assert_no_leak(post, f"POST {path}")
        assert (
            list(SupervisionRelationship.objects.values_list("pk", "ends_on"))
            == relationships_before
        )
    if name == "api-token-revoke":
        assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.has_riverside_object))
def test_the_object_exists_for_its_owner(cast, name):
    """So the outsider's 404 above means "not yours", not "the test filled in a wrong id"."""
    route = route_for(name)
    path = reverse(name, kwargs=route.kwargs(cast))
    client = cast.client_for(getattr(cast, route.owner))
    if route.post_only:
        assert client.post(path).status_code == (route.owner_status or 302)
    else:
        assert client.get(path).status_code == (route.owner_status or 200)


def test_no_page_fails_for_anyone_in_the_cast(cast):
    """Every page answers every cast member with a page, a refusal or "not found": never 500."""
    people = ["director", "head_of_service", "manager", "supervisor", "supervisee"]
    people += ["colleague", "admin", "outsider"]
    for who in people:
        client = cast.client_for(getattr(cast, who))
        for name in sorted(NAMED):
            route = route_for(name)
            path = reverse(name, kwargs=route.kwargs(cast))
            status = client.get(path).status_code
            # 302: a page that sends you on (starting an agreement that already exists).
            expected = {405} if route.post_only else {200, 302, 403, 404}
            assert status in expected, (who, path, status)
