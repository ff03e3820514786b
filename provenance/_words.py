"""Words the report, the timeline and the sources tables share.

Short source names, relay chains summarised, marks for claims that do not
count or that correct an earlier one, dates, percentages and plurals: one
way of saying each, wherever it is said.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence

from ._layout import LINK, Cell, Line, Span
from .assess import Assessment, Exclusion, Weighed
from .ledger import Ledger
from .model import Certainty, Source, Stance
from .policy import Policy

__all__ = [
    "EXCLUSION_MARKS",
    "RELAYS_SHOWN",
    "Names",
    "as_of_date",
    "claim_marks",
    "corrections",
    "corrects_mark",
    "exclusion_mark",
    "iso_date",
    "joined",
    "ledger_links",
    "not_counted",
    "percent",
    "plural",
    "quote_line",
    "said_by",
    "short_names",
    "source_choices",
    "text_cell",
]

#: A relay chain longer than this is summarised: its first and last relays and a count.
RELAYS_SHOWN = 3
#: How a claim that does not count is marked, by the `Exclusion` member's name.
#: A member missing here is marked with its own value.
EXCLUSION_MARKS = {
    "WITHDRAWN": "withdrawn",
    "SAID_AFTER": "said after the as-of date",
    "SUPERSEDED": "superseded",
}


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


def percent(probability: float) -> str:
    """The probability in whole percent, never rounded up to certainty or down to nil."""
    if 0.99 < probability < 1.0:
        return ">99%"
    if 0.0 < probability < 0.01:
        return "<1%"
    return f"{probability:.0%}"


def iso_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def as_of_date(policy: Policy) -> dt.date:
    return policy.as_of or dt.date.today()


def plural(n: int, word: str) -> str:
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


class Names:
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


def claim_marks(w: Weighed) -> Line:
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


def corrects_mark(earlier: Weighed) -> Span:
    said = iso_date(earlier.claim.said_on)
    return Span(f" [corrects its claim of {said}]", mark="corrects")


def quote_line(w: Weighed, ledger: Ledger) -> Line:
    if not w.claim.quote:
        return ()
    lang = w.claim.lang or ledger.lang
    return (Span(f": “{w.claim.quote}”" + (f" ({lang})" if lang else ""), mark="quote"),)


def said_by(a: Assessment, names: Names, quotes: bool) -> list[Line]:
    """One line per way a claim reached us, identical ones counted once."""
    lines: dict[str, tuple[Line, int]] = {}
    corrected = corrections(a)
    for i, w in enumerate(a.weighed):
        line = names.chain(w) + claim_marks(w)
        if i in corrected:
            line += (corrects_mark(corrected[i]),)
        if w.claim.url:
            line += (Span(" "), Span("[link]", w.claim.url, mark=LINK))
        if quotes:
            line += quote_line(w, names.ledger)
        key = repr([(span.text, span.url) for span in line])
        _, n = lines.get(key, (line, 0))
        lines[key] = (line, n + 1)
    return [line if n == 1 else (*line, Span(f" ({n} claims)")) for line, n in lines.values()]


def joined(lines: Sequence[Line], separator: str = "; ") -> Line:
    out: list[Span] = []
    for i, line in enumerate(lines):
        out += [Span(separator)] * (i > 0) + list(line)
    return tuple(out)


def not_counted(a: Assessment) -> str | None:
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


def text_cell(text: str, url: str | None = None) -> Cell:
    return ((Span(text, url),),)


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


def source_choices(names: Names) -> tuple[tuple[str, str], ...]:
    """The sources a page may filter by: id, and the name shown for it."""
    return tuple(
        (s.id, s.name if names.short[s.id] == s.name else f"{names.short[s.id]}: {s.name}")
        for s in names.ledger.sources
    )


def ledger_links(ledger: Ledger) -> tuple[Span, ...]:
    """A link to the article or dossier the ledger covers, where it names one."""
    return (Span("Source of the ledger", ledger.url),) if ledger.url else ()
