"""Tests of the claim model: field rules, defaults and error messages.

Each model class checks its own fields when it is made and refuses a bad
value with a `LedgerError` (also a `ValueError` and a `ProvenanceError`)
whose problem is placed at the field and whose message names the value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given

from provenance import (
    Certainty,
    Claim,
    LedgerError,
    Proposition,
    ProvenanceError,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from provenance.strategies import claims, parties, propositions, sources

__all__: list[str] = []


def refused(make: Callable[[], object], place: str, *named: str) -> LedgerError:
    """Check that `make()` is refused at `place` with a message naming `named`."""
    with pytest.raises(LedgerError) as caught:
        make()
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, ProvenanceError)
    assert 1 == len(error.problems)
    problem = error.problems[0]
    assert place == problem.place
    for text in named:
        assert text in problem.message
    assert str(error).startswith(f"{place}: ")
    return error


def source(**changes: Any) -> Source:
    fields: dict[str, Any] = {"id": "kcna", "name": "Korean Central News Agency"}
    return Source(**{**fields, **changes})


def proposition(**changes: Any) -> Proposition:
    fields: dict[str, Any] = {"id": "visit", "text": "Naryshkin visited Pyongyang."}
    return Proposition(**{**fields, **changes})


def claim(**changes: Any) -> Claim:
    fields: dict[str, Any] = {"proposition": "visit", "source": "kcna"}
    return Claim(**{**fields, **changes})


BAD_IDS = ["", "KCNA", "-kcna", ".kcna", "_kcna", "kc na", "kcna\n", "kçna", "a/b", 7, None]
BLANK_TEXTS = ["", " ", "\t\n", "\u3000", "\x85"]


class TestDefaults:
    def test_source_defaults(self) -> None:
        """A source is of kind other, graded F, unaffiliated, depending on nobody."""
        made = Source("kcna", "KCNA")
        assert SourceKind.OTHER is made.kind
        assert Reliability.F is made.reliability
        assert made.affiliation is None
        assert () == made.depends_on
        assert made.url is None
        assert made.note is None

    def test_proposition_defaults(self) -> None:
        """A proposition is about no party and has no note."""
        made = Proposition("visit", "Naryshkin visited Pyongyang.")
        assert () == made.about
        assert made.note is None

    def test_claim_defaults(self) -> None:
        """A claim asserts, with certainty, directly, undated, with no quote or credence."""
        made = Claim("visit", "kcna")
        assert Stance.ASSERTS is made.stance
        assert Certainty.CERTAIN is made.certainty
        assert () == made.via
        for field in ("said_on", "quote", "lang", "credence", "url", "withdrawn_on", "note"):
            assert getattr(made, field) is None


class TestIds:
    @pytest.mark.parametrize("bad", BAD_IDS)
    def test_source_id_must_be_a_slug(self, bad: object) -> None:
        """A source id that is not a slug is refused at `id`, naming it."""
        refused(lambda: source(id=bad), "id", repr(bad), "not an id")

    @pytest.mark.parametrize("bad", BAD_IDS)
    def test_proposition_id_must_be_a_slug(self, bad: object) -> None:
        """A proposition id that is not a slug is refused at `id`, naming it."""
        refused(lambda: proposition(id=bad), "id", repr(bad))

    @pytest.mark.parametrize("field", ["proposition", "source"])
    def test_claim_references_must_be_slugs(self, field: str) -> None:
        """A claim's proposition and source are ids."""
        refused(lambda: claim(**{field: "Not An Id"}), field, "'Not An Id'")

    def test_relays_must_be_slugs(self) -> None:
        """Each entry of a relay chain is an id, placed by its index."""
        refused(lambda: claim(via=["afp", "Le Figaro"]), "via[1]", "'Le Figaro'")

    def test_dependencies_must_be_slugs(self) -> None:
        """Each entry of depends_on is an id, placed by its index."""
        refused(lambda: source(depends_on=["afp", "A F P"]), "depends_on[1]", "'A F P'")

    @pytest.mark.parametrize("good", ["a", "0", "kcna", "state-dept", "un.panel_2", "a--b..c"])
    def test_slugs_are_accepted(self, good: str) -> None:
        """Lower-case letters, digits, '.', '_' and '-' make an id."""
        assert good == source(id=good).id


