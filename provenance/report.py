"""The report: established facts kept apart from reported claims, with reasons.

`render` lays out a ledger's `Assessments` for a reader: a title;
a summary (the date the report is as of, the count of each section, the
policy in one line); one section per verdict (Established facts, Reported
claims, Disputed, Refuted, Unsupported; empty ones left out) whose rows say
the statement, who said it and through whom, the Admiralty rating, the ICD
203 likelihood with its probability, what the verdict rests on and what it
still lacks; then the sources.  Claims that do not count (withdrawn,
superseded, said after the as-of date) are marked where they appear.
`render_timeline` lists every claim in date order instead (`timeline`).

Both write any table format tabulate offers, plus ``markdown`` (GitHub
tables), ``html`` (a self-contained page, `provenance._html`) and ``json``
(`report_data`, `timeline_data`).  The terminal formats lay each row out as
a short card whose id is never broken (`provenance._layout`).  Every piece of
ledger text, the title and headings included, goes through the escaping
rules of its format's family (`provenance._text`), so that no text can break
a table, inject markup or reach a terminal raw.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> from provenance.assess import assess
>>> ledger = Ledger.from_objects(
...     [Source("afp", "Agence France-Presse (AFP)", kind="wire", reliability="B"),
...      Source("reuters", "Reuters", kind="wire", reliability="B")],
...     [Proposition("summit", "Putin and Kim met in September 2023."),
...      Proposition("toll", "Ten people died.")],
...     [Claim("summit", "afp", via=["reuters"]), Claim("summit", "reuters"),
...      Claim("toll", "afp", said_on="2024-03-01", withdrawn_on="2024-03-02")],
...     title="Example", as_of="2024-03-28")
>>> print(render(assess(ledger), "simple", width=72))
Example
=======
<BLANKLINE>
As of 2024-03-28: 1 reported, 1 unsupported; 3 claims (1 not counted), 2
sources.
Policy: establish with 2+ independent sources graded C or better; at p
>= 90%; contested by C or better; stake cap 55%; public records count
<BLANKLINE>
Reported claims (1)
-------------------
B2  summit  likely (80%)
  Putin and Kim met in September 2023.
    said by AFP via Reuters; Reuters
    missing: needs 1 more independent source with no stake, graded C or
      better
<BLANKLINE>
Unsupported (1)
---------------
F6  toll  roughly even chance (50%)
  Ten people died.
    said by AFP [withdrawn 2024-03-02, not counted]
    the only claim was withdrawn: no claim counts
    missing: no counted claim asserts it
<BLANKLINE>
Sources (2)
-----------
Id       Grade and source
-------  ----------------------------------
afp      B Agence France-Presse (AFP); wire
reuters  B Reuters; wire
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import enum
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
import tabulate

from . import _json
from ._layout import LINK, NOTE, Cell, Document, Line, Para, Row, Section, Span, plain, tabulated
from ._text import json_safe
from .assess import Assessment, Assessments, Exclusion, Group, Status, Weighed
from .errors import ProvenanceError
from .ledger import Ledger
from .model import Certainty, Source, Stance
from .policy import Policy

__all__ = [
    "Event",
    "EventKind",
    "FormatError",
    "check_format",
    "corrections",
    "exclusion_mark",
    "formats",
    "json_pieces",
    "render",
    "render_timeline",
    "report_data",
    "short_names",
    "timeline",
    "timeline_data",
]

#: Formats of our own, beside tabulate's.
OWN_FORMATS = ("html", "json", "markdown")
#: tabulate formats that are refused: their output does not escape cell text.
REFUSED = {"unsafehtml": "it would pass ledger text into the page unescaped; use 'html'"}
#: A relay chain longer than this is summarised: its first and last relays and a count.
RELAYS_SHOWN = 3
#: The narrowest width the text formats are laid out for.
MIN_WIDTH = 20

#: How a claim that does not count is marked, by the `Exclusion` member's name.
#: A member missing here is marked with its own value.
EXCLUSION_MARKS = {
    "WITHDRAWN": "withdrawn",
    "SAID_AFTER": "said after the as-of date",
    "SUPERSEDED": "superseded",
}


class FormatError(ProvenanceError, ValueError):
    """An output format that `render` does not write."""


def formats() -> tuple[str, ...]:
    """Every format `render` writes: tabulate's (as installed) and our own, sorted."""
    return tuple(sorted((set(tabulate.tabulate_formats) - set(REFUSED)) | set(OWN_FORMATS)))


