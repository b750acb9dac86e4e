"""API operations on supervision sessions, their agenda, 12-month schedules and calendar feeds.

Thin, like the pages: find the session in the person's organisation (404 otherwise), ask the
same ``rules`` permission (403), call the same service. A service's refusal comes back as a 400
whose ``detail`` is keyed by the field it is about; input of the wrong shape is a 422.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Annotated, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from tandem.agreements import policies
from tandem.agreements.models import Agreement, Frequency
from tandem.core.pagination import ApiPages
from tandem.organisations.access import PersonRequest, get_scoped_or_404
from tandem.organisations.api import ERRORS, PersonRef
from tandem.organisations.models import Person, StaffCategory

from . import policy, selectors
from .feed_views import feed_address
from .models import (
    AgendaItem,
    CalendarFeed,
    CancelReason,
    Priority,
    Session,
    SessionKind,
    SessionStatus,
    SupervisionFunction,
)
from .services import calendars, schedule, sessions

router = Router(tags=["sessions"])

# Dates and times outside these years are refused as input (422), as the pages refuse them: no
# arithmetic on them can then run off the end of the calendar.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
# The longest stretch GET /people/{id}/sessions-needed answers for, as a schedule covers.
NEEDED_MONTHS = schedule.MAX_MONTHS
# Where the services' refusals are keyed differently from the API's field names.
API_FIELDS = {"supervisee": "supervisee_id", "members": "member_ids"}
# The policy rules read once per request, for the "short" flag on any number of sessions.
RULES_CACHE = "_tandem_session_rules"


def _moment(value: datetime.datetime) -> datetime.datetime:
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
        raise ValueError(f"Enter a year from {FIRST_DAY.year} to {LAST_DAY.year}.")
    # Without an offset, a time is UK time, as typed on the pages.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Remove the null character.")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError("Enter text without unpaired surrogate characters.") from None
    return value


Moment = Annotated[datetime.datetime, AfterValidator(_moment)]
Text = Annotated[str, AfterValidator(_text)]
Day = Annotated[datetime.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

WHEN = (
    "ISO 8601, like 2027-03-27T14:30:00+00:00; without an offset, UK time. "
    f"Years {FIRST_DAY.year} to {LAST_DAY.year}."
)


# Answers


class AgendaItemOut(Schema):
    id: int
    session_id: int
    title: str
    detail: str
    priority: Priority
    minutes: int
    function: SupervisionFunction
    done: bool
    added_by: PersonRef
    carried_from_session_id: int | None = Field(
        description="Carried in, unfinished, from this earlier session."
    )
    created_at: datetime.datetime

    @staticmethod
    def resolve_carried_from_session_id(obj: AgendaItem) -> int | None:
        return obj.carried_from.session_id if obj.carried_from else None


class AgendaFitOut(Schema):
    planned_minutes: int = Field(description="The minutes the items not done need.")
    session_minutes: int
    fits: bool
    text: str


class AgendaOut(Schema):
    items: list[AgendaItemOut]
    fit: AgendaFitOut


def _rules_cache(request: PersonRequest) -> selectors.RulesCache:
    cache = getattr(request, RULES_CACHE, None)
    if cache is None:
        cache = {}
        setattr(request, RULES_CACHE, cache)
    return cache


class SessionSummaryOut(Schema):
    id: int
    kind: SessionKind
    status: SessionStatus
    title: str
    supervisor: PersonRef
    supervisee: PersonRef | None
    members: list[PersonRef] = Field(description="Group sessions: who takes part.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    location: str
    from_schedule: bool = Field(description="Proposed by the 12-month schedule.")
    agreement_id: int | None
    rebooked_from_id: int | None
    rebooked_as_id: int | None
    rebook_by: datetime.date | None = Field(
        description="A cancelled session: the last day to re-book it, under the agreement."
    )
    rebook_overdue: bool = Field(description="Cancelled, not re-booked, and past rebook_by.")
    short: bool = Field(description="Held for less time than the policy asks for.")

    @staticmethod
    def resolve_members(obj: Session) -> list[Person]:
        return list(obj.members.all())

    @staticmethod
    def resolve_rebooked_as_id(obj: Session) -> int | None:
        rebooked_as = getattr(obj, "rebooked_as", None)
        return rebooked_as.pk if rebooked_as is not None else None

    @staticmethod
    def resolve_rebook_overdue(obj: Session) -> bool:
        return (
            obj.status == SessionStatus.CANCELLED
            and obj.rebook_by is not None
            and obj.rebook_by < timezone.localdate()
            and getattr(obj, "rebooked_as", None) is None
        )

    @staticmethod
    def resolve_short(obj: Session, context: Any) -> bool:
        if obj.status != SessionStatus.HELD:
            return False
        rules = _rules_cache(context["request"])
        return obj.pk in selectors.short_session_ids([obj], rules=rules)


class AllowedOut(Schema):
    change: bool = Field(description="Move, cancel or re-book it.")
    change_agenda: bool
    record_held: bool


class SessionOut(SessionSummaryOut):
    created_at: datetime.datetime
    cancelled_by: PersonRef | None
    cancelled_at: datetime.datetime | None
    cancel_reason: CancelReason | None
    cancel_note: str
    held_started_at: datetime.datetime | None
    held_minutes: int | None
    agenda: list[AgendaItemOut]
    agenda_fit: AgendaFitOut
    allowed: AllowedOut = Field(description="What I may do to this session.")
    ics_url: str = Field(
        description="The session as an invitation (.ics), for a signed-in browser."
    )

    @staticmethod
    def resolve_cancel_reason(obj: Session) -> str | None:
        return obj.cancel_reason or None

    @staticmethod
    def resolve_agenda(obj: Session) -> list[AgendaItem]:
        return list(obj.agenda.all())

    @staticmethod
    def resolve_agenda_fit(obj: Session) -> selectors.AgendaFit:
        return selectors.agenda_fit(obj)

    @staticmethod
    def resolve_allowed(obj: Session, context: Any) -> dict[str, bool]:
        user = context["request"].user
        return {
            "change": user.has_perm("meetings.change_session", obj),
            "change_agenda": user.has_perm("meetings.change_agenda", obj),
            "record_held": user.has_perm("meetings.record_held", obj),
        }

    @staticmethod
    def resolve_ics_url(obj: Session, context: Any) -> str:
        return str(context["request"].build_absolute_uri(reverse("session-ics", args=[obj.pk])))


class ScheduleOut(Schema):
    created: int
    sessions: list[SessionSummaryOut]


class RequirementOut(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    frequency: Frequency
    min_minutes: int | None = Field(description="The shortest a session may be, if any.")


class FeedOut(Schema):
    active: bool = Field(description="A feed address works now.")
    created_at: datetime.datetime | None
    last_fetched_at: datetime.datetime | None


class FeedCreatedOut(FeedOut):
    url: str = Field(description="The secret feed address: shown this once, never again.")
    webcal_url: str


# Questions and changes


class SessionFilter(Schema):
    status: SessionStatus | None = None
    from_: Day | None = Field(None, alias="from", description="Starting on or after this day.")
    to: Day | None = Field(None, description="Starting on or before this day.")
    supervisee_id: Id | None = None


class BookIn(Schema):
    kind: SessionKind = SessionKind.ONE_TO_ONE
    supervisee_id: Id | None = Field(
        None, description="One to one and ad hoc sessions: someone I supervise."
    )
    member_ids: list[Id] = Field(
        [],
        max_length=200,
        description="Group sessions: at least 2 people I supervise or manage.",
    )
    starts_at: Moment = Field(description=WHEN)
    duration_minutes: int
    location: Text = ""
    title: Text = Field("", description="Group sessions: the group's name.")


class MoveIn(Schema):
    starts_at: Moment = Field(description=WHEN)
    duration_minutes: int | None = Field(None, description="By default, as it is.")
    location: Text | None = Field(None, description="By default, as it is.")


class CancelIn(Schema):
    reason: CancelReason
    note: Text = Field("", max_length=2000, description="Needed when the reason is other.")


class RebookIn(MoveIn):
    pass


class HeldIn(Schema):
    started_at: Moment = Field(description="When it really started. " + WHEN)
    minutes: int = Field(description="How many minutes it lasted.")


class AgendaItemIn(Schema):
    title: Text
    detail: Text = ""
    priority: Priority = Priority.MEDIUM
    minutes: int = 10
    function: SupervisionFunction


class DoneIn(Schema):
    done: bool = Field(True, description="False: not done after all.")


class ScheduleIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 is Monday; schedules use Monday to Friday.")
    time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description='Like "14:30".')
    start: Annotated[datetime.date, Field(le=LAST_DAY)] = Field(
        description="The first day of the schedule: today or later."
    )
    months: int = Field(12, description=f"1 to {schedule.MAX_MONTHS}.")


class NeededFilter(Schema):
    start: Day | None = Field(None, description="By default, today.")
    end: Day | None = Field(
        None, description=f"By default, a year after start; at most {NEEDED_MONTHS} months on."
    )
    agreed_frequency: Frequency | None = Field(
        None, description="As an agreement may set: it applies where stricter than the policy."
    )


# Finding things


def _sees_everyone(request: PersonRequest) -> bool:
    return request.user.has_perm("organisations.list_people")


def _session(request: PersonRequest, pk: int, perm: str = "meetings.view_session") -> Session:
    """The session with everything SessionOut shows, as its page finds it: another
    organisation's is not found (404); one the person may not see or change is forbidden (403)."""
    session = selectors.session_for_page(organisation_id=request.person.organisation_id, pk=pk)
    if session is None:
        raise Http404
    if not request.user.has_perm(perm, session):
        raise PermissionDenied
    return session


