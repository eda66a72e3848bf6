"""Star-rating councils: score sheets as data, rounds with their councils, member sheets, recognition decisions."""

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