def check_format(name: str) -> str:
    """Return `name` if `render` writes that format.

    Raises:
        FormatError: It does not; the message suggests the nearest name.
    """
    if name in REFUSED:
        raise FormatError(f"format {name!r} is not offered: {REFUSED[name]}")
    known = formats()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise FormatError(f"unknown format {name!r}{hint}; formats: {', '.join(known)}")
    return name


# -- words shared by the report and the timeline -----------------------------

# "Agence France-Presse (AFP)" and "Foreign Intelligence Service (SVR), press
# bureau" go by their acronym; a closing aside in words is left out.
_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&.\-]{1,9})\)(?:,|$)")
_ASIDE = re.compile(r"\s*\([^()]*[a-z][^()]*\)(?=,|$)")


def _short(name: str) -> str:
    acronym = _ACRONYM.search(name)
    if acronym:
        return acronym.group(1)
    short = _ASIDE.sub("", name).split(", ")[0].strip()
    return short if len(short) >= 2 else name


def short_names(sources: Iterable[Source]) -> dict[str, str]:
    """A short name for each source id, for the lists of who said what.

    A name that ends with an acronym in brackets goes by the acronym
    (``"Korean Central News Agency (KCNA)"``: ``"KCNA"``); otherwise a
    closing aside in brackets and anything after the first comma are left
    out (``"Kremlin (Office of the President of Russia), official website"``:
    ``"Kremlin"``).  Sources whose short names would be the same keep their
    full names.

    >>> short_names([Source("kcna", "Korean Central News Agency (KCNA)")])
    {'kcna': 'KCNA'}
    """
    sources = list(sources)
    short = {source.id: _short(source.name) for source in sources}
    taken: dict[str, int] = {}
    for name in short.values():
        taken[name.casefold()] = taken.get(name.casefold(), 0) + 1
    return {
        source.id: short[source.id] if taken[short[source.id].casefold()] == 1 else source.name
        for source in sources
    }


def _percent(probability: float) -> str:
    """The probability in whole percent, never rounded up to certainty or down to nil."""
    if 0.99 < probability < 1.0:
        return ">99%"
    if 0.0 < probability < 0.01:
        return "<1%"
    return f"{probability:.0%}"


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _as_of(policy: Policy) -> dt.date:
    return policy.as_of or dt.date.today()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def exclusion_mark(w: Weighed) -> str | None:
    """How a claim that does not count is marked (None when it counts), with its date."""
    if w.excluded is None:
        return None
    mark = EXCLUSION_MARKS.get(w.excluded.name, str(w.excluded.value))
    if w.excluded is Exclusion.WITHDRAWN and w.claim.withdrawn_on is not None:
        mark += f" {w.claim.withdrawn_on.isoformat()}"
    elif w.excluded is Exclusion.SAID_AFTER and w.claim.said_on is not None:
        mark = f"said {w.claim.said_on.isoformat()}, after the as-of date"
    return mark


