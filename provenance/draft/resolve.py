"""Resolving speakers to sources: one source per real speaker, however it is named.

A `Resolver` reads an article's attributions in order and keeps what a
reader keeps in mind: the last speaker ("il", "la même source", "she"),
the last person named ("ce dernier"), the sources already met and the words
that named them ("the ministry" after "Qatar's foreign ministry"), and the
names of people already placed ("Shin" after "defence minister Shin
Won-sik").  Against the alias table, a capital, a ministry, a minister and
a head of state all resolve to one government; an unnamed official is an
anonymous source of their own each time.  Reliability is never guessed:
every source is left at F for the analyst to grade.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

from ..model import SourceKind
from .aliases import AliasTable, Country
from .lexicon import Lexicon, fold

__all__ = ["Resolver", "SourceDraft", "slugify"]

_SLUG_PART = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "source", limit: int = 48) -> str:
    """An id from `text`: ASCII letters and digits joined by hyphens.

    >>> slugify("l'agence nord-coréenne KCNA")
    'l-agence-nord-coreenne-kcna'
    >>> slugify("金正恩", fallback="speaker")
    'speaker'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_PART.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    slug = slug.strip("-")
    return slug or fallback


@attrs.define
class SourceDraft:
    """A source as the draft proposes it."""

    id: str
    name: str
    kind: SourceKind = SourceKind.OTHER
    affiliation: str | None = None
    note: str | None = None


def _clean(text: str) -> str:
    """Text for a name: one line, no control or format characters."""
    kept = "".join(
        " " if unicodedata.category(c) in {"Cc", "Zl", "Zp"} else c
        for c in text
        if unicodedata.category(c) not in {"Cf", "Cs", "Co", "Cn"}
    )
    return " ".join(kept.split())


