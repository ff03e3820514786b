"""An article's text: reading it safely, its language, its dateline, its sentences.

Article text is untrusted.  `read_article` refuses what is not an article
(a directory, a binary file, text that is not UTF-8, an oversized file, an
empty one) with a one-line `DraftError` naming the file and the place;
`check_text` does the same for text handed over in code.  `split` cuts the
text into paragraphs and sentences by wire-copy rules (quotations are never
cut, abbreviations such as "U.S." do not end a sentence) and finds a
dateline such as ``SEOUL, March 18, 2024 (AFP) -``; every span it gives is
a pair of offsets into the text, so that what is quoted from it is an exact
substring.

>>> article = split("Titre\\n\\nSÉOUL, 12 mai (AFP) - Il a plu. « Oui. Non », dit-il.")
>>> article.wire, article.city
('AFP', 'SÉOUL')
>>> [article.text[s.start:s.end] for s in article.sentences]
['Titre', 'Il a plu.', '« Oui. Non », dit-il.']
"""

from __future__ import annotations

import os
import re
import stat

import attrs

from ..errors import ProvenanceError
from .lexicon import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


__all__ = [
    "DEFAULT_MAX_BYTES",
    "Article",
    "DraftError",
    "Sentence",
    "check_text",
    "decode_article",
    "detect_language",
    "read_article",
    "split",
]

#: Articles larger than this are refused (a long feature is some 60 kB).
DEFAULT_MAX_BYTES = 1024 * 1024


class DraftError(ProvenanceError, ValueError):
    """An article cannot be drafted: not text, too large, no language, no attribution."""


@attrs.frozen
class Sentence:
    """One sentence (or heading) of an article, as offsets into its text.

    Attributes:
        start: Offset of its first character.
        end: Offset just after its last character.
        heading: It is a line without final punctuation (a title, a standfirst
            cut short, a crosshead).
        paragraph: Index of its paragraph.
    """

    start: int
    end: int
    heading: bool
    paragraph: int


@attrs.frozen
class Article:
    """An article cut into sentences, with its dateline if it has one."""

    text: str
    sentences: tuple[Sentence, ...]
    wire: str | None = None
    city: str | None = None
    title: str | None = None


def _position(raw: bytes, offset: int) -> str:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", "replace")) + 1
    return f"line {line}, column {column}"


