"""Practitioner development: CPD and registration (``registration``), the Care Certificate and
safeguarding leads' training (``care``), development plans and appraisal (``plans``), and the
ASYE (``asye``)."""

from .asye import (
    Asye,
    AsyeEvidence,
    AsyePause,
    AsyeProgramme,
    AsyeReview,
    AsyeStatus,
    CaseloadEntry,
    EvidenceKind,
    Observation,
    PauseKind,
    Recommendation,
    SelfAssessment,
    SelfAssessmentPoint,
)
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
    "Asye",
    "AsyeEvidence",
    "AsyePause",
    "AsyeProgramme",
    "AsyeReview",
    "AsyeStatus",
    "CareCertificate",
    "CareCertificateStandard",
    "CaseloadEntry",
    "CodeTheme",
    "Course",
    "CpdKind",
    "CpdRecord",
    "EvidenceKind",
    "Objective",
    "ObjectiveReview",
    "ObjectiveStatus",
    "Observation",
    "PauseKind",
    "PracticeHours",
    "Recommendation",
    "ReflectiveAccount",
    "ReflectiveDiscussion",
    "Revalidation",
    "RevalidationFeedback",
    "SafeguardingLead",
    "SafeguardingTraining",
    "SafeguardingTrainingKind",
    "SchemeRules",
    "SelfAssessment",
    "SelfAssessmentPoint",
]