class Resolver:
    """Turns speaker mentions into source ids, remembering what came before."""

    def __init__(
        self, lex: Lexicon, aliases: AliasTable, dateline_country: Country | None = None
    ) -> None:
        self.lex = lex
        self.aliases = aliases
        self.dateline = dateline_country
        self.sources: dict[str, SourceDraft] = {}
        self._keys: dict[str, str] = {}  # what a source is (entity key) -> id
        self._names: dict[str, str] = {}  # a person's name word -> id
        self._heads: list[tuple[frozenset[str], str]] = []  # words of past mentions -> id
        self.last: tuple[str, list[str]] | None = None  # last speaker and its relays
        #: Whether the mention being resolved is in the paragraph of the last speaker.
        self.same_paragraph = False
        self._anonymous = 0
        self._people: set[str] = set()

    # -- sources -----------------------------------------------------------

    def add(self, key: str, draft: SourceDraft) -> str:
        """The id of the source that `key` identifies, adding `draft` if it is new."""
        if key in self._keys:
            return self._keys[key]
        base = draft.id
        candidate = base
        number = 2
        while candidate in self.sources:
            candidate = f"{base}-{number}"
            number += 1
        draft.id = candidate
        self.sources[candidate] = draft
        self._keys[key] = candidate
        return candidate

    def known(self, source_id: str, fallback_name: str | None = None) -> str:
        """The id of a source of the alias table (or a new one named by its id)."""
        known = self.aliases.source(source_id)
        if known is not None:
            return self.add(
                f"known:{known.id}",
                SourceDraft(known.id, known.name, known.kind, known.affiliation),
            )
        return self.add(f"known:{source_id}", SourceDraft(source_id, fallback_name or source_id))

    def government(self, country: Country, suffix: str = "government") -> str:
        """The id of a country's government (or of its military, intelligence, police)."""
        if suffix == "government":
            return self.add(
                f"country:{country.key}",
                SourceDraft(
                    country.government_id, country.name, SourceKind.GOVERNMENT, country.party
                ),
            )
        institution = next(i for i in self.aliases.institutions if i.suffix == suffix)
        name = f"{institution.name[:1].upper()}{institution.name[1:]} of {country.party}"
        return self.add(
            f"country:{country.key}:{suffix}",
            SourceDraft(f"{country.key}-{suffix}", name, institution.kind, country.party),
        )

    # -- mentions ----------------------------------------------------------

    def remember(self, source_id: str, relays: list[str]) -> None:
        """Make `source_id` the last speaker (for pronouns and "la même source")."""
        self.last = (source_id, relays)

    def resolve(self, mention: str, *, speaker: bool = True) -> str:
        """The source id of a speaker (or relay) named by `mention`."""
        full = _clean(mention)
        lex = self.lex
        if not fold(full):
            return self._generic("unnamed speaker")
        if self._anonymous_mention(fold(full), fold(full).replace("'", "' ").split(), full):
            return self._anonymous_source(full, fold(full))
        # What a relative clause says of the speaker is not its name:
        # "Gaza's health ministry, which is run by Hamas".
        text = _short_name(full, lex)
        folded = fold(text)
        words = folded.replace("'", "' ").split()
        if not words:
            return self._generic("unnamed speaker")
        if words[0] in lex.possessives and self.last is not None:
            # "son directeur général, Rafael Grossi": Grossi speaks for it from now on.
            named = self._person_name(text)
            if named:
                self._name_words(named, self.last[0])
            return self.last[0]
        known = self.aliases.find_source(text)
        if known is not None and not self._names_person_first(text, known.aliases):
            source_id = self.add(
                f"known:{known.id}",
                SourceDraft(known.id, known.name, known.kind, known.affiliation),
            )
            return self._noted(source_id, words)
        if self._anonymous_mention(folded, words):
            return self._anonymous_source(text, folded)
        leader = self.aliases.person(text)
        if leader is not None:
            source_id = self.government(leader)
            self._name_words(text, source_id)
            return self._noted(source_id, words)
        country = self.aliases.country_of(text, self.lex.lang)
        institution = self.aliases.institution(text)
        named = self._person_name(text)
        if named and fold(named) in self._names:
            return self._names[fold(named)]
        capitals = [w for w in text.split() if w[:1].isupper()]
        if len(capitals) == 1 and len(text.split()) <= 2 and fold(capitals[0]) in self._names:
            return self._names[fold(capitals[0])]
        if institution is not None:
            place = country or self.dateline
            back = (
                self._look_back(words) if country is None and self._definite_only(words) else None
            )
            if back is not None:
                return back
            if place is not None:
                source_id = self.government(place, institution.suffix)
                return self._noted(source_id, words)
        if self.aliases.is_government(text) or (country is not None and self._only_country(text)):
            if country is None:
                back = self._look_back(words) if self._definite_only(words) else None
                if back is not None:
                    return back
                if self._unknown_place(text, named):
                    return self._noted(self._generic(text), words)
                recent = self._recent_government() if self.same_paragraph else None
                country = recent or self.dateline or self._recent_government()
            if country is not None:
                source_id = self.government(country)
                if named:
                    self._name_words(named, source_id)
                return self._noted(source_id, words)
        if country is not None and (
            self._only_country(text) or self._names_country(text, words, named)
        ):
            return self._noted(self.government(country), words)
        if named:
            for word in fold(named).split():
                if word in self._names:
                    return self._names[word]
            kind = SourceKind.OTHER
            if set(words) & lex.expert_heads:
                kind = SourceKind.EXPERT
            elif self.aliases.is_government(text):
                kind = SourceKind.OFFICIAL
            source_id = self.add(
                f"person:{fold(named)}",
                SourceDraft(slugify(named), named, kind, country.party if country else None),
            )
            self._name_words(named, source_id)
            self._people.add(source_id)
            return self._noted(source_id, words)
        back = self._look_back(words) if self._definite_only(words) else None
        if back is not None:
            return back
        return self._noted(self._generic(text), words)

    def _names_person_first(self, text: str, aliases: tuple[str, ...]) -> bool:
        """Whether `text` names a person whose organisation is only a modifier.

        "Un analyste du cabinet Agritel, Michel Portier" names Portier, but
        "Le directeur général de l'AIEA, Rafael Grossi" speaks for the IAEA:
        the organisation counts unless the person is an expert.
        """
        words = set(fold(text).replace("'", "' ").split())
        return bool(words & self.lex.expert_heads) and self._person_name(text) is not None

    def _anonymous_mention(self, folded: str, words: list[str], text: str = "") -> bool:
        lex = self.lex
        if text and self._person_name(_short_name(text, lex)):
            return False  # "Un expert du nucléaire, Mycle Schneider" is named
        if any(marker in folded for marker in lex.anonymity):
            return True
        first = words[0]
        if first not in lex.indefinite:
            return False
        heads = set(words[1:6])
        return bool(heads & (lex.anonymous_heads | lex.expert_heads))

    def _anonymous_source(self, text: str, folded: str) -> str:
        self._anonymous += 1
        country = self.aliases.country_of(text, self.lex.lang)
        words = [w for w in folded.replace("'", "' ").split() if w in self.lex.anonymous_heads]
        base = "anonymous-" + (slugify(words[0]) if words else "source")
        name = _short_name(text, self.lex).split(",")[0].strip() or "Anonymous source"
        return self.add(
            f"anonymous:{self._anonymous}",
            SourceDraft(
                base,
                name,
                SourceKind.ANONYMOUS,
                country.party if country else None,
            ),
        )

    def _person_name(self, text: str) -> str | None:
        """The name of a person in `text`: two or more capitalised words in a row."""
        tokens = text.replace(",", " , ").split()
        runs: list[list[str]] = []
        current: list[str] = []
        for index, token in enumerate(tokens):
            bare = token.strip('()«»"“”.')
            capital = bare[:1].isupper() and not bare.isupper() and len(bare) > 1
            if capital and (index > 0 or len(tokens) > 1) and not self._placeword(bare):
                current.append(bare)
            else:
                if len(current) >= 2:
                    runs.append(current)
                current = []
        if len(current) >= 2:
            runs.append(current)
        runs = [
            run
            for run in runs
            if self.aliases.country_of(" ".join(run), self.lex.lang) is None
            and self.aliases.find_source(" ".join(run)) is None
        ]
        if not runs and (
            self.aliases.is_government(text) or set(fold(text).split()) & self.lex.expert_heads
        ):
            # "le ministre Galouchtchenko": one name after a title.
            single = [
                t.strip(",.")
                for i, t in enumerate(tokens)
                if i > 0
                and t[:1].isupper()
                and not self._placeword(t.strip(",."))
                and not self.aliases.is_government(t)
            ]
            if len(single) == 1:
                return single[0]
        if not runs:
            return None
        return " ".join(runs[-1])

    def _placeword(self, word: str) -> bool:
        folded = fold(word)
        return (
            self.aliases.metonym(word) is not None
            or self.aliases.country_of(word, self.lex.lang) is not None
            or folded in self.lex.determiners
            or folded in {"le", "la", "les", "l'", "un", "une", "the", "a", "an"}
            or self.aliases.is_government(word)
        )

    def _name_words(self, name: str, source_id: str) -> None:
        person = self._person_name(name) or name
        for word in fold(person).split():
            if len(word) >= 3:
                self._names.setdefault(word, source_id)
        self._names.setdefault(fold(person), source_id)

    def _only_country(self, text: str) -> bool:
        folded = fold(text)
        for determiner in ("les ", "la ", "le ", "l'", "the "):
            if folded.startswith(determiner):
                folded = folded[len(determiner) :]
                break
        return self.aliases.metonym(folded) is not None

    def _names_country(self, text: str, words: list[str], named: str | None) -> bool:
        """Whether `text` speaks for a country it names ("a statement from the EU Commission").

        A country's name or capital counts, not an adjective ("an expert of a
        Korean institute"), and not for a person, an expert or an unnamed official.
        """
        if named or set(words) & (self.lex.expert_heads | self.lex.anonymous_heads):
            return False
        folded = fold(text)
        for country in self.aliases.countries:
            for name in (*country.names, *country.metonyms):
                key = fold(name)
                if len(name) > 3 and re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", folded):
                    return True
        return False

    def _unknown_place(self, text: str, named: str | None) -> bool:
        """Whether `text` is qualified by a capitalised word the table does not know ("Gaza's")."""
        person = set(named.split()) if named else set()
        for index, word in enumerate(text.split()):
            bare = word.strip(',.()«»"“”').removesuffix("'s").removesuffix("’s")
            if not bare[:1].isupper() or bare in person:
                continue
            if index == 0 and fold(bare) in self.lex.determiners | {"l'", "le", "la", "les", "the"}:
                continue
            if self.aliases.is_government(bare) or self._placeword(bare):
                continue
            if index == 0 and not word.endswith(("'s", "’s")):
                continue
            return True
        return False

    def _definite_only(self, words: list[str]) -> bool:
        return bool(words) and words[0] in self.lex.determiners | {"l'"}

    def _look_back(self, words: list[str]) -> str | None:
        """A source met before whose naming shares this mention's main noun."""
        content = [
            w for w in words if w not in self.lex.determiners and w not in {"l'", "d'", "de"}
        ]
        if not content:
            return None
        head = content[0] if self.lex.lang == "fr" else content[-1]
        for past, source_id in reversed(self._heads):
            if head in past:
                return source_id
        # "the agency", "l'organisation": the last speaker, if an organisation.
        if len(content) == 1 and self.last is not None and self.last[0] not in self._people:
            last = self.sources[self.last[0]]
            if last.kind is not SourceKind.ANONYMOUS:
                return self.last[0]
        return None

    def _recent_government(self) -> Country | None:
        for _, source_id in reversed(self._heads):
            source = self.sources[source_id]
            if source.kind is SourceKind.GOVERNMENT and source.affiliation:
                for country in self.aliases.countries:
                    if country.government_id == source_id.rsplit("-", 1)[0] + "-government":
                        return country
                    if source_id == country.government_id:
                        return country
        return None

    def _noted(self, source_id: str, words: list[str]) -> str:
        self._heads.append((frozenset(words), source_id))
        return source_id

    def _generic(self, text: str) -> str:
        name = _short_name(text, self.lex)
        key = fold(name)
        for determiner in sorted(self.lex.determiners | {"l'"}, key=len, reverse=True):
            if key.startswith(determiner + " ") or (
                determiner.endswith("'") and key.startswith(determiner)
            ):
                key = key[len(determiner) :].strip()
                break
        return self.add(f"generic:{key}", SourceDraft(slugify(key, "speaker"), name))


def _short_name(text: str, lex: Lexicon) -> str:
    """A mention as a source name: without a trailing relative clause or aside."""
    name = _clean(text)
    for marker in (", qui", ", who", ", which", ", s'exprimant", ", s’exprimant", ", speaking"):
        at = name.find(marker)
        if at > 0:
            name = name[:at]
    name = name.strip(" ,;:")
    if name[:1].islower():
        name = name[:1].upper() + name[1:]
    return name or "Unnamed speaker"
