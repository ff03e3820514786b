"""Track where every statement in a news story comes from.

A `Ledger` holds the sources of a story, the propositions they speak to, and
the claims that link them; files are read and written with `load`, `loads`,
`dumps` and `save`; the Admiralty and ICD 203 scales are `Reliability`,
`Credibility` and `Likelihood`.
"""

from __future__ import annotations

from .errors import LedgerError, PolicyError, Problem, ProvenanceError
from .grading import Credibility, Likelihood, Rating, Reliability
from .ledger import Ledger
from .model import Certainty, Claim, Proposition, Source, SourceKind, Stance
from .policy import Policy

__all__ = [
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
]
