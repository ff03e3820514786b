"""The timeline: every claim of a ledger in date order.

Who said what, through whom, on which day; withdrawals on their own dates
and corrections marked; undated claims last.  `render_timeline` writes it in
every format `provenance.report.render` writes; `timeline_data` is its
``json``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from . import _json
from ._layout import LINK, NOTE, Cell, Document, Line, Para, Row, Section, Span, plain
from ._text import json_safe
from ._words import (
    Names,
    as_of_date,
    corrections,
    corrects_mark,
    exclusion_mark,
    iso_date,
    ledger_links,
    plural,
    quote_line,
    source_choices,
    text_cell,
)
from .assess import Assessment, Assessments, Weighed
from .model import Certainty, Stance
from .report import _claim_data, _render, check_format

__all__ = ["Event", "EventKind", "render_timeline", "timeline", "timeline_data"]


class EventKind(enum.StrEnum):
    """What happened on a timeline's date."""

    SAID = "said"
    WITHDRAWN = "withdrawn"


@attrs.frozen
class Event:
    """One entry of the timeline: a claim made, or a claim taken back.

    Attributes:
        on: The date (the claim's ``said_on``, or its ``withdrawn_on`` for a
            withdrawal); None: undated.
        kind: What happened.
        weighed: The claim, as the assessment saw it.
        assessment: The verdict on the proposition it bears on.
        corrects: For a claim that takes the place of an earlier one of its
            source on the same proposition that no longer counts (withdrawn
            or superseded), that claim.
    """

    on: dt.date | None
    kind: EventKind
    weighed: Weighed
    assessment: Assessment
    corrects: Weighed | None = None


def timeline(assessments: Assessments) -> tuple[Event, ...]:
    """Every claim in date order, and every withdrawal on its own date.

    Claims said on the same day keep ledger order; a withdrawal follows
    what was said on its day; undated claims come last.

    >>> from provenance import Claim, Ledger, Proposition, Source, assess
    >>> ledger = Ledger.from_objects(
    ...     [Source("kcna", "KCNA")], [Proposition("toll", "Ten died.")],
    ...     [Claim("toll", "kcna", said_on="2024-03-02", withdrawn_on="2024-03-05"),
    ...      Claim("toll", "kcna", certainty="probable"),
    ...      Claim("toll", "kcna", said_on="2024-03-01")])
    >>> [(e.on and e.on.isoformat(), e.kind.value) for e in timeline(assess(ledger))]
    [('2024-03-01', 'said'), ('2024-03-02', 'said'), ('2024-03-05', 'withdrawn'), (None, 'said')]
    """
    events: list[tuple[tuple[int, dt.date, int, int], Event]] = []
    order = 0
    for a in assessments:
        corrected = corrections(a)
        for i, w in enumerate(a.weighed):
            corrects = corrected.get(i)
            events.append(
                (
                    _when(w.claim.said_on, 0, order),
                    Event(w.claim.said_on, EventKind.SAID, w, a, corrects),
                )
            )
            if w.claim.withdrawn_on is not None:
                when = _when(w.claim.withdrawn_on, 1, order)
                events.append((when, Event(w.claim.withdrawn_on, EventKind.WITHDRAWN, w, a)))
            order += 1
    return tuple(event for _, event in sorted(events, key=lambda pair: pair[0]))


def _when(on: dt.date | None, kind: int, order: int) -> tuple[int, dt.date, int, int]:
    return (on is None, on or dt.date.min, kind, order)


TIMELINE_HEADERS = ("Date", "Said by", "Says", "Proposition", "Statement")
TIMELINE_SORT = ("text", "text", "text", "text", "text")


def _says(event: Event) -> Line:
    w = event.weighed
    if event.kind is EventKind.WITHDRAWN:
        said = w.claim.said_on.isoformat() if w.claim.said_on else "undated"
        return (Span(f"withdraws its claim ({said})", mark="withdrawn"),)
    words = [w.claim.stance.value]
    if w.claim.certainty is not Certainty.CERTAIN:
        words.append(w.claim.certainty.value)
    spans = [Span(", ".join(words), mark="denies" if w.claim.stance is Stance.DENIES else None)]
    excluded = exclusion_mark(w)
    if excluded is not None:
        assert w.excluded is not None
        spans.append(
            Span(f" [{excluded}, not counted]", mark=f"excluded {w.excluded.name.lower()}")
        )
    if event.corrects is not None:
        spans.append(corrects_mark(event.corrects))
    if w.claim.url:
        spans += [Span(" "), Span("[link]", w.claim.url, mark=LINK)]
    return tuple(spans)