class _Names:
    """Who said a claim and through whom, in short names, with links."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.short = short_names(ledger.sources)
        self._full = {
            source.name: self.short[source.id]
            for source in ledger.sources
            if self.short[source.id] != source.name
        }
        # Longest first, so that a name inside a longer one is not replaced in it.
        longest_first = sorted(self._full, key=len, reverse=True)
        self._names = re.compile("|".join(map(re.escape, longest_first))) if self._full else None

    def shorten(self, text: str) -> str:
        """`text` with every source's full name replaced by its short name."""
        if self._names is None:
            return text
        return self._names.sub(lambda match: self._full[match.group()], text)

    def span(self, source_id: str) -> Span:
        source = self.ledger.source(source_id)
        name = self.short[source_id]
        return Span(name, source.url, title=source.name if name != source.name else None)

    def chain(self, w: Weighed) -> Line:
        """``KCNA via AFP, Le Figaro``; a long chain names its first and last relays."""
        spans = [self.span(w.source.id)]
        via = list(w.claim.via)
        if via:
            spans.append(Span(" via "))
            if len(via) > RELAYS_SHOWN:
                shown = [via[0], via[-1]]
                spans += [self.span(shown[0]), Span(" … "), self.span(shown[1])]
                spans.append(Span(f" ({len(via)} relays)"))
            else:
                for i, relay in enumerate(via):
                    spans += [Span(", ")] * (i > 0) + [self.span(relay)]
        return tuple(spans)


def _claim_marks(w: Weighed) -> Line:
    """``(denies; probable)`` and ``[withdrawn 2024-03-01]`` after a claim's speakers."""
    notes = []
    if w.claim.stance is Stance.DENIES:
        notes.append("denies")
    if w.claim.certainty is not Certainty.CERTAIN:
        notes.append(w.claim.certainty.value)
    spans = []
    if notes:
        mark = "denies" if w.claim.stance is Stance.DENIES else None
        spans.append(Span(f" ({'; '.join(notes)})", mark=mark))
    excluded = exclusion_mark(w)
    if excluded is not None:
        assert w.excluded is not None
        spans.append(
            Span(f" [{excluded}, not counted]", mark=f"excluded {w.excluded.name.lower()}")
        )
    return tuple(spans)


def _corrects(earlier: Weighed) -> Span:
    said = _date(earlier.claim.said_on)
    return Span(f" [corrects its claim of {said}]", mark="corrects")


def _quote(w: Weighed, ledger: Ledger) -> Line:
    if not w.claim.quote:
        return ()
    lang = w.claim.lang or ledger.lang
    return (Span(f": “{w.claim.quote}”" + (f" ({lang})" if lang else ""), mark="quote"),)


def _said_by(a: Assessment, names: _Names, quotes: bool) -> list[Line]:
    """One line per way a claim reached us, identical ones counted once."""
    lines: dict[str, tuple[Line, int]] = {}
    corrected = corrections(a)
    for i, w in enumerate(a.weighed):
        line = names.chain(w) + _claim_marks(w)
        if i in corrected:
            line += (_corrects(corrected[i]),)
        if w.claim.url:
            line += (Span(" "), Span("[link]", w.claim.url, mark=LINK))
        if quotes:
            line += _quote(w, names.ledger)
        key = repr([(span.text, span.url) for span in line])
        _, n = lines.get(key, (line, 0))
        lines[key] = (line, n + 1)
    return [line if n == 1 else (*line, Span(f" ({n} claims)")) for line, n in lines.values()]


def _joined(lines: Sequence[Line], separator: str = "; ") -> Line:
    out: list[Span] = []
    for i, line in enumerate(lines):
        out += [Span(separator)] * (i > 0) + list(line)
    return tuple(out)


def _not_counted(a: Assessment) -> str | None:
    """What the row says about its claims that do not count, if any."""
    excluded = [w for w in a.weighed if w.excluded is not None]
    if not excluded:
        return None
    kinds: dict[str, int] = {}
    for w in excluded:
        assert w.excluded is not None
        word = EXCLUSION_MARKS.get(w.excluded.name, str(w.excluded.value))
        kinds[word] = kinds.get(word, 0) + 1
    if len(excluded) == len(a.weighed):
        if len(kinds) == 1:
            every = "the only claim was" if len(excluded) == 1 else "every claim was"
            return f"{every} {next(iter(kinds))}: no claim counts"
        return "no claim counts: " + ", ".join(f"{n} {word}" for word, n in kinds.items())
    return "not counted: " + ", ".join(f"{n} {word}" for word, n in kinds.items())


# -- the report ----------------------------------------------------------------

