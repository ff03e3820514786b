"""The report: established facts kept apart from reported claims, with reasons.

`render` lays out a ledger's `Assessments` as design.md describes: a title
with the date the report is as of and the policy it applies; then one
section per verdict (Established facts, Reported claims, Disputed, Refuted,
Unsupported; empty ones left out) whose rows say the statement, who said it
and through whom, the Admiralty rating, the ICD 203 likelihood with its
probability, and what the verdict rests on or still lacks; then the sources.
It writes any table format tabulate offers, plus ``markdown`` (GitHub
tables), ``html`` (a complete page) and ``json`` (`report_data`).

Every piece of ledger text, the title and headings included, goes through
the escaping rules of its format's family (`provenance._text`), so that no
text can break a table, inject markup or reach a terminal raw.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> from provenance.assess import assess
>>> ledger = Ledger.from_objects(
...     [Source("afp", "AFP", kind="wire", reliability="B"),
...      Source("reuters", "Reuters", kind="wire", reliability="B")],
...     [Proposition("summit", "Putin and Kim met in September 2023.")],
...     [Claim("summit", "afp"), Claim("summit", "reuters")],
...     title="Example", as_of="2024-03-28")
>>> print(render(assess(ledger), "simple", width=72))
Example
=======
<BLANKLINE>
As of 2024-03-28.
Policy: establish with 2+ independent sources graded C or better; at p
>= 90%; contested by C or better; stake cap 55%; public records count
<BLANKLINE>
Established facts (1)
---------------------
<BLANKLINE>
Id      Statement      Said by    Rating    Likelihood    Basis
------  -------------  ---------  --------  ------------  -------------
summit  Putin and Kim  AFP        B1        very likely   corroborated
        met in         Reuters              (94%)         by 2
        September                                         independent
        2023.                                             sources: AFP;
                                                          Reuters
<BLANKLINE>
Sources (2)
-----------
<BLANKLINE>
Id       Name     Kind    Affiliation    Reliability
-------  -------  ------  -------------  --------------------
afp      AFP      wire                   B (Usually reliable)
reuters  Reuters  wire                   B (Usually reliable)
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

import attrs
import tabulate

from ._text import HTML, Family, display_width, family, json_safe, wrap
from .assess import Assessment, Assessments, Group, Status, Weighed
from .errors import ProvenanceError
from .evidence import Copying, Evidence, TrackRecord
from .ledger import Ledger
from .model import Certainty, Source, Stance
from .policy import Policy

__all__ = [
    "FormatError",
    "check_format",
    "formats",
    "render",
    "render_sources",
    "report_data",
    "sources_data",
]

#: Formats of our own, beside tabulate's.
OWN_FORMATS = ("html", "json", "markdown")
#: tabulate formats that are refused: their output does not escape cell text.
REFUSED = {"unsafehtml": "it would pass ledger text into the page unescaped; use 'html'"}
#: A column never wraps narrower than this, however narrow the terminal.
#: Words up to this many columns are kept whole when the width allows.
WHOLE_WORD = 14
MIN_COLUMN = 8

PROPOSITION_HEADERS = ("Id", "Statement", "Said by", "Rating", "Likelihood", "Basis")
PROPOSITION_WEIGHTS = (2, 4, 3, 0, 2, 3)
SOURCE_HEADERS = ("Id", "Name", "Kind", "Affiliation", "Reliability")
SOURCE_WEIGHTS = (2, 4, 0, 1, 2)


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


# -- the report's content, before any format -----------------------------

Cell = tuple[str, ...]  # the lines of one cell, as raw ledger text


@attrs.frozen
class _Table:
    heading: str
    headers: tuple[str, ...]
    weights: tuple[int, ...]  # each column's share of the width when wrapping; 0: never wraps
    rows: tuple[tuple[Cell, ...], ...]


@attrs.frozen
class _Report:
    title: str
    meta: tuple[str, ...]
    tables: tuple[_Table, ...]


def _as_of(policy: Policy) -> dt.date:
    return policy.as_of or dt.date.today()


def _percent(probability: float) -> str:
    """The probability in whole percent, never rounded up to certainty or down to nil."""
    if 0.99 < probability < 1.0:
        return ">99%"
    if 0.0 < probability < 0.01:
        return "<1%"
    return f"{probability:.0%}"


def _chain(w: Weighed, ledger: Ledger) -> str:
    names = [w.source.name]
    if w.claim.via:
        names.append("via " + ", ".join(ledger.source(relay).name for relay in w.claim.via))
    return " ".join(names)


def _said_by(a: Assessment, ledger: Ledger, quotes: bool) -> Cell:
    """One line per claim: who said it, through whom, and how it counts."""
    lines: dict[str, int] = {}
    for w in a.weighed:
        notes = []
        if w.claim.stance is Stance.DENIES:
            notes.append("denies")
        if w.claim.certainty is not Certainty.CERTAIN:
            notes.append(w.claim.certainty.value)
        if not w.counted:
            notes.append(f"{w.reason}, not counted")
        line = _chain(w, ledger) + (f" ({'; '.join(notes)})" if notes else "")
        if quotes and w.claim.quote:
            lang = w.claim.lang or ledger.lang
            line += f": “{w.claim.quote}”" + (f" ({lang})" if lang else "")
        lines[line] = lines.get(line, 0) + 1
    if not lines:
        return ("no claim",)
    return tuple(line if n == 1 else f"{line} ({n} claims)" for line, n in lines.items())


def _proposition_row(a: Assessment, ledger: Ledger, quotes: bool) -> tuple[Cell, ...]:
    basis = (a.basis,) if a.missing is None else (a.basis, f"missing: {a.missing}")
    return (
        (a.proposition.id,),
        (a.proposition.text,),
        _said_by(a, ledger, quotes),
        (str(a.rating),),
        (f"{a.likelihood.label} ({_percent(a.probability)})",),
        basis,
    )


def _source_row(source: Source) -> tuple[Cell, ...]:
    return (
        (source.id,),
        (source.name,),
        (source.kind.value,),
        (source.affiliation or "",),
        (f"{source.reliability.value} ({source.reliability.label})",),
    )


def _build(assessments: Assessments, quotes: bool) -> _Report:
    ledger = assessments.ledger
    tables = []
    for status in Status:
        found = assessments.by_status(status)
        if found:
            tables.append(
                _Table(
                    f"{status.section} ({len(found)})",
                    PROPOSITION_HEADERS,
                    PROPOSITION_WEIGHTS,
                    tuple(_proposition_row(a, ledger, quotes) for a in found),
                )
            )
    if ledger.sources:
        tables.append(
            _Table(
                f"Sources ({len(ledger.sources)})",
                SOURCE_HEADERS,
                SOURCE_WEIGHTS,
                tuple(_source_row(s) for s in ledger.sources),
            )
        )
    policy = assessments.policy
    return _Report(
        title=ledger.title or "Untitled ledger",
        meta=(f"As of {_as_of(policy).isoformat()}.", f"Policy: {policy.summary()}"),
        tables=tuple(tables),
    )


# -- rendering -------------------------------------------------------------


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
            terminal's width.  A word too long for its column is broken.

    Returns:
        The report, without a final line break.

    Raises:
        FormatError: `format` is not one `render` writes.
    """
    check_format(format)
    if format == "json":
        return json_safe(json.dumps(report_data(assessments), ensure_ascii=False, indent=2))
    report = _build(assessments, quotes)
    if format == "html":
        return _html_page(report)
    if width is None:
        width = shutil.get_terminal_size().columns
    return _tabulated(report, format, max(width, 20))


