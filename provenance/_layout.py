"""A report's content before any format, and its layout in the table formats.

The report and the timeline are built once as a `Document` (sections of
rows whose cells are lines of `Span`s, each span a piece of ledger text with
an optional link) and then laid out per output format.  Two layouts exist
for tabulate's formats:

- the *flat* layout: one column per header, the lines of a cell joined as
  the format allows (``<br>``, ``"; "``), for formats that do not wrap
  (Markdown, reStructuredText, LaTeX, tsv, ...);
- the *card* layout, for the terminal formats that hold a cell on several
  lines (``plain``, ``simple``, ``grid``, ...): none or a few narrow columns
  on the left, and one wide column whose cell is a stack of paragraphs (an id line
  that is never broken, a wrapped statement, indented detail lines), so
  that a row stays short at 80 columns and an id can be copied whole.

Every piece of ledger text goes through the escaping rules of its format's
family (`provenance._text`).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import tabulate

from ._text import Family, display_width, family, visible, wrap

__all__ = [
    "LINK",
    "NOTE",
    "Cell",
    "Document",
    "Line",
    "Para",
    "Row",
    "Section",
    "Span",
    "escaped",
    "line_text",
    "plain",
    "tabulated",
]

#: The wide column of a card table is never narrower than this.
MIN_COLUMN = 8
#: The mark of a span that only carries a link ("[link]"), and of a note:
#: both are left out of the table formats (a page shows them).
LINK = "link"
NOTE = "note"
_PAGE_ONLY = frozenset({LINK, NOTE})


@attrs.frozen
class Span:
    """A piece of text in a cell, with where it links to and what it marks.

    Attributes:
        text: Raw ledger text (escaped when rendered).
        url: An http(s) address it links to in the formats that have links.
        mark: A class for the page (``"withdrawn"``, ``"denies"``, ...).
        title: A longer form shown on hover in the page (a source's full name).
    """

    text: str
    url: str | None = None
    mark: str | None = None
    title: str | None = None


Line = tuple[Span, ...]
Cell = tuple[Line, ...]


def plain(line: Line) -> str:
    """The text of a line of spans, without links or marks."""
    return "".join(span.text for span in line)


def escaped(text: str, escape: Callable[[str], str]) -> str:
    """`text` escaped by `escape`, keeping the spaces around it that join spans."""
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - len(text.rstrip(" ")) if text.strip(" ") else 0
    return " " * lead + escape(text) + " " * trail


def line_text(line: Line, escape: Callable[[str], str]) -> str:
    """A line of spans as escaped text, without links, marks or link-only spans."""
    return "".join(escaped(span.text, escape) for span in line if span.mark not in _PAGE_ONLY)


@attrs.frozen
class Para:
    """One paragraph of a card's wide cell.

    Attributes:
        line: Its text.
        indent: Columns before its first line.
        hang: Columns before its other lines.
        whole: Never wrapped (an id): it may overflow a narrow column instead.
        tail: Text that follows on the same line if it fits, else on the
            next one (indented by `hang`); wrapped as usual.
    """

    line: Line
    indent: int = 0
    hang: int = 0
    whole: bool = False
    tail: Line = ()


@attrs.frozen
class Row:
    """One row of a section.

    Attributes:
        cells: One cell per header of the flat table.
        left: The card layout's narrow cells, one per left header.
        card: The card layout's wide cell.
        data: Attributes of the row in the page, e.g. ``("status", "reported")``.
    """

    cells: tuple[Cell, ...]
    left: tuple[Cell, ...] = ()
    card: tuple[Para, ...] = ()
    data: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Section:
    """One section: a heading and a table.

    Attributes:
        name: A slug naming it (``"established"``, ``"sources"``, ...).
        heading: Its heading, with its count.
        headers: The flat table's headers.
        rows: Its rows.
        left: The card layout's narrow headers; with `wide`, the card headers.
        left_widths: The widest each narrow column may grow; 0: its natural width.
        wide: The card layout's wide header.
        sort: Per flat column, how the page sorts it (``"text"``, ``"number"``, ``""``: not).
        keys: Per row and flat column, the value the page sorts on.
    """

    name: str
    heading: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    left: tuple[str, ...] = ()
    left_widths: tuple[int, ...] = ()
    wide: str = "Details"
    sort: tuple[str, ...] = ()
    keys: tuple[tuple[str, ...], ...] = ()


@attrs.frozen
class Document:
    """A titled document: summary lines, then sections.

    Attributes:
        title: The title.
        summary: Lines shown under the title.
        sections: The sections, in order.
        links: Links shown with the summary (the ledger's own address).
        choices: The sources a reader may filter rows by: id and name.
    """

    title: str
    summary: tuple[str, ...]
    sections: tuple[Section, ...]
    links: tuple[Span, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()


# -- layout in tabulate's formats ---------------------------------------------


def tabulated(document: Document, format: str, width: int) -> str:
    """`document` in one of tabulate's formats (or ``markdown``), fitted to `width`."""
    fam = family(format)
    tablefmt = "github" if format == "markdown" else format
    title = fam.text(document.title)
    summary = [fam.text(line) for line in document.summary]
    summary += [fam.text(f"{span.text}: {span.url}") for span in document.links if span.url]
    if fam.wraps:
        # Measured in display columns: a wide character takes two.
        summary = [wrap(line, width) for line in summary]
        title = wrap(title, width)
    blocks = [fam.title(title), "\n".join(summary)]
    for section in document.sections:
        heading = fam.heading(fam.text(section.heading))
        if fam.wraps:
            # In a terminal the heading's rule is gap enough above the cards.
            blocks.append(heading + "\n" + _cards(section, fam, tablefmt, width).rstrip("\n"))
        else:
            blocks += [heading, _flat(section, fam, tablefmt).rstrip("\n")]
    return "\n\n".join(blocks)


def _cell(fam: Family, cell: Cell) -> str:
    """The lines of a cell, each escaped, joined as the format allows."""
    escape = visible if fam.tabulate_escapes else fam.text
    return fam.joiner.join(text for text in (line_text(line, escape) for line in cell) if text)


def _flat(section: Section, fam: Family, tablefmt: str) -> str:
    headers = [fam.cell(header) for header in section.headers]
    rows = [[_cell(fam, cell) for cell in row.cells] for row in section.rows]
    return tabulate.tabulate(rows, headers, tablefmt=tablefmt, disable_numparse=True)


def _overhead(tablefmt: str, count: int) -> int:
    """Columns a table of `count` columns takes beyond its cells' text."""
    probe = tabulate.tabulate([["x" * 10] * count], ["x"] * count, tablefmt=tablefmt)
    return max(map(display_width, probe.splitlines())) - 10 * count


def _cards(section: Section, fam: Family, tablefmt: str, width: int) -> str:
    """The card layout: narrow columns on the left, one wide column of paragraphs."""
    headers = [*section.left, section.wide]
    count = len(headers)
    align = ["left"] * count
    room = width - _overhead(tablefmt, count)
    lefts = [[_cell(fam, cell) for cell in row.left] for row in section.rows]
    widths = []
    for i, header in enumerate(section.left):
        natural = max([1, *(display_width(line) for r in lefts for line in r[i].splitlines())])
        # tabulate makes every column two wider than its heading.
        widths.append(
            max(display_width(header) + 2, min(natural, section.left_widths[i] or natural))
        )
    # The wide column takes what is left, but never less than its longest
    # unbreakable line (an id), which then overflows a too narrow terminal.
    whole = max(
        [
            MIN_COLUMN,
            # A lone wide column is drawn without its heading.
            display_width(section.wide) + 2 if section.left else 0,
            *(
                para.indent + display_width(line_text(para.line, fam.text))
                for row in section.rows
                for para in row.card
                if para.whole
            ),
        ]
    )
    wide = max(whole, room - sum(widths))
    rows = []
    for row, left in zip(section.rows, lefts, strict=True):
        cells = [wrap(cell, w) for cell, w in zip(left, widths, strict=True)]
        cells.append("\n".join(_paragraph(fam, para, wide) for para in row.card))
        rows.append(cells)
    if not section.left:
        # One column of cards needs no heading; "simple" would only rule it.
        tablefmt = "plain" if tablefmt == "simple" else tablefmt
        return tabulate.tabulate(rows, tablefmt=tablefmt, disable_numparse=True, colalign=align)
    headers = [fam.cell(header) for header in headers]
    return tabulate.tabulate(
        rows, headers, tablefmt=tablefmt, disable_numparse=True, colalign=align
    )


def _paragraph(fam: Family, para: Para, width: int) -> str:
    text = line_text(para.line, fam.text)
    if para.whole:
        line = " " * para.indent + text
        if not para.tail:
            return line
        tail = line_text(para.tail, fam.text)
        if display_width(line) + display_width(tail) <= width:
            return line + tail
        return line + "\n" + _paragraph(fam, Para(para.tail, para.hang, para.hang), width)
    first = wrap(text, max(width - para.indent, 2)).split("\n", 1)
    lines = [" " * para.indent + first[0]]
    if len(first) > 1:
        rest = " ".join(first[1].split("\n"))
        lines += [
            " " * para.hang + line for line in wrap(rest, max(width - para.hang, 2)).split("\n")
        ]
    return "\n".join(lines)