class TestText:
    @pytest.mark.parametrize("blank", BLANK_TEXTS)
    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (lambda v: source(name=v), "name"),
            (lambda v: source(affiliation=v), "affiliation"),
            (lambda v: source(note=v), "note"),
            (lambda v: proposition(text=v), "text"),
            (lambda v: proposition(note=v), "note"),
            (lambda v: claim(quote=v), "quote"),
            (lambda v: claim(cue=v), "cue"),
            (lambda v: claim(note=v), "note"),
        ],
    )
    def test_text_must_not_be_blank(
        self, make: Callable[[str], object], field: str, blank: str
    ) -> None:
        """Empty or whitespace-only text is refused at its field."""
        refused(lambda: make(blank), field, "must not be empty")

    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (lambda v: source(name=v), "name"),
            (lambda v: proposition(text=v), "text"),
            (lambda v: claim(quote=v), "quote"),
            (lambda v: claim(cue=v), "cue"),
        ],
    )
    def test_text_must_be_text(self, make: Callable[[object], object], field: str) -> None:
        """A number or bytes where text belongs is refused, naming the value."""
        refused(lambda: make(42), field, "42")
        refused(lambda: make(b"KCNA"), field, "b'KCNA'")

    def test_parties_must_not_be_blank(self) -> None:
        """Each party a proposition is about is non-blank text, placed by its index."""
        refused(lambda: proposition(about=["DPRK", " "]), "about[1]", "must not be empty")

    def test_a_single_party_is_not_a_list(self) -> None:
        """A bare string where a list of parties belongs is refused, not split into letters."""
        refused(lambda: proposition(about="DPRK"), "about", "expected a list", "'DPRK'")

    @pytest.mark.parametrize("field", ["via", "depends_on"])
    def test_a_single_id_is_not_a_list(self, field: str) -> None:
        """A bare id where a list belongs is refused, not split into letters."""
        make = claim if field == "via" else source
        refused(lambda: make(**{field: "afp"}), field, "expected a list", "'afp'")

    @pytest.mark.parametrize("field", ["via", "depends_on"])
    def test_a_table_is_not_a_list(self, field: str) -> None:
        """A mapping where a list belongs is refused, not taken as its keys."""
        make = claim if field == "via" else source
        refused(lambda: make(**{field: {"afp": 1}}), field, "expected a list")

    def test_hostile_text_is_kept_verbatim(self) -> None:
        """Markup, control and direction characters are stored as given, not cleaned."""
        text = "<script>\x1b[31m|\u202e\u200b\x00 **bold**\r\n"
        assert text == proposition(text=text).text


class TestEnums:
    @pytest.mark.parametrize(
        ("make", "field", "bad"),
        [
            (lambda v: source(kind=v), "kind", "newspaper"),
            (lambda v: source(reliability=v), "reliability", "G"),
            (lambda v: claim(stance=v), "stance", "supports"),
            (lambda v: claim(certainty=v), "certainty", "sure"),
        ],
    )
    def test_unknown_values_are_refused(
        self, make: Callable[[str], object], field: str, bad: str
    ) -> None:
        """A value outside the enum is refused at its field, naming the value."""
        refused(lambda: make(bad), field, repr(bad))

    def test_kind_message_lists_the_choices(self) -> None:
        """Refusing a kind says which kinds there are."""
        error = refused(lambda: source(kind="newspaper"), "kind")
        for kind in SourceKind:
            assert kind.value in str(error)

    def test_enums_are_spelt_as_in_the_file(self) -> None:
        """Kinds, stances and certainties convert from their file spelling."""
        made = source(kind="state-media", reliability="e")
        assert SourceKind.STATE_MEDIA is made.kind
        assert Reliability.E is made.reliability
        said = claim(stance="denies", certainty="possible")
        assert Stance.DENIES is said.stance
        assert Certainty.POSSIBLE is said.certainty