def _tabulated(report: _Report, format: str, width: int) -> str:
    fam = family(format)
    tablefmt = "github" if format == "markdown" else format
    meta = [fam.text(line) for line in report.meta]
    title = fam.text(report.title)
    if fam.wraps:
        meta = [textwrap.fill(line, width, break_on_hyphens=False) for line in meta]
        title = textwrap.fill(title, width, break_on_hyphens=False)
    blocks = [fam.title(title), "\n".join(meta)]
    for table in report.tables:
        headers = [fam.cell(header) for header in table.headers]
        rows = [[fam.cell(cell) for cell in row] for row in table.rows]
        if fam.wraps:
            # Wrapped here rather than by tabulate's maxcolwidths, which fails
            # on a cell such as "7,000" that it takes for a number.
            widths = _fit(headers, rows, table.weights, tablefmt, width)
            rows = [[wrap(cell, w) for cell, w in zip(row, widths, strict=True)] for row in rows]
        blocks.append(fam.heading(fam.text(table.heading)))
        blocks.append(
            tabulate.tabulate(rows, headers, tablefmt=tablefmt, disable_numparse=True).rstrip("\n")
        )
    return "\n\n".join(blocks)


def _longest_word(cells: Sequence[str]) -> int:
    return max([0, *(display_width(word) for cell in cells for word in cell.split())])


