"""The alias table: which source a name, a capital or a ministry stands for.

The shipped table (``data/aliases.toml``) knows news agencies, international
organisations and countries: a country's government is one source however
an article names it (its capital, its seats of power, a ministry, a minister,
its head of state), and its military, intelligence services and police are
sources of their own.  Users extend it with a file of the same layout
(``--aliases FILE``); an entry there with the id or key of a shipped one
replaces it.

>>> table = AliasTable.load()
>>> table.find_source("l'agence nord-coréenne KCNA").id
'kcna'
>>> table.country_of("Séoul").key
'rok'
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, TypeVar

import attrs

from ..errors import ProvenanceError
from ..model import SourceKind, is_slug
from .lexicon import fold

__all__ = ["AliasError", "AliasTable", "Country", "Institution", "KnownSource"]

_T = TypeVar("_T")


class AliasError(ProvenanceError, ValueError):
    """An alias file cannot be read or breaks the table's layout."""


@attrs.frozen
class KnownSource:
    """A named organisation or news medium of the table."""

    id: str
    name: str
    kind: SourceKind
    affiliation: str | None
    aliases: tuple[str, ...]


@attrs.frozen
class Country:
    """A country (or union) whose government is one source."""

    key: str
    party: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    metonyms: tuple[str, ...]
    cities: tuple[str, ...]
    people: tuple[str, ...]

    @property
    def government_id(self) -> str:
        """The id of its government's source."""
        return f"{self.key}-government"


@attrs.frozen
class Institution:
    """A kind of state body that speaks apart from the government (army, intelligence)."""

    suffix: str
    kind: SourceKind
    name: str
    words: tuple[str, ...]


def _acronym(phrase: str) -> bool:
    """Whether `phrase` is a short acronym ("UN", "AP", "US"), matched only in capitals."""
    bare = phrase.replace(".", "")
    return bare.isupper() and len(bare) <= 4


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """A regex that finds any of `phrases` (folded) as whole words in folded text."""
    folded = sorted(
        {fold(p) for p in phrases if fold(p) and not _acronym(p)}, key=lambda p: (-len(p), p)
    )
    if not folded:
        return None
    body = "|".join(re.escape(p) for p in folded)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


