"""The report: established facts kept apart from reported claims, with reasons.

`render` lays out a ledger's `Assessments` for a reader: a title;
a summary (the date the report is as of, the count of each section, the
policy in one line); one section per verdict (Established facts, Reported
claims, Disputed, Refuted, Unsupported; empty ones left out) whose rows say
the statement, who said it and through whom, the Admiralty rating, the ICD
203 likelihood with its probability, what the verdict rests on and what it
still lacks; then the sources.  Claims that do not count (withdrawn,
superseded, said after the as-of date) are marked where they appear.
`provenance.timeline` lists every claim in date order instead.

Both write any table format tabulate offers, plus ``markdown`` (GitHub
tables), ``html`` (a self-contained page, `provenance._html`) and ``json``
(`report_data`).  The terminal formats lay each row out as
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

import difflib
import shutil
from collections.abc import Iterable, Iterator
from typing import Any

import tabulate

from . import _json
from ._layout import NOTE, Cell, Document, Para, Row, Section, Span, plain, tabulated
from ._text import json_safe
from ._words import (
    Names,
    as_of_date,
    iso_date,
    joined,
    ledger_links,
    not_counted,
    percent,
    plural,
    said_by,
    short_names,
    source_choices,
    text_cell,
)
from .assess import Assessment, Assessments, Group, Status, Weighed
from .errors import ProvenanceError
from .ledger import Ledger
from .model import Source
from .policy import Policy

__all__ = [
    "FormatError",
    "check_format",
    "formats",
    "json_pieces",
    "render",
    "report_data",
]

#: Formats of our own, beside tabulate's.
OWN_FORMATS = ("html", "json", "markdown")
#: tabulate formats that are refused: their output does not escape cell text.
REFUSED = {"unsafehtml": "it would pass ledger text into the page unescaped; use 'html'"}
#: The narrowest width the text formats are laid out for.
MIN_WIDTH = 20


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


# -- the report ----------------------------------------------------------------

PROPOSITION_HEADERS = ("Id", "Statement", "Said by", "Rating", "Likelihood", "Basis")
PROPOSITION_SORT = ("text", "text", "text", "text", "number", "text")
SOURCE_HEADERS = ("Id", "Name", "Kind", "Affiliation", "Reliability")
SOURCE_SORT = ("text", "text", "text", "text", "text")


def _proposition_row(a: Assessment, names: Names, quotes: bool) -> tuple[Row, tuple[str, ...]]:
    said = said_by(a, names, quotes) or [(Span("no claim"),)]
    likelihood = f"{a.likelihood.label} ({percent(a.probability)})"
    uncounted = not_counted(a)
    details: list[tuple[str, str, str | None]] = []
    if uncounted is not None:
        details.append(("", uncounted, "excluded"))
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
        text_cell(a.proposition.id),
        statement_cell,
        tuple(said),
        text_cell(str(a.rating)),
        text_cell(likelihood),
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
        Para((Span("said by "), *joined(said)), indent=4, hang=6),
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
            text_cell(source.id),
            name,
            text_cell(source.kind.value),
            text_cell(source.affiliation or ""),
            text_cell(label),
        ),
        left=(text_cell(source.id),),
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
        f"As of {as_of_date(assessments.policy).isoformat()}: {counts or 'no proposition'};"
        f" {plural(len(claims), 'claim')}{uncounted}, {plural(len(ledger.sources), 'source')}.",
        f"Policy: {assessments.policy.summary()}",
    )


def _report(assessments: Assessments, quotes: bool) -> Document:
    ledger = assessments.ledger
    names = Names(ledger)
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
        links=ledger_links(ledger),
        choices=source_choices(names),
    )


def render(
    assessments: Assessments,
    format: str = "simple",
    *,
    quotes: bool = False,
    width: int | None = None,
    graph: bool = False,
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
        graph: In the ``html`` format, add the graph of who said what
            through whom, drawn by Graphviz's ``dot`` where it is installed
            (left out where it is not).

    Returns:
        The report, without a final line break.

    Raises:
        FormatError: `format` is not one `render` writes.
        GraphvizError: Graphviz is installed but fails to draw the graph.
    """
    check_format(format)
    if format == "json":
        return "".join(json_pieces(assessments))
    document = _report(assessments, quotes)
    figure = None
    if graph and format == "html":
        from .interop.graph import svg

        figure = svg(assessments.ledger, assessments)
    return _render(document, format, width, "report", figure)


def _render(
    document: Document, format: str, width: int | None, kind: str, figure: str | None = None
) -> str:
    if format == "html":
        from ._html import page  # only for html: the page's style and script are large

        return page(document, kind, figure)
    if width is None:
        width = shutil.get_terminal_size().columns
    return tabulated(document, format, max(width, MIN_WIDTH))


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
        "as_of": as_of_date(policy).isoformat(),
        "counts": {status.value: len(assessments.by_status(status)) for status in Status},
        "policy": _policy_data(policy),
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
        "said_on": iso_date(claim.said_on),
        "withdrawn_on": iso_date(claim.withdrawn_on),
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
