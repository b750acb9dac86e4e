"""Practitioner development: CPD and registration (``registration``), the Care Certificate and
safeguarding leads' training (``care``), development plans and appraisal (``plans``)."""

from .care import (
    CareCertificate,
    CareCertificateStandard,
    SafeguardingLead,
    SafeguardingTraining,
    SafeguardingTrainingKind,
)
from .plans import Appraisal, Course, Objective, ObjectiveReview, ObjectiveStatus
from .registration import (
    CodeTheme,
    CpdKind,
    CpdRecord,
    PracticeHours,
    ReflectiveAccount,
    ReflectiveDiscussion,
    Revalidation,
    RevalidationFeedback,
    SchemeRules,
)

__all__ = [
    "Appraisal",
    "CareCertificate",
    "CareCertificateStandard",
    "CodeTheme",
    "Course",
    "CpdKind",
    "CpdRecord",
    "Objective",
    "ObjectiveReview",
    "ObjectiveStatus",
    "PracticeHours",
    "ReflectiveAccount",
    "ReflectiveDiscussion",
    "Revalidation",
    "RevalidationFeedback",
    "SafeguardingLead",
    "SafeguardingTraining",
    "SafeguardingTrainingKind",
    "SchemeRules",
]