PROPOSITION_HEADERS = ("Id", "Statement", "Said by", "Rating", "Likelihood", "Basis")
PROPOSITION_SORT = ("text", "text", "text", "text", "number", "text")
SOURCE_HEADERS = ("Id", "Name", "Kind", "Affiliation", "Reliability")
SOURCE_SORT = ("text", "text", "text", "text", "text")


def _text(text: str, url: str | None = None) -> Cell:
    return ((Span(text, url),),)


def _proposition_row(a: Assessment, names: _Names, quotes: bool) -> tuple[Row, tuple[str, ...]]:
    said = _said_by(a, names, quotes) or [(Span("no claim"),)]
    likelihood = f"{a.likelihood.label} ({_percent(a.probability)})"
    not_counted = _not_counted(a)
    details: list[tuple[str, str, str | None]] = []
    if not_counted is not None:
        details.append(("", not_counted, "excluded"))
    details.append(("basis", a.basis, None))
    if a.missing is not None:
        details.append(("missing", a.missing, "missing"))
    basis_cell = tuple(
        (Span(f"{label}: {text}" if label and label != "basis" else text, mark=mark),)
        for label, text, mark in details
    )
    statement = (Span(a.proposition.text),)
    if a.proposition.note:
        statement_cell: Cell = (statement, (Span(a.proposition.note, mark=NOTE),))
    else:
        statement_cell = (statement,)
    cells = (
        _text(a.proposition.id),
        statement_cell,
        tuple(said),
        _text(str(a.rating)),
        _text(likelihood),
        basis_cell,
    )
    card = [
        Para(
            (Span(str(a.rating)), Span("  "), Span(a.proposition.id)),
            whole=True,
            tail=(Span(f"  {likelihood}"),),
            hang=4,
        ),
        Para(statement, indent=2, hang=2),
        Para((Span("said by "), *_joined(said)), indent=4, hang=6),
    ]
    # A card says what the verdict rests on, or, short of established, what
    # it still lacks; the other formats carry both.
    card += [
        Para((Span(f"{label}: " if label else ""), Span(names.shorten(text))), indent=4, hang=6)
        for label, text, _ in details
        if not (label == "basis" and a.missing is not None)
    ]
    speakers = dict.fromkeys(s for w in a.weighed for s in w.claim.speakers())
    row = Row(
        cells=cells,
        card=tuple(card),
        data=(("status", a.status.value), ("sources", " ".join(speakers))),
    )
    rating_key = f"{a.credibility.value}{a.rating}"
    keys = (
        a.proposition.id,
        a.proposition.text,
        plain(said[0]),
        rating_key,
        f"{a.probability}",
        a.basis,
    )
    return row, keys


def _source_row(source: Source) -> tuple[Row, tuple[str, ...]]:
    label = f"{source.reliability.value} ({source.reliability.label})"
    name: Cell = ((Span(source.name, source.url),),)
    if source.note:
        name += ((Span(source.note, mark=NOTE),),)
    about = ", ".join(filter(None, (source.kind.value, source.affiliation)))
    row = Row(
        cells=(
            _text(source.id),
            name,
            _text(source.kind.value),
            _text(source.affiliation or ""),
            _text(label),
        ),
        left=(_text(source.id),),
        card=(
            Para(
                (Span(source.reliability.value), Span(" "), Span(source.name), Span(f"; {about}")),
                hang=2,
            ),
        ),
        data=(("kind", source.kind.value),),
    )
    keys = (source.id, source.name, source.kind.value, source.affiliation or "", label)
    return row, keys


def _summary(assessments: Assessments) -> tuple[str, ...]:
    ledger = assessments.ledger
    counts = ", ".join(
        f"{len(assessments.by_status(s))} {s.value}" for s in Status if assessments.by_status(s)
    )
    claims = [w for a in assessments for w in a.weighed]
    not_counted = sum(1 for w in claims if not w.counted)
    uncounted = f" ({not_counted} not counted)" if not_counted else ""
    return (
        f"As of {_as_of(assessments.policy).isoformat()}: {counts or 'no proposition'};"
        f" {_plural(len(claims), 'claim')}{uncounted}, {_plural(len(ledger.sources), 'source')}.",
        f"Policy: {assessments.policy.summary()}",
    )