def _event_row(event: Event, names: Names, quotes: bool) -> tuple[Row, tuple[str, ...]]:
    w = event.weighed
    date = iso_date(event.on) or "undated"
    who = names.chain(w)
    says = _says(event)
    if quotes and event.kind is EventKind.SAID:
        says += quote_line(w, names.ledger)
    proposition = event.assessment.proposition
    statement: Cell = ((Span(proposition.text),),)
    if event.kind is EventKind.SAID and w.claim.note:
        statement += ((Span(w.claim.note, mark=NOTE),),)
    row = Row(
        cells=(text_cell(date), (who,), (says,), text_cell(proposition.id), statement),
        left=(text_cell(date),),
        card=(
            Para((*who, Span(" "), *says), hang=2),
            Para((Span(proposition.id),), indent=2, whole=True),
            Para((Span(proposition.text),), indent=2, hang=2),
        ),
        data=(
            ("status", event.assessment.status.value),
            ("sources", " ".join(w.claim.speakers())),
        ),
    )
    keys = (f"{event.on is None}{date}", plain(who), plain(says), proposition.id, proposition.text)
    return row, keys


def _timeline(assessments: Assessments, quotes: bool) -> Document:
    ledger = assessments.ledger
    names = Names(ledger)
    events = timeline(assessments)
    built = [_event_row(event, names, quotes) for event in events]
    dated = sum(1 for event in events if event.on is not None)
    withdrawals = sum(1 for event in events if event.kind is EventKind.WITHDRAWN)
    summary = (
        f"As of {as_of_date(assessments.policy).isoformat()}."
        f" {plural(len(events) - withdrawals, 'claim')} and {plural(withdrawals, 'withdrawal')}"
        f" on {plural(len(assessments), 'proposition')};"
        f" {len(events) - dated} undated, listed last.",
    )
    section = Section(
        name="timeline",
        heading=f"Timeline ({plural(len(events), 'event')})",
        headers=TIMELINE_HEADERS,
        rows=tuple(row for row, _ in built),
        left=("Date",),
        left_widths=(0,),
        wide="Who said what",
        sort=TIMELINE_SORT,
        keys=tuple(keys for _, keys in built),
    )
    return Document(
        title=f"{ledger.title or 'Untitled ledger'}: timeline",
        summary=summary,
        sections=(section,) if events else (),
        links=ledger_links(ledger),
        choices=source_choices(names),
    )


def render_timeline(
    assessments: Assessments,
    format: str = "simple",
    *,
    quotes: bool = False,
    width: int | None = None,
) -> str:
    """The timeline of `assessments` (`timeline`) in one output format.

    Args:
        assessments: What `provenance.assess` returned.
        format: Any format `render` writes.
        quotes: Add each claim's words in their original language.
        width: As for `render`.

    Returns:
        The timeline, without a final line break.

    Raises:
        FormatError: `format` is not one `render` writes.
    """
    check_format(format)
    if format == "json":
        return json_safe(_json.dumps(timeline_data(assessments)))
    return _render(_timeline(assessments, quotes), format, width, "timeline")


def timeline_data(assessments: Assessments) -> dict[str, Any]:
    """The timeline as plain data, `render_timeline`'s ``json`` content.

    Top level: ``title``, ``url``, ``as_of`` and ``events`` in date order,
    undated last.  Each event: ``date`` (ISO date or null), ``event``
    (``said`` or ``withdrawn``), ``proposition`` (its id), ``text``,
    ``status`` (the proposition's verdict), ``claim`` (as in
    `report_data`), ``corrects`` (the ``said_on`` of the earlier claim it
    takes the place of, or null).
    """
    ledger = assessments.ledger
    return {
        "title": ledger.title,
        "url": ledger.url,
        "as_of": as_of_date(assessments.policy).isoformat(),
        "events": [
            {
                "date": iso_date(event.on),
                "event": event.kind.value,
                "proposition": event.assessment.proposition.id,
                "text": event.assessment.proposition.text,
                "status": event.assessment.status.value,
                "claim": _claim_data(event.weighed, ledger),
                "corrects": None
                if event.corrects is None
                else iso_date(event.corrects.claim.said_on),
            }
            for event in timeline(assessments)
        ],
    }
