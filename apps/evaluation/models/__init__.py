"""Star-rating councils: score sheets as data, rounds with their councils, member sheets, recognition decisions."""

from apps.audit.history import history_of

from .decisions import NonRecognition, RecognitionDecision, RecognitionItem
from .rounds import (
    CommunePreCheck,
    ConflictDeclaration,
    CouncilMember,
    EvaluationRound,
    RoundEntry,
    ScoreAnswer,
    ScoreSheet,
)
from .sheets import Criterion, CriterionGroup, Option, SheetPart, SheetTemplate

__all__ = [
    "CommunePreCheck",
    "ConflictDeclaration",
    "CouncilMember",
    "Criterion",
    "CriterionGroup",
    "EvaluationRound",
    "NonRecognition",
    "Option",
    "RecognitionDecision",
    "RecognitionItem",
    "RoundEntry",
    "ScoreAnswer",
    "ScoreSheet",
    "SheetPart",
    "SheetTemplate",
]


# --- Row history (apps/audit/history.py): the event tables live in audit


class EvaluationRoundEvent(history_of(EvaluationRound)):
    pass


class RoundEntryEvent(history_of(RoundEntry)):
    pass


class ScoreSheetEvent(history_of(ScoreSheet)):
    pass


class RecognitionDecisionEvent(history_of(RecognitionDecision)):
    pass
