"""Tests of the hypothesis strategies shipped for users' property tests.

They must draw only valid values, and they must draw the structure they
promise often enough for a property test to meet it: a party with a stake,
a relay chain, a denial, a withdrawn claim, a public record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from provenance import (
    Certainty,
    Claim,
    Ledger,
    Policy,
    Proposition,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from provenance.model import LANG, URL, is_slug, party_key
from provenance.strategies import (
    claims,
    ids,
    langs,
    ledgers,
    parties,
    policies,
    propositions,
    sources,
    texts,
    urls,
)

__all__: list[str] = []

# How find() looks: the same way every run, returning the first example met,
# unshrunk (shrinking a whole ledger takes long and proves nothing more).
SEARCH = settings(max_examples=2000, database=None, derandomize=True, phases=[Phase.generate])


def has_stake(ledger: Ledger) -> bool:
    """Some claim comes from a source with a stake in its proposition."""
    return any(
        ledger.source(c.source).has_stake_in(ledger.proposition(c.proposition))
        for c in ledger.claims
    )


def has_relay_chain(ledger: Ledger) -> bool:
    """Some claim reached us through two or more other sources of the ledger."""
    return any(len(claim.via) >= 2 for claim in ledger.claims)


def has_denial(ledger: Ledger) -> bool:
    return any(claim.stance is Stance.DENIES for claim in ledger.claims)


def has_withdrawal(ledger: Ledger) -> bool:
    return any(claim.withdrawn_on is not None for claim in ledger.claims)


def has_public_record(ledger: Ledger) -> bool:
    """Some claim comes from an A-graded record."""
    return any(
        ledger.source(c.source).kind is SourceKind.RECORD
        and ledger.source(c.source).reliability is Reliability.A
        for c in ledger.claims
    )


def has_hedge(ledger: Ledger) -> bool:
    return any(claim.certainty is not Certainty.CERTAIN for claim in ledger.claims)


def has_shared_affiliation(ledger: Ledger) -> bool:
    """Two sources speak for the same party."""
    keys = [" ".join(s.affiliation.split()).casefold() for s in ledger.sources if s.affiliation]
    return len(keys) > len(set(keys))


def has_dependency(ledger: Ledger) -> bool:
    return any(source.depends_on for source in ledger.sources)


def has_house_rules(ledger: Ledger) -> bool:
    return ledger.policy != Policy()


def splits_on_its_date(ledger: Ledger) -> bool:
    """The ledger's as_of falls between the dates of two of its claims."""
    said = [c.said_on for c in ledger.claims if c.said_on is not None]
    return (
        ledger.as_of is not None
        and any(d <= ledger.as_of for d in said)
        and any(d > ledger.as_of for d in said)
    )


def has_hostile_text(ledger: Ledger) -> bool:
    """Some text of the ledger holds a control character or markup."""
    texts = [ledger.title or ""]
    texts += [s.name for s in ledger.sources] + [p.text for p in ledger.propositions]
    texts += [c.quote or "" for c in ledger.claims] + [c.cue or "" for c in ledger.claims]
    return any(
        any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text) or "<" in text
        for text in texts
    )


def has_claim_details_and_decorations(ledger: Ledger) -> bool:
    """One claim is dated, hedged, relayed and quoted with a cue."""
    return any(
        c.said_on and c.certainty is not Certainty.CERTAIN and c.via and c.quote and c.cue
        for c in ledger.claims
    )


def has_corroboration(ledger: Ledger) -> bool:
    """Some proposition is established under the ledger's own house rules."""
    from provenance import Status, assess

    return any(a.status is Status.ESTABLISHED for a in assess(ledger))


STRUCTURE = [
    has_stake,
    has_relay_chain,
    has_denial,
    has_withdrawal,
    has_public_record,
    has_hedge,
    has_shared_affiliation,
    has_dependency,
    has_house_rules,
    splits_on_its_date,
    has_hostile_text,
    has_claim_details_and_decorations,
    has_corroboration,
]