def _fit(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    weights: Sequence[int],
    tablefmt: str,
    width: int,
) -> list[int]:
    """Column widths that make the table fit `width` columns, if it can.

    Narrow columns, and those of weight 0, keep their natural width; the
    wide ones share what is left in proportion to their `weights`, never
    narrower than `MIN_COLUMN`.
    """
    count = len(headers)
    probe = tabulate.tabulate([["x" * 10] * count], ["x"] * count, tablefmt=tablefmt)
    overhead = max(map(display_width, probe.splitlines())) - 10 * count
    room = width - overhead
    natural = [
        max([1, *(display_width(line) for cell in column for line in cell.splitlines())])
        for column in zip(*rows, strict=True)
    ]
    # tabulate makes every column two wider than its heading.
    least = [display_width(header) + 2 for header in headers]
    # Where the room allows, keep words of up to WHOLE_WORD columns whole:
    # "corroborated" broken in two is harder to read than a narrower table.
    words = [
        max(least[i], min(WHOLE_WORD, natural[i], _longest_word(column)))
        for i, column in enumerate(zip(*rows, strict=True))
    ]
    for i in sorted(range(len(words)), key=lambda i: words[i] - least[i]):
        if sum(least) - least[i] + words[i] <= room:
            least[i] = words[i]

    def widths(unit: int) -> list[int]:
        return [
            max(floor, n if not weight else min(n, max(MIN_COLUMN, weight * unit)))
            for n, floor, weight in zip(natural, least, weights, strict=True)
        ]

    unit = max(natural, default=1)
    while unit > 1 and sum(widths(unit)) > room:
        unit -= 1
    fitted = [min(n, w) for n, w in zip(natural, widths(unit), strict=True)]
    # Hand what a whole unit could not use to the wrapped columns, one at a time.
    spare = room - sum(max(w, floor) for w, floor in zip(fitted, least, strict=True))
    growing = [i for i in sorted(range(count), key=lambda i: -weights[i]) if weights[i]]
    while spare > 0 and any(fitted[i] < natural[i] for i in growing):
        for i in growing:
            if spare > 0 and fitted[i] < natural[i]:
                fitted[i] += 1
                spare -= fitted[i] > least[i]
    return fitted


# -- html ------------------------------------------------------------------

_STYLE = """\
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 80em;
       padding: 0 1em; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.5em; }
h2 { font-size: 1.2em; margin-top: 2em; }
p.meta { color: #555; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f2f2f2; }
tr:nth-child(even) td { background: #fafafa; }"""


def _html_table(table: _Table, fam: Family) -> str:
    head = "".join(f"<th>{fam.cell(header)}</th>" for header in table.headers)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{fam.cell(cell)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _html_page(report: _Report) -> str:
    fam = HTML
    title = fam.text(report.title)
    sections = "\n".join(
        f"<section>\n<h2>{fam.text(table.heading)}</h2>\n{_html_table(table, fam)}\n</section>"
        for table in report.tables
    )
    meta = "<br>".join(fam.text(line) for line in report.meta)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f'<h1>{title}</h1>\n<p class="meta">{meta}</p>\n{sections}\n</body>\n</html>'
    )


# -- json ------------------------------------------------------------------


def report_data(assessments: Assessments) -> dict[str, Any]:
    """The report as plain data, the ``json`` format's content.

    Keys never change meaning and are always present (null when a value is
    absent); texts are carried verbatim.

    Top level:
        ``title`` (str or null), ``as_of`` (ISO date the report is as of:
        the policy's, else today), ``policy``, ``propositions`` (in ledger
        order), ``sources`` (in ledger order).

    ``policy``:
        ``summary`` (the one line shown in the text formats), ``prior``,
        ``min_independent``, ``min_reliability``, ``contest_reliability``,
        ``establish_at``, ``stake_cap``, ``public_record``,
        ``reliability_p`` (grade letter to probability), ``hedging``
        (certainty to share of log-odds kept).

    Each proposition:
        ``id``, ``text``, ``about`` (parties), ``status`` (``established``,
        ``reported``, ``disputed``, ``refuted``, ``unsupported``),
        ``section`` (its heading in the report), ``probability`` (0 to 1),
        ``likelihood`` (ICD 203 words), ``credibility`` (Admiralty digit
        1-6), ``rating`` (e.g. ``"B1"``), ``basis``, ``missing`` (null when
        established), ``support`` and ``oppose`` (independence groups),
        ``claims``.

    Each group (in ``support`` and ``oppose``):
        ``label`` (its sources' names), ``sources`` (their ids),
        ``probability`` (its weight as a probability), ``best`` (best grade
        among members without a stake, or null), ``stake``, ``qualified``,
        ``contesting`` (booleans), ``links`` (why its members are one voice).

    Each claim (every claim on the proposition, counted or not):
        ``source``, ``via`` (relay ids, nearest the origin first),
        ``stance``, ``certainty``, ``said_on``, ``withdrawn_on`` (ISO dates or
        null), ``quote``, ``lang`` (the quote's language), ``credence``,
        ``probability`` (its weight), ``stake``, ``counted`` (booleans) and
        ``reason`` (why it is not counted, or null).

    Each source:
        ``id``, ``name``, ``kind``, ``affiliation`` (or null),
        ``reliability`` (grade letter), ``reliability_label``,
        ``depends_on`` (ids), ``url`` (or null).
    """
    ledger = assessments.ledger
    policy = assessments.policy
    return {
        "title": ledger.title,
        "as_of": _as_of(policy).isoformat(),
        "policy": _policy_data(policy),
        "propositions": [_proposition_data(a, ledger) for a in assessments],
        "sources": [_source_data(source) for source in ledger.sources],
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


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


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
        "probability": w.p,
        "stake": w.stake,
        "counted": w.counted,
        "reason": w.reason,
    }