def read_article(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of an article file, checked.

    Raises:
        DraftError: The file cannot be read, is not a regular file, is larger
            than `max_bytes`, holds NUL bytes (binary), is not UTF-8, or holds
            no text at all.
    """
    name = os.fsdecode(path)
    try:
        with open(name, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DraftError(f"{name}: not an article file (not a regular file)")
            raw = stream.read(max_bytes + 1)
    except OSError as error:
        raise DraftError(f"{name}: cannot read the file: {error.strerror or error}") from None
    return decode_article(raw, name, max_bytes=max_bytes)


def decode_article(raw: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of an article's bytes, checked as `read_article` checks a file.

    A UTF-8 byte-order mark is dropped; quotes in a draft are substrings of
    the text after it.

    Raises:
        DraftError: As `read_article`.
    """
    if len(raw) > max_bytes:
        raise DraftError(f"{name}: the file is larger than the limit of {max_bytes} bytes")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DraftError(f"{name}: the file is UTF-16 text; save it as UTF-8")
    nul = raw.find(b"\0")
    if nul >= 0:
        raise DraftError(f"{name}: {_position(raw, nul)}: NUL byte: a binary file, not an article")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.end].hex(" ")
        raise DraftError(
            f"{name}: {_position(raw, error.start)}: not valid UTF-8 (byte {bad});"
            " save the article as UTF-8"
        ) from None
    return check_text(text, name)


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: object, name: str = "<text>", max_chars: int = DEFAULT_MAX_BYTES) -> str:
    """`text` if it can be drafted from.

    Raises:
        TypeError: `text` is not a string.
        DraftError: It is empty, too long, or holds NUL characters or lone surrogates.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected the article's text as str, got {type(text).__name__}")
    if len(text) > max_chars:
        raise DraftError(f"{name}: the text is longer than the limit of {max_chars} characters")
    if not text.strip():
        raise DraftError(f"{name}: the article is empty")
    if "\0" in text:
        raise DraftError(f"{name}: NUL character in the text: a binary file, not an article")
    found = _SURROGATE.search(text)
    if found:
        raise DraftError(f"{name}: the text holds a lone surrogate (U+{ord(found[0]):04X})")
    return text


# -- language --------------------------------------------------------------

_STOPWORDS = {
    "fr": _words(
        "le la les des du de et est un une que qui dans pour sur au aux a ont selon avec "
        "par ce cette il elle ils pas ne son sa ses été "
    ),
    "en": _words(
        "the of and to in is a an that said on for with by was were has have it he she "
        "they as at from its their his her be been "
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def detect_language(text: str) -> str | None:
    """``"fr"`` or ``"en"`` by their commonest words, or None when neither is clear.

    >>> detect_language("Le ministre a indiqué que la visite était terminée.")
    'fr'
    >>> detect_language("The minister said the visit was over.")
    'en'
    >>> detect_language("12345 !!") is None
    True
    """
    counts = dict.fromkeys(_STOPWORDS, 0)
    for match in _WORD.finditer(text[:200_000].lower()):
        word = match.group(0).split("'")[-1]
        for lang, words in _STOPWORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=lambda lang: counts[lang])
    other = min(counts.values())
    if counts[best] < 2 or counts[best] < 2 * other:
        return None
    return best


# -- sentences -------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]+")
_DATELINE = re.compile(
    r"(?P<city>[^\W\d_][^\W\d_'’ .-]{0,30}(?:[ '’.-][^\W\d_]+){0,3})\s*"
    r"(?:,\s*(?P<date>[^()\n]{0,40}?))?\s*"
    r"\((?P<wire>[A-Z][A-Za-z .-]{0,30})\)\s*[-–—]{1,2}\s+"
)
_ABBREVIATIONS = _words(
    "u.s m mme mm mr mrs ms dr st gen lt col sgt capt cmdr gov sen rep jan feb mar "
    "apr aug sep sept oct nov dec no vol p pp etc inc ltd co corp av bd vs j.-c u.k "
    "u.n e.u jr sr prof "
)
_OPENING = {"«": "»", "“": "”", "‹": "›"}
_TERMINAL = ".!?…"


def _quote_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of quotations in text[start:end]: «…», “…” and "…" (paired in order)."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for index in range(start, end):
        char = text[index]
        if char in _OPENING:
            stack.append((_OPENING[char], index))
        elif stack and char == stack[-1][0]:
            _, opened = stack.pop()
            if not stack:
                regions.append((opened, index + 1))
        elif char == '"' and not stack:
            if straight is None:
                straight = index
            else:
                regions.append((straight, index + 1))
                straight = None
    return regions


def _inside(regions: list[tuple[int, int]], index: int) -> bool:
    return any(a < index < b - 1 for a, b in regions)


def _ends_sentence(text: str, index: int, line_start: int) -> bool:
    """Whether the full stop at `index` ends a sentence (not an abbreviation or a number)."""
    if text[index] != ".":
        return True
    before = text[line_start:index]
    word = re.search(r"([\w.-]+)$", before)
    if word is None:
        return True
    token = word.group(1).lower()
    if token.rstrip(".") in _ABBREVIATIONS or fold(token).rstrip(".") in _ABBREVIATIONS:
        return False
    # A single capital letter ("J. Smith") is an initial.
    return not re.fullmatch(r"[^\W\d_]", word.group(1))


def _sentences_of(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    regions = _quote_regions(text, start, end)
    found: list[Sentence] = []
    begin = start
    index = start
    while index < end:
        char = text[index]
        if char in _TERMINAL and not _inside(regions, index):
            stop = index + 1
            while stop < end and text[stop] in _TERMINAL + "»”\"')’":
                stop += 1
            after = stop
            while after < end and text[after] in " \t\u00a0\u202f":
                after += 1
            if after >= end:
                break
            if after > stop and _ends_sentence(text, index, start):
                nxt = text[after]
                if nxt.isupper() or nxt.isdigit() or nxt in "«“\"‹'(":
                    found.append(_sentence(text, begin, stop, paragraph))
                    begin = after
                    index = after
                    continue
            index = stop
            continue
        index += 1
    found.append(_sentence(text, begin, end, paragraph))
    return [s for s in found if s.end > s.start]


def _sentence(text: str, start: int, end: int, paragraph: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    last = text[start:end].rstrip("»”\"')’ \u00a0")
    heading = not last or last[-1] not in _TERMINAL
    return Sentence(start, end, heading, paragraph)


def split(text: str) -> Article:
    """The sentences of `text`, paragraph by paragraph, and its dateline.

    Each line is a paragraph; a dateline (``CITY, date (WIRE) -``) opening
    a paragraph is left out of its first sentence and gives the wire and
    the city.
    """
    sentences: list[Sentence] = []
    wire = city = title = None
    for paragraph, line in enumerate(_LINE.finditer(text)):
        start, end = line.start(), line.end()
        if not line.group(0).strip():
            continue
        if wire is None:
            dateline = _DATELINE.match(
                text, start + len(line.group(0)) - len(line.group(0).lstrip())
            )
            if dateline:
                wire = dateline.group("wire").strip()
                city = dateline.group("city").strip()
                start = dateline.end()
        found = _sentences_of(text, start, end, paragraph)
        if title is None and wire is None and found and len(text[start:end].split()) >= 4:
            title = " ".join(text[start:end].split())
        sentences.extend(found)
    return Article(text, tuple(sentences), wire, city, title)