def _choices(names: _Names) -> tuple[tuple[str, str], ...]:
    return tuple(
        (s.id, s.name if names.short[s.id] == s.name else f"{names.short[s.id]}: {s.name}")
        for s in names.ledger.sources
    )


def _ledger_links(ledger: Ledger) -> tuple[Span, ...]:
    return (Span("Source of the ledger", ledger.url),) if ledger.url else ()


def _report(assessments: Assessments, quotes: bool) -> Document:
    ledger = assessments.ledger
    names = _Names(ledger)
    sections = []
    for status in Status:
        found = assessments.by_status(status)
        if found:
            built = [_proposition_row(a, names, quotes) for a in found]
            sections.append(
                Section(
                    name=status.value,
                    heading=f"{status.section} ({len(found)})",
                    headers=PROPOSITION_HEADERS,
                    rows=tuple(row for row, _ in built),
                    wide="Rating, proposition and likelihood",
                    sort=PROPOSITION_SORT,
                    keys=tuple(keys for _, keys in built),
                )
            )
    if ledger.sources:
        built = [_source_row(s) for s in ledger.sources]
        sections.append(
            Section(
                name="sources",
                heading=f"Sources ({len(ledger.sources)})",
                headers=SOURCE_HEADERS,
                rows=tuple(row for row, _ in built),
                left=("Id",),
                left_widths=(0,),
                wide="Grade and source",
                sort=SOURCE_SORT,
                keys=tuple(keys for _, keys in built),
            )
        )
    return Document(
        title=ledger.title or "Untitled ledger",
        summary=_summary(assessments),
        sections=tuple(sections),
        links=_ledger_links(ledger),
        choices=_choices(names),
    )


def render(
    assessments: Assessments,
    format: str = "simple",
    *,
    quotes: bool = False,
    width: int | None = None,
) -> str:
    """The report on `assessments` in one output format.

    Args:
        assessments: What `provenance.assess` returned; its policy is the
            one shown, and its ``as_of`` (else today) the report's date.
        format: A tabulate ``tablefmt`` (`formats` lists them), or
            ``markdown``, ``html`` or ``json``.
        quotes: Add each claim's words in their original language.
        width: Wrap long text so that tables fit this many columns, in the
            formats that can hold a cell on several lines; by default the
            terminal's width.  Ids are never broken: a terminal narrower
            than the longest id gets lines as wide as that id.

    Returns:
        The report, without a final line break.

    Raises:
        FormatError: `format` is not one `render` writes.
    """
    check_format(format)
    if format == "json":
        return "".join(json_pieces(assessments))
    document = _report(assessments, quotes)
    return _render(document, format, width, "report")


def _render(document: Document, format: str, width: int | None, kind: str) -> str:
    if format == "html":
        from ._html import page  # only for html: the page's style and script are large

        return page(document, kind)
    if width is None:
        width = shutil.get_terminal_size().columns
    return tabulated(document, format, max(width, MIN_WIDTH))


# -- the timeline ----------------------------------------------------------------


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


def corrections(a: Assessment) -> dict[int, Weighed]:
    """Which claims correct an earlier one, by their position in ``a.weighed``.

    A counted, dated claim corrects the latest claim its source made earlier
    on the same proposition that no longer counts because it was taken back
    or replaced (any reason but being said after the as-of date).
    """
    earlier: dict[str, list[tuple[dt.date, int]]] = {}
    for i, w in enumerate(a.weighed):
        if w.excluded not in (None, Exclusion.SAID_AFTER) and w.claim.said_on is not None:
            earlier.setdefault(w.claim.source, []).append((w.claim.said_on, i))
    found: dict[int, Weighed] = {}
    if not earlier:
        return found
    for dates in earlier.values():
        dates.sort()
    for i, w in enumerate(a.weighed):
        said = w.claim.said_on
        if w.excluded is None and said is not None and w.claim.source in earlier:
            dates = earlier[w.claim.source]
            before = bisect.bisect_left(dates, (said, -1))
            if before:
                found[i] = a.weighed[dates[before - 1][1]]
    return found


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
        spans.append(_corrects(event.corrects))
    if w.claim.url:
        spans += [Span(" "), Span("[link]", w.claim.url, mark=LINK)]
    return tuple(spans)