class TestLedgers:
    @given(ledgers())
    def test_every_ledger_is_valid(self, ledger: Ledger) -> None:
        """Rebuilding a drawn ledger from its parts with from_objects gives an equal ledger."""
        rebuilt = ledger.rebuild()
        assert ledger == rebuilt

    @given(ledgers())
    def test_claims_stay_within_the_ledger(self, ledger: Ledger) -> None:
        """Relays are other sources of the ledger and withdrawals come after sayings."""
        known = {source.id for source in ledger.sources}
        for claim in ledger.claims:
            assert set(claim.via) <= known - {claim.source}
            if claim.said_on and claim.withdrawn_on:
                assert claim.said_on <= claim.withdrawn_on
        assert ledger.policy.as_of is None

    @pytest.mark.parametrize("shape", STRUCTURE, ids=lambda f: f.__name__)
    def test_the_promised_structure_occurs(self, shape: Callable[[Ledger], bool]) -> None:
        """Find() meets each promised kind of structure among drawn ledgers."""
        assert shape(find(ledgers(), shape, settings=SEARCH))

    @given(ledgers(2, 3, max_sources=4, max_claims=5, min_sources=1, min_claims=1))
    def test_bounds_are_kept(self, ledger: Ledger) -> None:
        """The numbers of propositions, sources and claims stay within the bounds given."""
        assert 2 <= len(ledger.propositions) <= 3
        assert 1 <= len(ledger.sources) <= 4
        assert 1 <= len(ledger.claims) <= 5

    @given(ledgers(policy=st.just(Policy(min_independent=3))))
    def test_a_policy_strategy_is_used(self, ledger: Ledger) -> None:
        """A ledger's house rules come from the policy strategy given."""
        assert Policy(min_independent=3) == ledger.policy

    @pytest.mark.parametrize(
        "arguments",
        [
            {"min_propositions": 3, "max_propositions": 2},
            {"max_sources": -1},
            {"min_claims": 1, "max_sources": 0},
            {"min_claims": 1, "max_propositions": 0},
        ],
    )
    def test_impossible_bounds_are_refused(self, arguments: dict[str, Any]) -> None:
        """Bounds that no ledger can meet are refused when the strategy is made."""
        with pytest.raises(InvalidArgument):
            ledgers(**arguments)


