"""SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from models.announcement import Announcement
from models.audit import AuditLog, ProcessedRequest
from models.base import Base
from models.celebration import Celebration, Sponsor
from models.checkin import CheckIn
from models.delivery import Delivery
from models.matching import MatchRun
from models.pair import Pair
from models.program import Participant, Program
from models.progress import (
    ActionItem,
    Feedback,
    Goal,
    GoalProgress,
    Learning,
    MentoringSession,
)
from models.survey import Survey, SurveyResponse
from models.workspace import Coordinator, DmChannel, Member, Workspace

__all__ = [
    "ActionItem",
    "Announcement",
    "AuditLog",
    "Base",
    "Celebration",
    "CheckIn",
    "Coordinator",
    "Delivery",
    "DmChannel",
    "Feedback",
    "Goal",
    "GoalProgress",
    "Learning",
    "MatchRun",
    "Member",
    "MentoringSession",
    "Pair",
    "Participant",
    "ProcessedRequest",
    "Program",
    "Sponsor",
    "Survey",
    "SurveyResponse",
    "Workspace",
]