def _strings(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise AliasError(f"{where}.{key}: expected a list of non-empty strings")
    return tuple(value)


def _string(raw: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise AliasError(f"{where}.{key}: expected non-empty text")
    return value


def _check_keys(raw: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise AliasError(f"{where}: expected a table")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise AliasError(f"{where}: unknown key {unknown[0]!r}")
    return raw


@attrs.frozen
class AliasTable:
    """Known sources, countries and state institutions, with fast lookups."""

    sources: tuple[KnownSource, ...]
    countries: tuple[Country, ...]
    institutions: tuple[Institution, ...]
    government_words: tuple[str, ...]
    _source_index: dict[str, KnownSource] = attrs.field(init=False, eq=False, repr=False)
    _source_re: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)
    _country_index: dict[str, Country] = attrs.field(init=False, eq=False, repr=False)
    _country_re: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)
    _metonym_index: dict[str, Country] = attrs.field(init=False, eq=False, repr=False)
    _city_index: dict[str, Country] = attrs.field(init=False, eq=False, repr=False)
    _person_index: dict[str, Country] = attrs.field(init=False, eq=False, repr=False)
    _person_re: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)
    _government_re: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)
    _source_acronyms: tuple[re.Pattern[str] | None, dict[str, KnownSource]] = attrs.field(
        init=False, eq=False, repr=False
    )
    _country_acronyms: tuple[re.Pattern[str] | None, dict[str, Country]] = attrs.field(
        init=False, eq=False, repr=False
    )
    _adjectives: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    _institution_res: tuple[tuple[Institution, re.Pattern[str] | None], ...] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        sources: dict[str, KnownSource] = {}
        source_acronyms: dict[str, KnownSource] = {}
        country_acronyms: dict[str, Country] = {}
        for source in self.sources:
            for alias in source.aliases:
                sources.setdefault(fold(alias), source)
                if _acronym(alias):
                    source_acronyms.setdefault(alias, source)
        for country in self.countries:
            for word in (*country.names, *country.adjectives, *country.metonyms):
                if _acronym(word):
                    country_acronyms.setdefault(word, country)
        countries: dict[str, Country] = {}
        metonyms: dict[str, Country] = {}
        people: dict[str, Country] = {}
        cities: dict[str, Country] = {}
        for country in self.countries:
            for word in (*country.names, *country.adjectives):
                countries.setdefault(fold(word), country)
            for word in country.metonyms:
                metonyms.setdefault(fold(word), country)
                countries.setdefault(fold(word), country)
            for word in country.people:
                people.setdefault(fold(word.replace("-", " ")), country)
            for word in country.cities:
                cities.setdefault(fold(word), country)
        object.__setattr__(
            self, "_source_acronyms", (_acronym_pattern(source_acronyms), source_acronyms)
        )
        object.__setattr__(
            self, "_country_acronyms", (_acronym_pattern(country_acronyms), country_acronyms)
        )
        object.__setattr__(self, "_source_index", sources)
        object.__setattr__(
            self, "_source_re", _pattern(a for source in self.sources for a in source.aliases)
        )
        object.__setattr__(self, "_country_index", countries)
        object.__setattr__(
            self,
            "_country_re",
            _pattern(
                w
                for country in self.countries
                for w in (*country.names, *country.adjectives, *country.metonyms)
            ),
        )
        object.__setattr__(self, "_metonym_index", metonyms)
        object.__setattr__(self, "_city_index", cities)
        object.__setattr__(self, "_person_index", people)
        object.__setattr__(
            self,
            "_person_re",
            _pattern(p.replace("-", " ") for country in self.countries for p in country.people),
        )
        adjectives = {
            fold(a)
            for country in self.countries
            for a in country.adjectives
            if fold(a) not in {fold(w) for w in (*country.names, *country.metonyms)}
        }
        object.__setattr__(self, "_adjectives", frozenset(adjectives))
        object.__setattr__(self, "_government_re", _pattern(self.government_words))
        object.__setattr__(
            self,
            "_institution_res",
            tuple((i, _pattern(i.words)) for i in self.institutions),
        )

    # -- loading -----------------------------------------------------------

    @classmethod
    def load(cls, extra: str | os.PathLike[str] | None = None) -> AliasTable:
        """The shipped table, extended by the alias file `extra` if given.

        Raises:
            AliasError: `extra` cannot be read, is not TOML, or breaks the layout;
                the message names the file and the place.
        """
        shipped = _shipped()
        if extra is None:
            return shipped
        name = os.fsdecode(extra)
        try:
            with open(name, "rb") as stream:
                data = stream.read(4 * 1024 * 1024 + 1)
        except OSError as error:
            raise AliasError(f"{name}: cannot read the alias file: {error.strerror}") from None
        if len(data) > 4 * 1024 * 1024:
            raise AliasError(f"{name}: the alias file is larger than 4 MiB")
        try:
            table = tomllib.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise AliasError(f"{name}: the alias file is not UTF-8 text") from None
        except tomllib.TOMLDecodeError as error:
            raise AliasError(f"{name}: {error}") from None
        try:
            return shipped.extended(table)
        except AliasError as error:
            raise AliasError(f"{name}: {error}") from None

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> AliasTable:
        """A table from the parsed layout of an alias file.

        Raises:
            AliasError: The layout is broken (the message names the place).
        """
        return cls((), (), (), ()).extended(table)

    def extended(self, table: Mapping[str, Any]) -> AliasTable:
        """This table with the entries of `table` added (same id or key: replaced).

        Raises:
            AliasError: The layout is broken (the message names the place).
        """
        _check_keys(table, {"sources", "countries", "institutions", "government"}, "alias file")
        sources = {s.id: s for s in self.sources}
        for index, raw in enumerate(_list(table, "sources")):
            where = f"sources[{index}]"
            raw = _check_keys(raw, {"id", "name", "kind", "affiliation", "aliases"}, where)
            source_id = _string(raw, "id", where)
            if not is_slug(source_id):
                raise AliasError(f"{where}.id: {source_id!r} is not an id")
            try:
                kind = SourceKind(raw.get("kind", "other"))
            except ValueError:
                raise AliasError(
                    f"{where}.kind: {raw.get('kind')!r} is not a source kind"
                ) from None
            affiliation = raw.get("affiliation")
            if affiliation is not None:
                affiliation = _string(raw, "affiliation", where)
            sources[source_id] = KnownSource(
                source_id,
                _string(raw, "name", where),
                kind,
                affiliation,
                _strings(raw, "aliases", where) or (source_id,),
            )
        countries = {c.key: c for c in self.countries}
        keys = {"key", "party", "name", "names", "adjectives", "metonyms", "cities", "people"}
        for index, raw in enumerate(_list(table, "countries")):
            where = f"countries[{index}]"
            raw = _check_keys(raw, keys, where)
            key = _string(raw, "key", where)
            if not is_slug(key):
                raise AliasError(f"{where}.key: {key!r} is not an id")
            countries[key] = Country(
                key,
                _string(raw, "party", where),
                _string(raw, "name", where),
                *(_strings(raw, k, where) for k in ("names", "adjectives", "metonyms")),
                *(_strings(raw, k, where) for k in ("cities", "people")),
            )
        institutions = {i.suffix: i for i in self.institutions}
        for index, raw in enumerate(_list(table, "institutions")):
            where = f"institutions[{index}]"
            raw = _check_keys(raw, {"suffix", "kind", "name", "words"}, where)
            suffix = _string(raw, "suffix", where)
            try:
                kind = SourceKind(raw.get("kind", "government"))
            except ValueError:
                raise AliasError(
                    f"{where}.kind: {raw.get('kind')!r} is not a source kind"
                ) from None
            institutions[suffix] = Institution(
                suffix, kind, _string(raw, "name", where), _strings(raw, "words", where)
            )
        government = table.get("government", {})
        _check_keys(government, {"words"}, "government")
        words = (*self.government_words, *_strings(government, "words", "government"))
        return AliasTable(
            tuple(sources.values()),
            tuple(countries.values()),
            tuple(institutions.values()),
            words,
        )

    # -- lookups -----------------------------------------------------------

    def find_source(self, text: str) -> KnownSource | None:
        """The known source whose longest alias occurs in `text`, if any."""
        return _longest(self._source_re, self._source_index, text, self._source_acronyms)

    def source(self, source_id: str) -> KnownSource | None:
        """The known source with this id."""
        return next((s for s in self.sources if s.id == source_id), None)

    def country_of(self, text: str, lang: str | None = None) -> Country | None:
        """The country that `text` names or qualifies (name, adjective, capital).

        In French (`lang` ``"fr"``) an adjective counts only in lower case:
        "German Galouchtchenko" is a first name, not "allemand".
        """
        original = text
        if lang == "fr" and self._country_re is not None:
            folded = fold(text)
            if len(folded) == len(" ".join(text.split()).strip()):
                plain = " ".join(text.split()).strip()
                for match in self._country_re.finditer(folded):
                    if match.group(0) in self._adjectives and plain[match.start()].isupper():
                        folded = (
                            folded[: match.start()]
                            + "#" * len(match.group(0))
                            + folded[match.end() :]
                        )
                text = folded
        found = _longest(self._country_re, self._country_index, text, leftmost=True)
        acronym = _longest(None, {}, original, self._country_acronyms, leftmost=True)
        return found or acronym

    def metonym(self, text: str) -> Country | None:
        """The country whose name or capital `text` is, and nothing more."""
        key = fold(text)
        if key in self._adjectives:
            return None
        if text.strip() in self._country_acronyms[1]:
            return self._country_acronyms[1][text.strip()]
        if _acronym(text.strip()):
            return None
        return self._metonym_index.get(key) or self._country_index.get(key)

    def city(self, text: str) -> Country | None:
        """The country of a dateline's city."""
        return self._city_index.get(fold(text))

    def person(self, text: str) -> Country | None:
        """The country whose government a named leader in `text` speaks for."""
        return _longest(self._person_re, self._person_index, text.replace("-", " "))

    def is_government(self, text: str) -> bool:
        """Whether `text` names a government body or office (ministry, minister, spokesman)."""
        return (
            self._government_re is not None and self._government_re.search(fold(text)) is not None
        )

    def institution(self, text: str) -> Institution | None:
        """The state institution (military, intelligence, police) that `text` names."""
        folded = fold(text)
        for institution, pattern in self._institution_res:
            if pattern is not None and pattern.search(folded):
                return institution
        return None