class TestParts:
    @given(texts())
    def test_texts_are_never_blank(self, text: str) -> None:
        """Every drawn text has something besides whitespace, and no lone surrogate."""
        assert text.strip()
        text.encode("utf-8")

    @pytest.mark.parametrize(
        "hostile",
        [
            "<script>",
            "|",
            "\n",
            "\t",
            "\x1b[",
            "\u202e",
            "\u2066",
            "\u200b",
            "\x00",
            "\x7f",
            "\x9b",
            "\u0301",
        ],
        ids=repr,
    )
    def test_texts_can_be_hostile(self, hostile: str) -> None:
        """Markup, pipes, newlines, escapes, overrides, zero-widths and controls occur."""
        assert hostile in find(texts(), lambda text: hostile in text, settings=SEARCH)

    @pytest.mark.parametrize(
        "script",
        [
            ("Arabic", "\u0600", "\u06ff"),
            ("CJK", "\u4e00", "\u9fff"),
            ("Cyrillic", "\u0400", "\u04ff"),
            ("emoji", "\U0001f300", "\U0001faff"),
        ],
        ids=lambda script: script[0],
    )
    def test_texts_span_scripts(self, script: tuple[str, str, str]) -> None:
        """Text of other scripts than Latin occurs."""
        _, low, high = script

        def has_script(text: str) -> bool:
            return any(low <= char <= high for char in text)

        assert has_script(find(texts(), has_script, settings=SEARCH))

    def test_texts_are_mostly_readable(self) -> None:
        """Plain words occur, so that drawn text is not all noise."""
        assert "Pyongyang" in find(texts(), lambda t: "Pyongyang" in t, settings=SEARCH)

    @given(ids())
    def test_ids_are_slugs(self, value: str) -> None:
        """Every drawn id is a valid slug."""
        assert is_slug(value)

    @given(urls())
    def test_urls_are_accepted(self, url: str) -> None:
        """Every drawn URL is an http(s) URL the model accepts."""
        assert URL.match(url)

    @given(langs())
    def test_langs_are_accepted(self, lang: str) -> None:
        """Every drawn language tag is one the model accepts."""
        assert LANG.match(lang)

    def test_parties_are_spelt_variously(self) -> None:
        """One party is drawn under different spellings (case, spacing)."""

        def spelt_twice(pair: tuple[str, str]) -> bool:
            return pair[0] != pair[1] and party_key(pair[0]) == party_key(pair[1])

        assert spelt_twice(find(st.tuples(parties(), parties()), spelt_twice, settings=SEARCH))

    @given(sources(id="afp", may_depend_on=["afp", "kcna", "reuters"]))
    def test_sources_depend_on_the_pool_only(self, source: Source) -> None:
        """A source's dependencies come from the pool and never name itself."""
        assert "afp" == source.id
        assert set(source.depends_on) <= {"kcna", "reuters"}

    @given(propositions(about=st.just("DPRK")))
    def test_propositions_draw_parties_from_the_strategy(self, proposition: Proposition) -> None:
        """A proposition's parties come from the strategy given."""
        assert set(proposition.about) <= {"DPRK"}

    @given(claims(proposition="visit", source="kcna", relays=["kcna", "afp", "yonhap"]))
    def test_claims_respect_their_arguments(self, claim: Claim) -> None:
        """A claim bears on the proposition and source given, relayed through the pool."""
        assert ("visit", "kcna") == (claim.proposition, claim.source)
        assert set(claim.via) <= {"afp", "yonhap"}

    @given(policies())
    def test_policies_stay_informative(self, policy: Policy) -> None:
        """Priors and thresholds stay away from the degenerate ends."""
        assert 0.01 <= policy.prior <= 0.99
        assert 0.51 <= policy.establish_at <= 0.99
        assert 2 <= policy.min_independent <= 5

    def test_policies_include_unordered_tables(self) -> None:
        """Some reliability tables give a worse grade more weight than a better one."""
        policy = find(
            policies(),
            lambda p: p.reliability_p[Reliability.A] < p.reliability_p[Reliability.F],
            settings=SEARCH,
        )
        assert policy.reliability_p[Reliability.A] < policy.reliability_p[Reliability.F]

    def test_policies_include_dates(self) -> None:
        """Policies drawn for their own use may carry an as_of; a ledger's never do."""
        assert find(policies(), lambda p: p.as_of is not None, settings=SEARCH).as_of


class TestFailureReports:
    @given(ledgers())
    def test_a_ledger_repr_builds_an_equal_ledger(self, ledger: Ledger) -> None:
        """A ledger's repr is code that builds an equal ledger, to paste into a test."""
        import datetime

        from provenance import Claim, Policy, Proposition, Source

        names = {
            "Ledger": Ledger,
            "Source": Source,
            "Proposition": Proposition,
            "Claim": Claim,
            "Policy": Policy,
            "datetime": datetime,
        }
        assert ledger == eval(repr(ledger), names)

    def test_a_failing_property_shows_the_ledger_file(self) -> None:
        """A failing property over ledgers() reports its ledger as code and as a TOML file."""
        import datetime

        from provenance import Claim, Policy, Proposition, Source, loads

        @settings(max_examples=200, database=None, derandomize=True, phases=[Phase.generate])
        @given(ledgers())
        def every_ledger_is_empty(ledger: Ledger) -> None:
            assert not ledger.sources

        with pytest.raises(AssertionError) as info:
            every_ledger_is_empty()
        notes = list(getattr(info.value, "__notes__", []))
        heading = "The ledger as a TOML file (provenance.dumps):\n"
        [toml] = [note[len(heading) :] for note in notes if note.startswith(heading)]
        [case] = [note for note in notes if "Ledger.from_objects(" in note]
        # Failing test case: every_ledger_is_empty(\n    ledger=Ledger.from_objects(...),\n)
        code = case.split("ledger=", 1)[1].rstrip().removesuffix(")").rstrip().removesuffix(",")
        names: dict[str, object] = {"Ledger": Ledger, "Source": Source, "Claim": Claim}
        names.update({"Proposition": Proposition, "Policy": Policy, "datetime": datetime})
        shown = eval(code, names)
        assert shown.sources
        assert shown == loads(toml, "toml")
