"""The sources' track records and the suspected copies, as a report.

What `provenance sources` prints: for each source the grade it was given,
the grade its record suggests and its accuracy with an interval, then the
pairs of sources suspected of copying with the evidence in words
(`provenance.evidence`).  Every format `provenance.report.render` writes.
"""

from __future__ import annotations

from typing import Any

from . import _json
from ._layout import Document, Para, Row, Section, Span
from ._text import json_safe
from ._words import as_of_date, text_cell
from .evidence import Copying, Evidence, TrackRecord
from .ledger import Ledger
from .policy import Policy
from .report import _policy_data, _render, check_format

__all__ = ["render_sources", "sources_data"]


TRACK_HEADERS = (
    "Id",
    "Name",
    "Grade given",
    "Record suggests",
    "Right/settled",
    "Accuracy",
    "Claims",
)
TRACK_SORT = ("text", "text", "text", "text", "text", "number", "number")
COPY_HEADERS = ("Likely copier", "Likely origin", "Agree", "Expected", "Tail", "Evidence")
COPY_SORT = ("text", "text", "text", "text", "number", "text")


def _track_row(record: TrackRecord) -> tuple[Row, tuple[str, ...]]:
    low, high = record.interval
    accuracy = f"{record.accuracy:.2f} ({low:.2f}-{high:.2f})"
    settled = f"{record.right}/{record.settled}"
    cells = (
        record.source.id,
        record.source.name,
        record.given.value,
        record.suggested.value,
        settled,
        accuracy,
        str(record.claims),
    )
    row = Row(
        cells=tuple(text_cell(cell) for cell in cells),
        left=(text_cell(record.source.id),),
        card=(
            Para((Span(record.source.name),), hang=2),
            Para(
                (
                    Span(
                        f"grade given {record.given.value}, record suggests"
                        f" {record.suggested.value}; right {settled} settled;"
                        f" accuracy {accuracy}; {record.claims} claims"
                    ),
                ),
                indent=2,
                hang=2,
            ),
        ),
    )
    keys = (*cells[:5], f"{record.accuracy:.6f}", f"{record.claims:09d}")
    return row, keys


def _copy_row(pair: Copying) -> tuple[Row, tuple[str, ...]]:
    origin = pair.origin
    cells = (
        pair.source.name if origin else f"{pair.source.name} (or the other)",
        origin.name if origin else pair.other.name,
        f"{pair.agreed} of {pair.shared}",
        f"about {round(pair.expected * pair.shared)}",
        f"{pair.tail:.1e}",
        pair.words,
    )
    row = Row(
        cells=tuple(text_cell(cell) for cell in cells),
        left=(text_cell(cells[0]),),
        card=(
            Para((Span(f"likely copies {cells[1]}"),), hang=2),
            Para((Span(pair.words),), indent=2, hang=2),
        ),
    )
    keys = (*cells[:4], f"{pair.tail:.6e}", pair.words)
    return row, keys


def _section(
    name: str,
    heading: str,
    headers: tuple[str, ...],
    sort: tuple[str, ...],
    built: list[Any],
    wide: str,
) -> Section:
    return Section(
        name=name,
        heading=heading,
        headers=headers,
        rows=tuple(row for row, _ in built),
        left=(headers[0],),
        left_widths=(0,),
        wide=wide,
        sort=sort,
        keys=tuple(keys for _, keys in built),
    )


def render_sources(
    ledger: Ledger,
    evidence: Evidence,
    policy: Policy,
    format: str = "simple",
    *,
    width: int | None = None,
) -> str:
    """Each source's track record and the suspected copies, in one output format.

    Args:
        ledger: The ledger.
        evidence: Its ledger-wide evidence (`provenance.evidence.settle`).
        policy: The policy it was estimated under (shown at the top).
        format: As for `render`.
        width: As for `render`.

    Returns:
        The tables, without a final line break; ``json`` gives
        `sources_data`.

    Raises:
        FormatError: `format` is not one `render` writes.
    """
    check_format(format)
    if format == "json":
        data = sources_data(ledger, evidence, policy)
        return json_safe(_json.dumps(data))
    records = [_track_row(evidence.records[s.id]) for s in ledger.sources]
    pairs = [_copy_row(pair) for pair in evidence.pairs]
    sections = [
        _section(
            "track-records",
            f"Track records ({len(records)})",
            TRACK_HEADERS,
            TRACK_SORT,
            records,
            wide="Track record",
        ),
        _section(
            "copies",
            f"Suspected copies ({len(pairs)})",
            COPY_HEADERS,
            COPY_SORT,
            pairs,
            wide="Evidence",
        ),
    ]
    document = Document(
        title=(ledger.title or "Untitled ledger") + ": sources",
        summary=(
            f"As of {as_of_date(policy).isoformat()}: {len(records)} sources,"
            f" {len(pairs)} suspected {'copy' if len(pairs) == 1 else 'copies'}.",
            f"Policy: {policy.summary()}",
        ),
        sections=tuple(s for s in sections if s.rows),
    )
    return _render(document, format, width, "sources")


def sources_data(ledger: Ledger, evidence: Evidence, policy: Policy) -> dict[str, Any]:
    """The sources' track records and suspected copies as plain data (``json``).

    Keys are always present (see docs/evidence.md): ``title``, ``as_of``,
    ``policy`` (as in `report_data`, plus ``infer_copying``,
    ``learn_reliability``, ``copy_min_shared``, ``copy_alpha``,
    ``copy_alpha_led``, ``copy_lead_habits``, ``prior_weight``,
    ``evidence_rounds``), ``sources`` (ledger order: ``id``,
    ``name``, ``given``, ``suggested``, ``claims``, ``settled``, ``right``,
    ``wrong``, ``accuracy``, ``interval`` [low, high]) and ``copies`` (by
    ids: ``source``, ``other``, ``origin`` (id or null), ``shared``,
    ``agreed``, ``expected`` (probability of agreement), ``tail``,
    ``earlier``, ``later``, ``led``, ``words``).
    """
    sources = []
    for source in ledger.sources:
        r = evidence.records[source.id]
        sources.append(
            {
                "id": source.id,
                "name": source.name,
                "given": r.given.value,
                "suggested": r.suggested.value,
                "claims": r.claims,
                "settled": r.settled,
                "right": r.right,
                "wrong": r.wrong,
                "accuracy": r.accuracy,
                "interval": list(r.interval),
            }
        )
    copies = [
        {
            "source": pair.source.id,
            "other": pair.other.id,
            "origin": None if pair.origin is None else pair.origin.id,
            "shared": pair.shared,
            "agreed": pair.agreed,
            "expected": pair.expected,
            "tail": pair.tail,
            "earlier": pair.earlier,
            "later": pair.later,
            "led": pair.led,
            "words": pair.words,
        }
        for pair in evidence.pairs
    ]
    return {
        "title": ledger.title,
        "as_of": as_of_date(policy).isoformat(),
        "policy": {
            **_policy_data(policy),
            "infer_copying": policy.infer_copying,
            "learn_reliability": policy.learn_reliability,
            "copy_min_shared": policy.copy_min_shared,
            "copy_alpha": policy.copy_alpha,
            "copy_alpha_led": policy.copy_alpha_led,
            "copy_lead_habits": policy.copy_lead_habits,
            "prior_weight": policy.prior_weight,
            "evidence_rounds": policy.evidence_rounds,
        },
        "sources": sources,
        "copies": copies,
    }
