"""Track where every statement in a news story comes from.

A `Ledger` holds the sources of a story, the propositions they speak to, and
the claims that link them (`merge` joins the ledgers of one story); files
are read and written with `load`, `loads`, `dumps` and `save`; `assess`
gives each proposition its verdict and `explain` traces one; the Admiralty
and ICD 203 scales are `Reliability`, `Credibility` and `Likelihood`.
"""

from __future__ import annotations

from .assess import (
    Assessment,
    Assessments,
    Exclusion,
    Group,
    Rule,
    Shortfall,
    Status,
    Weighed,
    assess,
)
from .errors import LedgerError, PolicyError, Problem, ProvenanceError
from .explain import Explanation, explain
from .files import dumps, load, loads, save
from .grading import Credibility, Likelihood, Rating, Reliability
from .ledger import Ledger, merge
from .lint import lint
from .model import Certainty, Claim, Proposition, Source, SourceKind, Stance
from .policy import Policy
from .report import FormatError, render

__all__ = [
    "Assessment",
    "Assessments",
    "Certainty",
    "Claim",
    "Credibility",
    "Exclusion",
    "Explanation",
    "FormatError",
    "Group",
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
    "Rule",
    "Shortfall",
    "Source",
    "SourceKind",
    "Stance",
    "Status",
    "Weighed",
    "assess",
    "dumps",
    "explain",
    "lint",
    "load",
    "loads",
    "merge",
    "render",
    "save",
]