class TestRelayChain:
    def test_relay_chain_must_not_repeat_a_source(self) -> None:
        """A relay chain naming a source twice is refused at the repeat."""
        refused(lambda: claim(via=["afp", "yonhap", "afp"]), "via[2]", "'afp'", "twice")

    def test_relay_chain_must_not_contain_the_claims_own_source(self) -> None:
        """A claim is not relayed by its own source."""
        refused(lambda: claim(source="kcna", via=["afp", "kcna"]), "via", "'kcna'", "own source")

    def test_relay_chain_keeps_its_order(self) -> None:
        """The relay chain is kept nearest the origin first, as a tuple."""
        assert ("afp", "le-figaro") == claim(via=["afp", "le-figaro"]).via

    def test_speakers_are_the_source_then_the_relays(self) -> None:
        """Speakers() is the source followed by its relay chain."""
        assert ("kcna", "afp", "le-figaro") == claim(via=["afp", "le-figaro"]).speakers()

    def test_a_source_does_not_depend_on_itself(self) -> None:
        """A source naming itself in depends_on is refused."""
        refused(lambda: source(id="afp", depends_on=["afp"]), "depends_on", "'afp'", "itself")

    def test_a_source_does_not_name_a_dependency_twice(self) -> None:
        """Depends_on names each source once."""
        refused(lambda: source(depends_on=["afp", "afp"]), "depends_on", "twice")


class TestDates:
    def test_withdrawn_on_must_not_precede_said_on(self) -> None:
        """A claim cannot be withdrawn before it was said; the message gives both dates."""
        refused(
            lambda: claim(said_on="2024-03-28", withdrawn_on="2024-03-27"),
            "withdrawn_on",
            "2024-03-27",
            "2024-03-28",
        )

    def test_withdrawn_on_the_day_it_was_said(self) -> None:
        """A claim withdrawn the day it was said is valid."""
        day = dt.date(2024, 3, 28)
        assert day == claim(said_on=day, withdrawn_on=day).withdrawn_on

    def test_withdrawn_without_a_date_said(self) -> None:
        """A withdrawal date alone is valid: when it was said may be unknown."""
        assert dt.date(2024, 4, 2) == claim(withdrawn_on="2024-04-02").withdrawn_on

    @pytest.mark.parametrize("field", ["said_on", "withdrawn_on"])
    def test_iso_dates_are_read(self, field: str) -> None:
        """An ISO 8601 date string becomes a date."""
        assert dt.date(2024, 3, 28) == getattr(claim(**{field: "2024-03-28"}), field)

    @pytest.mark.parametrize("field", ["said_on", "withdrawn_on"])
    @pytest.mark.parametrize("bad", ["2024-13-01", "28/03/2024", "yesterday", 20240328])
    def test_bad_dates_are_refused(self, field: str, bad: object) -> None:
        """What is not a date is refused at its field, naming the value."""
        refused(lambda: claim(**{field: bad}), field, repr(bad), "not a date")

    def test_a_time_is_not_a_date(self) -> None:
        """A datetime is refused: a claim is dated by day."""
        refused(lambda: claim(said_on=dt.datetime(2024, 3, 28, 12)), "said_on", "2024-03-28T12")


class TestCredence:
    @pytest.mark.parametrize("bad", [0, 1, 0.0, 1.0, -0.1, 1.5, math.nan, math.inf, -math.inf])
    def test_credence_must_be_strictly_between_0_and_1(self, bad: float) -> None:
        """0, 1 and anything outside them, NaN and infinities are refused, naming the value."""
        refused(lambda: claim(credence=bad), "credence", repr(bad))

    @pytest.mark.parametrize("bad", [True, False, "0.5", [0.5]])
    def test_credence_must_be_a_number(self, bad: object) -> None:
        """Booleans and strings are not credences."""
        refused(lambda: claim(credence=bad), "credence", repr(bad))

    @pytest.mark.parametrize("good", [5e-324, 0.5, math.nextafter(1.0, 0.0)])
    def test_credence_in_range_is_kept(self, good: float) -> None:
        """Any finite number strictly between 0 and 1 is kept exactly."""
        assert good == claim(credence=good).credence


