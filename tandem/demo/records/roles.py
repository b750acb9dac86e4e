"""Who the supervisee is, for the words of the demo's records: a role from the staff category
(councils) or the job title (schools), and how many cases each role discusses in a session."""

from __future__ import annotations

# Council roles, from the staff category.
SOCIAL_WORKER = "social_worker"
NQSW = "nqsw"
PRACTICE_SUPERVISOR = "practice_supervisor"
TEAM_MANAGER = "team_manager"
HEAD_OF_SERVICE = "head_of_service"
BUSINESS_SUPPORT = "business_support"
# School roles, from the job title.
TEACHER = "teacher"
TEACHING_ASSISTANT = "teaching_assistant"
SCHOOL_LEADER = "school_leader"
PASTORAL = "pastoral"
SCHOOL_BUSINESS = "school_business"

COUNCIL_ROLES = {
    "registered_social_worker": SOCIAL_WORKER,
    "nqsw_asye": NQSW,
    "practice_supervisor": PRACTICE_SUPERVISOR,
    "team_manager": TEAM_MANAGER,
    "head_of_service": HEAD_OF_SERVICE,
    "assistant_director": HEAD_OF_SERVICE,
    "support_staff": BUSINESS_SUPPORT,
}


def role_of(*, school: bool, staff_category: str, job_title: str) -> str:
    """Which pools of words fit the supervisee."""
    if not school:
        return COUNCIL_ROLES.get(staff_category, SOCIAL_WORKER)
    title = job_title.lower()
    if "business" in title:
        return SCHOOL_BUSINESS
    if "deputy" in title or "head" in title or "senco" in title:
        return SCHOOL_LEADER
    if "family support" in title or "mentor" in title:
        return PASTORAL
    if "assistant" in title:
        return TEACHING_ASSISTANT
    return TEACHER


# How many cases a supervisee in each role discusses in one session (choices).
CASES_PER_SESSION: dict[str, tuple[int, ...]] = {
    SOCIAL_WORKER: (1, 2, 2, 3),
    NQSW: (1, 1, 2),
    PRACTICE_SUPERVISOR: (0, 1, 1, 2),
    TEAM_MANAGER: (0, 1, 1),
    HEAD_OF_SERVICE: (0, 0, 1),
    BUSINESS_SUPPORT: (0,),
    TEACHER: (0, 0, 1),
    TEACHING_ASSISTANT: (0, 0, 1),
    SCHOOL_LEADER: (1, 1, 2),
    PASTORAL: (1, 2),
    SCHOOL_BUSINESS: (0,),
}
