"""Ledger text made safe for the format it lands in.

Text in a ledger is untrusted: a quote or a source name may hold terminal
escape sequences, bidirectional overrides, or the markup of the format a
report is written in.  `visible` turns every character that a reader cannot
see, or that a terminal would act on, into a visible escape such as ``\\x1b``
or ``\\u202e``, and folds line breaks and tabs into single spaces.  A `Family`
groups the output formats that share one set of escaping rules (pipe tables,
LaTeX, MediaWiki, ...); `family` finds the one for a format, and its
`Family.text` and `Family.cell` apply those rules to every piece of ledger
text, title and headings included, so that no text can break a table,
inject markup, or reach a terminal raw.

>>> visible("Pyongyang\\x1b[2J\\u202eevil")
'Pyongyang\\\\x1b[2J\\\\u202eevil'
>>> family("github").text("a | b <i>")
'a &#124; b &lt;i>'
"""

from __future__ import annotations

import functools
import html
import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import tabulate

__all__ = [
    "Family",
    "display_width",
    "escape_latex",
    "escape_rst",
    "family",
    "json_safe",
    "visible",
    "wrap",
]

# Characters with no glyph that some renderers or terminals act on, beyond
# the categories Cc, Cf, Cs, Cn, Zl and Zp: Hangul fillers, the combining
# grapheme joiner and Khmer inherent vowels are used to hide text.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
_FOLDED = re.compile(r"[ \t\n\r\v\f]+")


def _escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _hidden(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) in _HIDDEN_CATEGORIES


def visible(text: str) -> str:
    """`text` on one line, with every hidden or active character shown as an escape.

    Runs of spaces, tabs and line breaks (``\\n``, ``\\r``, ``\\v``, ``\\f``)
    become one space, and the ends are trimmed.  Every other control
    character (C0, DEL, C1, hence every ANSI escape sequence), every format
    character (bidirectional embeddings, overrides and isolates U+202A-202E
    and U+2066-2069, zero-width characters U+200B-200F, U+FEFF, tag
    characters), the separators U+2028 and U+2029, lone surrogates,
    unassigned code points and a few invisible fillers are written as
    ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``.

    >>> visible("two\\n lines\\u2028and\\u202eover")
    'two lines\\\\u2028and\\\\u202eover'
    """
    folded = _FOLDED.sub(" ", text).strip(" ")
    if folded.isprintable() and not _INVISIBLE.intersection(folded):
        return folded
    return "".join(_escape_char(c) if _hidden(c) else c for c in folded)


def json_safe(document: str) -> str:
    """A JSON document with hidden characters written as ``\\uNNNN`` escapes.

    The data is unchanged (a JSON parser reads the same strings back), but
    printing the document to a terminal shows no override and runs no escape
    sequence, and a lone surrogate cannot make writing it fail.
    """
    if _json_line_safe(document):
        return document
    # Line by line: an indented document has a line break every few
    # characters, and only the lines that hold something hidden need the
    # character by character look.
    return "\n".join(
        line if _json_line_safe(line) else _json_escape_hidden(line)
        for line in document.split("\n")
    )


def _json_line_safe(text: str) -> bool:
    """Whether `text` holds nothing to escape; line breaks are the JSON layout's own."""
    return text.replace("\n", " ").isprintable() and not any(c in text for c in _INVISIBLE)