def _reloaded(request: PersonRequest, session: Session) -> Session:
    loaded = selectors.session_for_page(
        organisation_id=request.person.organisation_id, pk=session.pk
    )
    assert loaded is not None
    return loaded


def _item(pk: int) -> AgendaItem:
    return AgendaItem.objects.select_related("added_by", "carried_from").get(pk=pk)


def _renamed(error: ValidationError) -> ValidationError:
    """A service's refusal, keyed by the API's field names."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {API_FIELDS.get(key, key): messages for key, messages in error.message_dict.items()}
    )


def _feed_status(feed: CalendarFeed | None) -> dict[str, Any]:
    return {
        "active": feed is not None,
        "created_at": feed.created_at if feed else None,
        "last_fetched_at": feed.last_fetched_at if feed else None,
    }


# Sessions


@router.get(
    "/sessions",
    response={200: list[SessionSummaryOut], **ERRORS},
    summary="The sessions I may see: mine, my people's, or all for admins, HR and leaders",
)
@paginate(ApiPages)
def session_list(request: PersonRequest, filters: Query[SessionFilter]) -> Any:
    found = selectors.sessions_visible_to(
        person=request.person, can_see_everyone=_sees_everyone(request)
    )
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.from_ is not None:
        found = found.filter(
            starts_at__gte=timezone.make_aware(
                datetime.datetime.combine(filters.from_, datetime.time.min)
            )
        )
    if filters.to is not None:
        after = filters.to + datetime.timedelta(days=1)
        found = found.filter(
            starts_at__lt=timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))
        )
    if filters.supervisee_id is not None:
        found = found.filter(supervisee_id=filters.supervisee_id)
    return found.order_by("starts_at", "id")


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **ERRORS},
    summary="A session, its agenda, and its flags: short, re-book by, re-booking overdue",
)
def session_detail(request: PersonRequest, session_id: int) -> Session:
    return _session(request, session_id)


@router.post(
    "/sessions",
    response={201: SessionOut, **ERRORS},
    summary="Book a one to one or ad hoc session with someone I supervise, or a group session",
)
def session_book(request: PersonRequest, payload: BookIn) -> Any:
    if not request.user.has_perm("meetings.book_session"):
        raise PermissionDenied
    me = request.person
    supervisee = None
    if payload.supervisee_id is not None:
        supervisees = {p.pk: p for p in selectors.people_to_book_with(person=me)}
        supervisee = supervisees.get(payload.supervisee_id)
        if supervisee is None:
            raise ValidationError({"supervisee_id": "Choose someone you supervise."})
    members = []
    if payload.member_ids:
        offered = {p.pk: p for p in selectors.people_for_groups(person=me)}
        if any(pk not in offered for pk in payload.member_ids):
            raise ValidationError({"member_ids": "Choose people you supervise or manage."})
        members = [offered[pk] for pk in dict.fromkeys(payload.member_ids)]
    try:
        session = sessions.session_book(
            supervisor=me,
            supervisee=supervisee,
            members=members,
            kind=payload.kind,
            title=payload.title,
            starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes,
            location=payload.location,
            by=me,
        )
    except ValidationError as error:
        raise _renamed(error) from error
    return Status(201, _reloaded(request, session))


@router.post(
    "/sessions/{session_id}/move",
    response={200: SessionOut, **ERRORS},
    summary="Move a scheduled session to another time, length or place",
)
def session_move(request: PersonRequest, session_id: int, payload: MoveIn) -> Any:
    session = _session(request, session_id, "meetings.change_session")
    sessions.session_move(
        session=session,
        starts_at=payload.starts_at,
        duration_minutes=(
            session.duration_minutes
            if payload.duration_minutes is None
            else payload.duration_minutes
        ),
        location=session.location if payload.location is None else payload.location,
        by=request.person,
    )
    return _reloaded(request, session)


@router.post(
    "/sessions/{session_id}/cancel",
    response={200: SessionOut, **ERRORS},
    summary="Cancel a scheduled session, saying why; rebook_by says by when to re-book it",
)
def session_cancel(request: PersonRequest, session_id: int, payload: CancelIn) -> Any:
    session = _session(request, session_id, "meetings.change_session")
    sessions.session_cancel(
        session=session,
        by=request.person,
        reason=payload.reason,
        note=payload.note,
    )
    return _reloaded(request, session)


@router.post(
    "/sessions/{session_id}/rebook",
    response={201: SessionOut, **ERRORS},
    summary="Book a cancelled session again, with its people and its unfinished agenda",
)
def session_rebook(request: PersonRequest, session_id: int, payload: RebookIn) -> Any:
    cancelled = _session(request, session_id, "meetings.change_session")
    session = sessions.session_rebook(
        cancelled=cancelled,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
        by=request.person,
    )
    return Status(201, _reloaded(request, session))


@router.post(
    "/sessions/{session_id}/held",
    response={200: SessionOut, **ERRORS},
    summary="Record that a session was held: when it really started and how long it lasted",
)
def session_held(request: PersonRequest, session_id: int, payload: HeldIn) -> Any:
    session = _session(request, session_id, "meetings.record_held")
    sessions.session_record_held(
        session=session,
        started_at=payload.started_at,
        minutes=payload.minutes,
        by=request.person,
    )
    return _reloaded(request, session)


# The agenda


@router.get(
    "/sessions/{session_id}/agenda",
    response={200: AgendaOut, **ERRORS},
    summary="A session's agenda, and whether the items not done fit in it",
)
def agenda(request: PersonRequest, session_id: int) -> dict[str, Any]:
    session = _session(request, session_id)
    items = list(session.agenda.all())
    return {"items": items, "fit": selectors.agenda_fit(session, items)}


@router.post(
    "/sessions/{session_id}/agenda",
    response={201: AgendaItemOut, **ERRORS},
    summary="Add an item to the agenda of a scheduled session I take part in",
)
def agenda_item_add(request: PersonRequest, session_id: int, payload: AgendaItemIn) -> Any:
    session = _session(request, session_id, "meetings.change_agenda")
    item = sessions.agenda_item_add(
        session=session,
        by=request.person,
        title=payload.title,
        detail=payload.detail,
        priority=payload.priority,
        minutes=payload.minutes,
        function=payload.function,
    )
    return Status(201, _item(item.pk))


@router.post(
    "/agenda-items/{item_id}/done",
    response={200: AgendaItemOut, **ERRORS},
    summary="Mark an agenda item done (or, with done false, not done after all)",
)
def agenda_item_done(request: PersonRequest, item_id: int, payload: DoneIn | None = None) -> Any:
    item = (
        AgendaItem.objects.select_related("session")
        .filter(pk=item_id, session__organisation_id=request.person.organisation_id)
        .first()
    )
    if item is None:
        raise Http404
    if not request.user.has_perm("meetings.change_agenda", item.session):
        raise PermissionDenied
    done = True if payload is None else payload.done
    sessions.agenda_item_done(item=item, done=done, by=request.person)
    return _item(item.pk)


# Schedules and what the policy needs


@router.post(
    "/agreements/{agreement_id}/schedule",
    response={201: ScheduleOut, **ERRORS},
    summary="Propose the sessions of an active agreement for the months ahead",
    description=(
        "For the agreement's supervisor or supervisee. One session per window the policy and "
        "the agreement need, on the agreed weekday where the organisation's calendar allows. "
        "Proposals made before that nobody has touched are replaced; sessions held, cancelled "
        "or with an agenda stay."
    ),
)
def schedule_create(request: PersonRequest, agreement_id: int, payload: ScheduleIn) -> Any:
    agreement = get_scoped_or_404(
        request,
        Agreement.objects.select_related("supervisee__organisation", "relationship"),
        "agreements.view_agreement",
        pk=agreement_id,
    )
    # The two parties, as for signing: the people whose sessions these are.
    if not request.user.has_perm("agreements.sign_agreement", agreement):
        raise PermissionDenied
    made = schedule.schedule_create(
        agreement=agreement,
        start=payload.start,
        months=payload.months,
        weekday=payload.weekday,
        at=datetime.time.fromisoformat(payload.time),
        by=request.person,
    )
    found = selectors.sessions_visible_to(
        person=request.person, can_see_everyone=_sees_everyone(request)
    ).filter(pk__in=[session.pk for session in made])
    return Status(201, {"created": len(made), "sessions": list(found.order_by("starts_at", "id"))})


@router.get(
    "/people/{person_id}/sessions-needed",
    response={200: list[RequirementOut], **ERRORS},
    summary="The windows that each need a session, under the organisation's policy",
)
def sessions_needed(request: PersonRequest, person_id: int, filters: Query[NeededFilter]) -> Any:
    person = get_scoped_or_404(
        request,
        Person.objects.select_related("organisation"),
        "organisations.view_person",
        pk=person_id,
    )
    start = filters.start or timezone.localdate()
    end = filters.end or start + relativedelta(years=1) - datetime.timedelta(days=1)
    if end < start:
        raise ValidationError({"end": "The end must be on or after the start."})
    if end >= start + relativedelta(months=NEEDED_MONTHS):
        raise ValidationError({"end": f"Ask for at most {NEEDED_MONTHS} months at a time."})
    return policy.sessions_needed_for(
        person, start, end, agreed_frequency=filters.agreed_frequency or None
    )


# My calendar feed


@router.get(
    "/calendar-feed",
    response={200: FeedOut, **ERRORS},
    summary="Whether I have a calendar feed address, when it was made and last read",
)
def calendar_feed(request: PersonRequest) -> dict[str, Any]:
    return _feed_status(calendars.calendar_feed_of(request.person))


@router.post(
    "/calendar-feed",
    response={201: FeedCreatedOut, **ERRORS},
    summary="Make a new calendar feed address, shown once; any earlier one stops working",
)
def calendar_feed_create(request: PersonRequest) -> Any:
    feed, raw = calendars.calendar_feed_create(request.person, request.person)
    url = feed_address(request, raw)
    webcal = url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1)
    return Status(201, {**_feed_status(feed), "url": url, "webcal_url": webcal})


@router.delete(
    "/calendar-feed",
    response={200: FeedOut, **ERRORS},
    summary="Stop my calendar feed address: calendars subscribed to it stop updating",
)
def calendar_feed_revoke(request: PersonRequest) -> dict[str, Any]:
    feed = calendars.calendar_feed_of(request.person)
    if feed is not None:
        calendars.calendar_feed_revoke(feed, request.person)
    return _feed_status(None)


# The frequency policy


class StageIO(Schema):
    """One stage of a category's rules: from this day of time in post (0 for the start), at
    least this often, for at least this long."""

    from_day: int = Field(0, ge=0, le=3660)
    frequency: Frequency
    min_minutes: int | None = Field(None, ge=1, le=480)


class CategoryRulesOut(Schema):
    staff_category: StaffCategory
    label: str
    stages: list[StageIO]


class PolicyChangeIn(Schema):
    staff_category: StaffCategory
    effective_from: datetime.date
    stages: list[StageIO] = Field(..., min_length=1, max_length=4)


class PolicyPreviewOut(Schema):
    effective_from: datetime.date
    until: datetime.date
    people: int
    more: int
    fewer: int
    same: int
    sessions_before: int
    sessions_after: int


def _policy_change(request: PersonRequest, payload: PolicyChangeIn) -> list[policies.Stage]:
    organisation = request.person.organisation
    if not request.user.has_perm("organisations.change_settings", organisation):
        raise PermissionDenied
    stages = [policies.Stage(s.from_day, s.frequency, s.min_minutes) for s in payload.stages]
    problems = policies.change_problems(
        payload.staff_category, payload.effective_from, stages, timezone.localdate()
    )
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    return stages


@router.get(
    "/frequency-policy",
    response={200: list[CategoryRulesOut], **ERRORS},
    summary="Each staff category's rules in force today (admins, HR and senior leaders)",
)
def frequency_policy(request: PersonRequest) -> Any:
    organisation = request.person.organisation
    if not request.user.has_perm("organisations.view_settings", organisation):
        raise PermissionDenied
    today = timezone.localdate()
    return [
        {
            "staff_category": value,
            "label": label,
            "stages": policies.stages_of(policies.category_rules(organisation, value, today)),
        }
        for value, label in StaffCategory.choices
    ]


@router.post(
    "/frequency-policy/preview",
    response={200: PolicyPreviewOut, **ERRORS},
    summary="What a change of one category's rules would do over a year; nothing is saved",
)
def frequency_policy_preview(request: PersonRequest, payload: PolicyChangeIn) -> Any:
    stages = _policy_change(request, payload)
    return policy.policy_change_preview(
        request.person.organisation,
        staff_category=payload.staff_category,
        effective_from=payload.effective_from,
        stages=stages,
    )


@router.post(
    "/frequency-policy/changes",
    response={201: list[CategoryRulesOut], **ERRORS},
    summary="Change one category's rules from a date (admins); audited, figures recounted",
)
def frequency_policy_change(request: PersonRequest, payload: PolicyChangeIn) -> Any:
    stages = _policy_change(request, payload)
    organisation = request.person.organisation
    policies.frequency_policy_change(
        organisation=organisation,
        by=request.person,
        staff_category=payload.staff_category,
        effective_from=payload.effective_from,
        stages=stages,
    )
    rules = policies.category_rules(organisation, payload.staff_category, payload.effective_from)
    return Status(
        201,
        [
            {
                "staff_category": payload.staff_category,
                "label": StaffCategory(payload.staff_category).label,
                "stages": policies.stages_of(rules),
            }
        ],
    )