class TestUrlsAndLanguages:
    @pytest.mark.parametrize(
        "bad", ["javascript:alert(1)", "ftp://example.org", "example.org", "https://", "http://a b"]
    )
    @pytest.mark.parametrize(
        ("make", "field"),
        [(lambda v: source(url=v), "url"), (lambda v: claim(url=v), "url")],
    )
    def test_urls_must_be_http(self, make: Callable[[str], object], field: str, bad: str) -> None:
        """Only http(s) URLs without spaces are accepted; others are refused, named."""
        refused(lambda: make(bad), field, repr(bad))

    @pytest.mark.parametrize("bad", ["french", "f", "fr_FR", "fr-", "", "12"])
    def test_lang_must_be_a_tag(self, bad: str) -> None:
        """A quote's language is a language tag."""
        refused(lambda: claim(lang=bad), "lang", repr(bad))

    @pytest.mark.parametrize("good", ["fr", "en-GB", "zh-Hant-TW", "kor"])
    def test_lang_tags_are_accepted(self, good: str) -> None:
        """Usual language tags are accepted."""
        assert good == claim(lang=good).lang


class TestStake:
    def test_a_source_has_a_stake_in_its_own_party(self) -> None:
        """A source affiliated with a party the proposition is about has a stake."""
        kcna = source(affiliation="DPRK")
        assert kcna.has_stake_in(proposition(about=["DPRK", "Russia"]))
        assert not kcna.has_stake_in(proposition(about=["Russia"]))
        assert not source().has_stake_in(proposition(about=["DPRK"]))

    def test_party_names_compare_without_case_or_spacing(self) -> None:
        """'dprk' and ' DPRK ' name the same party as 'DPRK'."""
        kcna = source(affiliation=" south  korea ")
        assert kcna.has_stake_in(proposition(about=["South Korea"]))

    @given(parties(), parties())
    def test_stake_is_party_equality(self, affiliation: str, party: str) -> None:
        """A stake exists exactly when the names agree once case and spacing are ignored."""
        same = " ".join(affiliation.split()).casefold() == " ".join(party.split()).casefold()
        assert same == source(affiliation=affiliation).has_stake_in(proposition(about=[party]))


class TestStrategiesMakeValidObjects:
    @given(sources())
    def test_sources_rebuild_from_their_fields(self, made: Source) -> None:
        """Rebuilding a drawn source from its fields gives an equal source."""
        assert made == Source(**attrs.asdict(made, recurse=False))

    @given(propositions())
    def test_propositions_rebuild_from_their_fields(self, made: Proposition) -> None:
        """Rebuilding a drawn proposition from its fields gives an equal proposition."""
        assert made == Proposition(**attrs.asdict(made, recurse=False))

    @given(claims())
    def test_claims_rebuild_from_their_fields(self, made: Claim) -> None:
        """Rebuilding a drawn claim from its fields gives an equal claim."""
        assert made == Claim(**attrs.asdict(made, recurse=False))

    @given(claims())
    def test_objects_are_frozen(self, made: Claim) -> None:
        """A claim cannot be changed in place; evolve makes a new one."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made.source = "other"  # type: ignore[misc]
        assert made == attrs.evolve(made)


class TestLongValues:
    def test_a_huge_bad_value_is_quoted_short(self) -> None:
        """An error quotes a huge bad value cut short, with its length, not whole."""
        with pytest.raises(LedgerError) as info:
            Source("x" * 100_000 + "!", "Name")
        message = str(info.value)
        assert 200 > len(message)
        assert "(100003 characters)" in message
