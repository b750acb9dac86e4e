"""Writes about practitioner development: one function per change, each audited in the same
transaction, each refusing with a ``ValidationError`` keyed by the field it is about and writing
nothing when it refuses."""

from .care import (
    care_certificate_start,
    care_standard_sign_off,
    safeguarding_lead_designate,
    safeguarding_lead_end,
    safeguarding_training_add,
)
from .plans import (
    OBJECTIVE_FIELDS,
    appraisal_comment,
    appraisal_hold,
    course_add,
    course_set_active,
    objective_add,
    objective_change,
    objective_review,
)
from .registration import (
    CPD_FIELDS,
    cpd_exported,
    cpd_problems,
    cpd_record_add,
    cpd_record_change,
    cpd_record_remove,
    feedback_add,
    practice_hours_add,
    reflective_account_add,
    reflective_discussion_add,
    revalidation_confirm,
    revalidation_start,
    scheme_rules_set,
)

__all__ = [
    "CPD_FIELDS",
    "OBJECTIVE_FIELDS",
    "appraisal_comment",
    "appraisal_hold",
    "care_certificate_start",
    "care_standard_sign_off",
    "course_add",
    "course_set_active",
    "cpd_exported",
    "cpd_problems",
    "cpd_record_add",
    "cpd_record_change",
    "cpd_record_remove",
    "feedback_add",
    "objective_add",
    "objective_change",
    "objective_review",
    "practice_hours_add",
    "reflective_account_add",
    "reflective_discussion_add",
    "revalidation_confirm",
    "revalidation_start",
    "safeguarding_lead_designate",
    "safeguarding_lead_end",
    "safeguarding_training_add",
    "scheme_rules_set",
]