def _proposition_data(a: Assessment, ledger: Ledger) -> dict[str, Any]:
    return {
        "id": a.proposition.id,
        "text": a.proposition.text,
        "about": list(a.proposition.about),
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


def _source_data(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind.value,
        "affiliation": source.affiliation,
        "reliability": source.reliability.value,
        "reliability_label": source.reliability.label,
        "depends_on": list(source.depends_on),
        "url": source.url,
    }


# -- sources: track records and suspected copies ----------------------------

TRACK_HEADERS = (
    "Id",
    "Name",
    "Grade given",
    "Record suggests",
    "Right/settled",
    "Accuracy",
    "Claims",
)
TRACK_WEIGHTS = (2, 4, 0, 0, 0, 2, 0)
COPY_HEADERS = ("Likely copier", "Likely origin", "Agree", "Expected", "Tail", "Evidence")
COPY_WEIGHTS = (2, 2, 0, 0, 0, 5)


def _track_row(record: TrackRecord) -> tuple[Cell, ...]:
    low, high = record.interval
    return (
        (record.source.id,),
        (record.source.name,),
        (record.given.value,),
        (record.suggested.value,),
        (f"{record.right}/{record.settled}",),
        (f"{record.accuracy:.2f} ({low:.2f}-{high:.2f})",),
        (str(record.claims),),
    )


def _copy_row(pair: Copying) -> tuple[Cell, ...]:
    origin = pair.origin
    return (
        (pair.source.name if origin else f"{pair.source.name} (or the other)",),
        (origin.name if origin else pair.other.name,),
        (f"{pair.agreed} of {pair.shared}",),
        (f"about {round(pair.expected * pair.shared)}",),
        (f"{pair.tail:.1e}",),
        (pair.words,),
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
        return json_safe(json.dumps(data, ensure_ascii=False, indent=2))
    records = [evidence.records[s.id] for s in ledger.sources]
    tables = [
        _Table(
            f"Track records ({len(records)})",
            TRACK_HEADERS,
            TRACK_WEIGHTS,
            tuple(_track_row(r) for r in records),
        )
    ]
    if evidence.pairs:
        tables.append(
            _Table(
                f"Suspected copies ({len(evidence.pairs)})",
                COPY_HEADERS,
                COPY_WEIGHTS,
                tuple(_copy_row(pair) for pair in evidence.pairs),
            )
        )
    else:
        tables.append(_Table("Suspected copies (0)", ("Finding",), (1,), ((("none found",),),)))
    report = _Report(
        title=(ledger.title or "Untitled ledger") + ": sources",
        meta=(f"As of {_as_of(policy).isoformat()}.", f"Policy: {policy.summary()}"),
        tables=tuple(tables),
    )
    if format == "html":
        return _html_page(report)
    if width is None:
        width = shutil.get_terminal_size().columns
    return _tabulated(report, format, max(width, 20))


def sources_data(ledger: Ledger, evidence: Evidence, policy: Policy) -> dict[str, Any]:
    """The sources' track records and suspected copies as plain data (``json``).

    Keys are always present (see docs/evidence.md): ``title``, ``as_of``,
    ``policy`` (as in `report_data`, plus ``infer_copying``,
    ``learn_reliability``, ``copy_min_shared``, ``copy_alpha``,
    ``prior_weight``, ``evidence_rounds``), ``sources`` (ledger order: ``id``,
    ``name``, ``given``, ``suggested``, ``claims``, ``settled``, ``right``,
    ``wrong``, ``accuracy``, ``interval`` [low, high]) and ``copies`` (by
    ids: ``source``, ``other``, ``origin`` (id or null), ``shared``,
    ``agreed``, ``expected`` (probability of agreement), ``tail``,
    ``earlier``, ``later``, ``words``).
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
            "words": pair.words,
        }
        for pair in evidence.pairs
    ]
    return {
        "title": ledger.title,
        "as_of": _as_of(policy).isoformat(),
        "policy": {
            **_policy_data(policy),
            "infer_copying": policy.infer_copying,
            "learn_reliability": policy.learn_reliability,
            "copy_min_shared": policy.copy_min_shared,
            "copy_alpha": policy.copy_alpha,
            "prior_weight": policy.prior_weight,
            "evidence_rounds": policy.evidence_rounds,
        },
        "sources": sources,
        "copies": copies,
    }