def _json_escape_hidden(line: str) -> str:
    out = []
    for char in line:
        if char == "\n" or not _hidden(char):
            out.append(char)
        elif ord(char) > 0xFFFF:
            high, low = divmod(ord(char) - 0x10000, 0x400)
            out.append(f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


def _load_wcswidth() -> Callable[[str], int] | None:
    try:
        module: Any = importlib.import_module("wcwidth")
    except ImportError:  # pragma: no cover - tabulate works without it too
        return None
    return module.wcswidth  # type: ignore[no-any-return]


_WCSWIDTH = _load_wcswidth()


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (wide characters count two).

    Measured as tabulate measures it, with `wcwidth` when that is installed.
    """
    if _WCSWIDTH is not None:
        width = _WCSWIDTH(text)
        if width >= 0:
            return width
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
        for c in text
    )


def _translate(table: Mapping[str, str]) -> Callable[[str], str]:
    codes = str.maketrans(dict(table))
    return lambda text: text.translate(codes)


def _entities(chars: str) -> Callable[[str], str]:
    """Replace each of `chars`, ``&`` and ``<`` with a character reference."""
    table = {c: f"&#{ord(c)};" for c in chars}
    table.update({"&": "&amp;", "<": "&lt;"})
    if ">" in chars:
        table[">"] = "&gt;"
    return _translate(table)


_LATEX = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "\\": r"\textbackslash{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "[": "{[}",
    "]": "{]}",
    '"': r"\textquotedbl{}",
}
escape_latex = _translate(_LATEX)
escape_latex.__doc__ = "Escape the characters that mean something to LaTeX."

_RST_INLINE = re.compile(r"([\\`*_|\[\]<>])")
# What would open a block (a directive, a comment, a list, a quote, a field
# list, a line block) if a cell began with it.
_RST_BLOCK = re.compile(r"[^\w\s]|(\d+|[A-Za-z]|[IVXLCDMivxlcdm]+)[.)](\s|$)")


def escape_rst(text: str) -> str:
    """Escape reStructuredText inline markup, and any block markup at the start.

    >>> escape_rst(".. include:: /etc/passwd")
    '\\\\.. include:: /etc/passwd'
    """
    text = _RST_INLINE.sub(r"\\\1", text)
    if _RST_BLOCK.match(text) and not text.startswith("\\"):
        text = "\\" + text
    return text


def _jira(text: str) -> str:
    # A backslash cannot be escaped in Jira markup (two make a line break),
    # so it becomes a character reference; then every markup character gets
    # the backslash that makes it literal.
    text = text.replace("\\", "&#92;")
    return re.sub(r"([|\[\]{}!*_^~])", r"\\\1", text)


def _underlined(mark: str) -> Callable[[str], str]:
    def underline(text: str) -> str:
        width = max([1, *map(display_width, text.splitlines())])
        return f"{text}\n{mark * width}"

    return underline


def _prefixed(prefix: str, suffix: str = "") -> Callable[[str], str]:
    return lambda text: f"{prefix}{text}{suffix}"


@attrs.frozen
class Family:
    """Output formats that escape text the same way.

    Attributes:
        name: What the formats have in common, e.g. ``"markdown"``.
        escape: Format escaping for one line of text already made `visible`.
        joiner: What separates the lines of one cell (a line break in the
            formats that wrap, ``"; "`` in those that cannot hold one).
        title: Makes an escaped line into the report's title.
        heading: Makes an escaped line into a section heading.
        wraps: Whether cells wrap to fit the terminal.
        tabulate_escapes: Whether tabulate escapes cells itself in this
            format, so that only `visible` is applied inside tables.
    """

    name: str
    escape: Callable[[str], str]
    joiner: str = "; "
    title: Callable[[str], str] = attrs.field(default=lambda text: text)
    heading: Callable[[str], str] = attrs.field(default=lambda text: text)
    wraps: bool = False
    tabulate_escapes: bool = False

    def text(self, text: str) -> str:
        """One line of ledger text, safe outside a table in this family's formats."""
        return self.escape(visible(text))

    def cell(self, lines: str | Iterable[str]) -> str:
        """The lines of one table cell, each escaped, joined as the format allows."""
        if isinstance(lines, str):
            lines = (lines,)
        escape = visible if self.tabulate_escapes else self.text
        return self.joiner.join(escaped for escaped in map(escape, lines) if escaped)


def _same(text: str) -> str:
    return text


# Text tables read in a terminal (plain, simple, grid, ...): cells wrap to its width.
TERMINAL = Family(
    "terminal", _same, joiner="\n", title=_underlined("="), heading=_underlined("-"), wraps=True
)
# Tab-separated values: one line per row, so a cell's lines are joined with "; ".
TSV = Family("tsv", _same, title=_underlined("="), heading=_underlined("-"))
# Formats this module does not know: the usual cell separators are replaced
# by a look-alike, so that no text can add a column.
UNKNOWN = Family(
    "unknown",
    _translate({"|": "\u00a6", "\u2502": "\u00a6", "\u2503": "\u00a6", "\u2551": "\u00a6"}),
    title=_underlined("="),
    heading=_underlined("-"),
)
MARKDOWN = Family(
    "markdown",
    _entities("|\\`*_[]~#"),
    joiner="<br>",
    title=_prefixed("# "),
    heading=_prefixed("## "),
)
RST = Family("rst", escape_rst, title=_underlined("="), heading=_underlined("-"))
ORG = Family("org", _translate({"|": r"\vert{}"}), title=_prefixed("* "), heading=_prefixed("** "))
LATEX = Family(
    "latex",
    escape_latex,
    title=_prefixed("\\section*{", "}"),
    heading=_prefixed("\\subsection*{", "}"),
)
HTML = Family("html", html.escape, joiner="<br>")
MEDIAWIKI = Family(
    "mediawiki",
    _entities("|!'\"[]{}~_=>"),
    joiner="<br>",
    title=_prefixed("= ", " ="),
    heading=_prefixed("== ", " =="),
)
MOINMOIN = Family(
    "moinmoin",
    _entities("|'\"[]{}`^~_=*#>"),
    title=_prefixed("= ", " ="),
    heading=_prefixed("== ", " =="),
)
TEXTILE = Family(
    "textile",
    _entities("|'\"!*_+^~@%[]{}=\\>"),
    title=_prefixed("h1. "),
    heading=_prefixed("h2. "),
)
ASCIIDOC = Family(
    "asciidoc",
    _entities("|[]{}+*_`#~^\\$'\">"),
    title=_prefixed("= "),
    heading=_prefixed("== "),
)
JIRA = Family("jira", _jira, title=_prefixed("h1. "), heading=_prefixed("h2. "))

_BY_FORMAT = {
    "tsv": TSV,
    "plain": TERMINAL,
    "simple": TERMINAL,
    "pretty": TERMINAL,
    "psql": TERMINAL,
    "presto": TERMINAL,
    "pipe": MARKDOWN,
    "github": MARKDOWN,
    "markdown": MARKDOWN,
    "rst": RST,
    "orgtbl": ORG,
    "html": HTML,
    "mediawiki": MEDIAWIKI,
    "moinmoin": MOINMOIN,
    "textile": TEXTILE,
    "asciidoc": ASCIIDOC,
    "jira": JIRA,
    "youtrack": JIRA,
}


@functools.cache
def _tabulate_escapes_latex(tablefmt: str) -> bool:
    probe = tabulate.tabulate([["&"]], tablefmt=tablefmt, disable_numparse=True)
    return r"\&" in probe


@functools.cache
def family(format: str) -> Family:
    """The family of an output format: a tabulate ``tablefmt``, or markdown or html.

    Box-drawn tables (any name with ``grid`` or ``outline``) read like the
    plain terminal formats; LaTeX formats are probed once to learn whether
    tabulate escapes their cells itself.  A format this module does not know
    gets the cautious `UNKNOWN` rules.
    """
    if format in _BY_FORMAT:
        found = _BY_FORMAT[format]
    elif "grid" in format or "outline" in format:
        found = TERMINAL
    elif format.startswith("latex"):
        found = attrs.evolve(LATEX, tabulate_escapes=_tabulate_escapes_latex(format))
    else:
        found = UNKNOWN
    if found.wraps and format not in tabulate.multiline_formats:
        found = attrs.evolve(found, joiner="; ", wraps=False)
    return found


def wrap(text: str, width: int) -> str:
    """Wrap `text` to lines of at most `width` display columns.

    Words are kept whole where they fit and broken where they do not (after
    a hyphen when one falls in the line); existing line breaks are kept.
    Display width counts wide characters as two columns, as terminals do.
    """
    width = max(width, 2)
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if display_width(candidate) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            line = ""
            while display_width(word) > width:
                head = _cut(word, width)
                out.append(head)
                word = word[len(head) :]
            line = word
        out.append(line)
    return "\n".join(out)


def _cut(word: str, width: int) -> str:
    """The longest head of `word` that fits `width`, ending after a hyphen if one fits."""
    end = 0
    while end < len(word) and display_width(word[: end + 1]) <= width:
        end += 1
    end = max(end, 1)  # a character wider than the column still moves on
    hyphen = word.rfind("-", 0, end)
    return word[: hyphen + 1] if hyphen > 0 else word[:end]