def _list(table: Mapping[str, Any], key: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise AliasError(f"{key}: expected a list of tables ([[{key}]])")
    return value


def _acronym_pattern(acronyms: Mapping[str, Any]) -> re.Pattern[str] | None:
    if not acronyms:
        return None
    body = "|".join(re.escape(a) for a in sorted(acronyms, key=lambda a: (-len(a), a)))
    return re.compile(rf"(?<![\w.-])(?:{body})(?![\w-])")


def _longest(
    pattern: re.Pattern[str] | None,
    index: dict[str, _T],
    text: str,
    acronyms: tuple[re.Pattern[str] | None, Mapping[str, _T]] | None = None,
    leftmost: bool = False,
) -> _T | None:
    found: list[tuple[int, int, _T]] = []
    if pattern is not None:
        found += [
            (m.start(), -len(m.group(0)), index[m.group(0)]) for m in pattern.finditer(fold(text))
        ]
    if acronyms is not None and acronyms[0] is not None:
        found += [
            (m.start(), -len(m.group(0)), acronyms[1][m.group(0)])
            for m in acronyms[0].finditer(text)
        ]
    if not found:
        return None
    if leftmost:
        return min(found, key=lambda f: (f[0], f[1]))[2]
    return min(found, key=lambda f: (f[1], f[0]))[2]


@functools.cache
def _shipped() -> AliasTable:
    data = resources.files("provenance.draft").joinpath("data").joinpath("aliases.toml")
    return AliasTable.from_table(tomllib.loads(data.read_text(encoding="utf-8")))