def _event_row(event: Event, names: _Names, quotes: bool) -> tuple[Row, tuple[str, ...]]:
    w = event.weighed
    date = _date(event.on) or "undated"
    who = names.chain(w)
    says = _says(event)
    if quotes and event.kind is EventKind.SAID:
        says += _quote(w, names.ledger)
    proposition = event.assessment.proposition
    statement: Cell = ((Span(proposition.text),),)
    if event.kind is EventKind.SAID and w.claim.note:
        statement += ((Span(w.claim.note, mark=NOTE),),)
    row = Row(
        cells=(_text(date), (who,), (says,), _text(proposition.id), statement),
        left=(_text(date),),
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
    names = _Names(ledger)
    events = timeline(assessments)
    built = [_event_row(event, names, quotes) for event in events]
    dated = sum(1 for event in events if event.on is not None)
    withdrawals = sum(1 for event in events if event.kind is EventKind.WITHDRAWN)
    summary = (
        f"As of {_as_of(assessments.policy).isoformat()}."
        f" {_plural(len(events) - withdrawals, 'claim')} and {_plural(withdrawals, 'withdrawal')}"
        f" on {_plural(len(assessments), 'proposition')};"
        f" {len(events) - dated} undated, listed last.",
    )
    section = Section(
        name="timeline",
        heading=f"Timeline ({_plural(len(events), 'event')})",
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
        links=_ledger_links(ledger),
        choices=_choices(names),
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


# -- json ------------------------------------------------------------------------


def report_data(assessments: Assessments) -> dict[str, Any]:
    """The report as plain data, the ``json`` format's content.

    Keys never change meaning and are always present (null when a value is
    absent); texts are carried verbatim.  ``docs/report.md`` lists every
    key; in short:

    Top level:
        ``title``, ``url`` (the ledger's), ``as_of``, ``counts`` (status to
        number of propositions), ``policy``, ``propositions``, ``sources``.

    Each proposition:
        ``id``, ``text``, ``about``, ``note``, ``status``, ``section``,
        ``probability``, ``likelihood``, ``credibility``, ``rating``,
        ``basis``, ``missing``, ``support``, ``oppose``, ``claims``.

    Each claim:
        ``source``, ``via``, ``stance``, ``certainty``, ``said_on``,
        ``withdrawn_on``, ``quote``, ``lang``, ``credence``, ``url``,
        ``note``, ``probability``, ``stake``, ``counted``, ``excluded``
        (why it does not count, as a word, or null), ``reason``.

    Each source:
        ``id``, ``name``, ``short_name``, ``kind``, ``affiliation``,
        ``reliability``, ``reliability_label``, ``depends_on``, ``url``,
        ``note``.
    """
    ledger = assessments.ledger
    short = short_names(ledger.sources)
    return {
        **_report_head(assessments),
        "propositions": [_proposition_data(a, ledger) for a in assessments],
        "sources": [_source_data(source, short[source.id]) for source in ledger.sources],
    }


def json_pieces(assessments: Assessments) -> Iterator[str]:
    """The ``json`` report in pieces, made one proposition at a time.

    Joined, the pieces are what `render` returns: `report_data` written as
    ``json.dumps(..., ensure_ascii=False, indent=2)`` writes it, with hidden
    characters escaped (`provenance._text.json_safe`).  A caller that
    writes each piece as it comes never holds the whole report, as data or
    as text.
    """
    ledger = assessments.ledger
    head = _report_head(assessments)
    yield json_safe(
        "{\n" + "".join(f'  "{key}": {_json.dumps(value, "  ")},\n' for key, value in head.items())
    )
    yield from _json_list("propositions", (_proposition_data(a, ledger) for a in assessments))
    yield ",\n"
    short = short_names(ledger.sources)
    sources = (_source_data(source, short[source.id]) for source in ledger.sources)
    yield from _json_list("sources", sources)
    yield "\n}"


def _json_list(key: str, items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The key and list of a top-level entry of an indented JSON object, an item at a time."""
    empty = True
    for item in items:
        yield f'  "{key}": [\n    ' if empty else ",\n    "
        yield json_safe(_json.dumps(item, "    "))
        empty = False
    yield f'  "{key}": []' if empty else "\n  ]"


def _report_head(assessments: Assessments) -> dict[str, Any]:
    """The top-level entries of `report_data` that come before its lists."""
    ledger = assessments.ledger
    policy = assessments.policy
    return {
        "title": ledger.title,
        "url": ledger.url,
        "as_of": _as_of(policy).isoformat(),
        "counts": {status.value: len(assessments.by_status(status)) for status in Status},
        "policy": _policy_data(policy),
    }


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
        "as_of": _as_of(assessments.policy).isoformat(),
        "events": [
            {
                "date": _date(event.on),
                "event": event.kind.value,
                "proposition": event.assessment.proposition.id,
                "text": event.assessment.proposition.text,
                "status": event.assessment.status.value,
                "claim": _claim_data(event.weighed, ledger),
                "corrects": None if event.corrects is None else _date(event.corrects.claim.said_on),
            }
            for event in timeline(assessments)
        ],
    }


def _policy_data(policy: Policy) -> dict[str, Any]:
    return {
        "summary": policy.summary(),
        "prior": policy.prior,
        "min_independent": policy.min_independent,
        "min_reliability": policy.min_reliability.value,
        "contest_reliability": policy.contest_reliability.value,
        "establish_at": policy.establish_at,
        "stake_cap": policy.stake_cap,
        "public_record": policy.public_record,
        "reliability_p": {grade.value: p for grade, p in policy.reliability_p.items()},
        "hedging": {certainty.value: share for certainty, share in policy.hedging.items()},
    }


def _group_data(group: Group) -> dict[str, Any]:
    return {
        "label": group.label,
        "sources": list(dict.fromkeys(w.source.id for w in group.members)),
        "probability": group.p,
        "best": None if group.best is None else group.best.value,
        "stake": group.stake,
        "qualified": group.qualified,
        "contesting": group.contesting,
        "links": list(group.links),
    }


def _claim_data(w: Weighed, ledger: Ledger) -> dict[str, Any]:
    claim = w.claim
    return {
        "source": claim.source,
        "via": list(claim.via),
        "stance": claim.stance.value,
        "certainty": claim.certainty.value,
        "said_on": _date(claim.said_on),
        "withdrawn_on": _date(claim.withdrawn_on),
        "quote": claim.quote,
        "lang": (claim.lang or ledger.lang) if claim.quote else claim.lang,
        "credence": claim.credence,
        "url": claim.url,
        "note": claim.note,
        "probability": w.p,
        "stake": w.stake,
        "counted": w.counted,
        "excluded": None if w.excluded is None else w.excluded.name.lower(),
        "reason": w.reason,
    }


def _proposition_data(a: Assessment, ledger: Ledger) -> dict[str, Any]:
    return {
        "id": a.proposition.id,
        "text": a.proposition.text,
        "about": list(a.proposition.about),
        "note": a.proposition.note,
        "status": a.status.value,
        "section": a.status.section,
        "probability": a.probability,
        "likelihood": a.likelihood.label,
        "credibility": int(a.credibility),
        "rating": str(a.rating),
        "basis": a.basis,
        "missing": a.missing,
        "support": [_group_data(g) for g in a.support],
        "oppose": [_group_data(g) for g in a.oppose],
        "claims": [_claim_data(w, ledger) for w in a.weighed],
    }


def _source_data(source: Source, short: str) -> dict[str, Any]:
    return {
        "id": source.id,
        "name": source.name,
        "short_name": short,
        "kind": source.kind.value,
        "affiliation": source.affiliation,
        "reliability": source.reliability.value,
        "reliability_label": source.reliability.label,
        "depends_on": list(source.depends_on),
        "url": source.url,
        "note": source.note,
    }
