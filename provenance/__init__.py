"""Track where every statement in a news story comes from.

A `Ledger` holds the sources of a story, the propositions they speak to, and
the claims that link them; files are read and written with `load`, `loads`,
`dumps` and `save`; the Admiralty and ICD 203 scales are `Reliability`,
`Credibility` and `Likelihood`.
"""

from __future__ import annotations

from .assess import Assessment, Assessments, Status, assess
from .errors import LedgerError, PolicyError, Problem, ProvenanceError
from .explain import explain
from .files import dumps, load, loads, save
from .grading import Credibility, Likelihood, Rating, Reliability
from .ledger import Ledger
from .model import Certainty, Claim, Proposition, Source, SourceKind, Stance
from .policy import Policy
from .report import render

__all__ = [
    "Assessment",
    "Assessments",
    "Certainty",
    "Claim",
    "Credibility",
    "Ledger",
    "LedgerError",
    "Likelihood",
    "Policy",
    "PolicyError",
    "Problem",
    "Proposition",
    "ProvenanceError",
    "Rating",
    "Reliability",
    "Source",
    "SourceKind",
    "Stance",
    "Status",
    "assess",
    "dumps",
    "explain",
    "load",
    "loads",
    "render",
    "save",
]
