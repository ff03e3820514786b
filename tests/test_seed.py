"""The seed article under the default policy reads as a careful editor would write it.

Each test goes through the real ledger file and the real `assess`: what the
article states in its own voice and is in fact established comes out
established with its basis; what KCNA, Seoul and Washington say stays a
reported claim, with what is missing to establish it.
"""

from __future__ import annotations

import pytest

import claims
from provenance import Assessments, Status, assess, explain


@pytest.fixture(scope="module")
def verdicts() -> Assessments:
    """The seed ledger's assessments under its own (default) policy."""
    return assess(claims.load("svr-pyongyang"))


ESTABLISHED = [
    "putin-kim-summit-2023-09",
    "russia-under-international-sanctions",
    "dprk-under-international-sanctions",
    "russia-invaded-ukraine",
]
KCNA = [
    "naryshkin-visited-pyongyang",
    "naryshkin-visit-dates",
    "naryshkin-met-ri-chang-dae",
    "talks-on-countering-espionage",
    "talks-complete-consensus",
]
SEOUL = [
    "dprk-shipped-thousands-of-arms-containers",
    "dprk-shipped-about-7000-containers-since-july-2023",
]
WASHINGTON = [
    "dprk-began-supplying-arms-to-russia",
    "dprk-seeks-satellite-tech-and-modernisation",
]


class TestEstablishedFacts:
    def test_the_september_summit_is_corroborated_by_independent_wires(
        self, verdicts: Assessments
    ) -> None:
        """The summit is established by independent wire reporting, not by the Kremlin's word."""
        summit = verdicts["putin-kim-summit-2023-09"]
        assert Status.ESTABLISHED == summit.status
        assert summit.basis.startswith("corroborated by 3 independent sources")
        for wire in ("Agence France-Presse (AFP)", "Reuters", "Associated Press (AP)"):
            assert wire in summit.basis
        assert "Kremlin" not in summit.basis
        assert "B1" == str(summit.rating)

    @pytest.mark.parametrize(
        ("proposition", "record"),
        [
            ("russia-under-international-sanctions", "Council Regulation (EU) 2022/328"),
            ("dprk-under-international-sanctions", "UN Security Council resolution 1718"),
            ("russia-invaded-ukraine", "UN General Assembly resolution ES-11/1"),
        ],
    )
    def test_sanctions_and_invasion_rest_on_the_public_record(
        self, verdicts: Assessments, proposition: str, record: str
    ) -> None:
        """The sanctions on both countries and the invasion are established by public records."""
        verdict = verdicts[proposition]
        assert Status.ESTABLISHED == verdict.status
        assert verdict.basis.startswith("public record: ")
        assert record in verdict.basis
        assert "A1" == str(verdict.rating)
        assert verdict.missing is None


class TestReportedClaims:
    @pytest.mark.parametrize("proposition", KCNA)
    def test_kcna_account_is_only_the_word_of_parties_with_a_stake(
        self, verdicts: Assessments, proposition: str
    ) -> None:
        """KCNA's account of the visit and the talks is reported: only parties with a stake."""
        verdict = verdicts[proposition]
        assert Status.REPORTED == verdict.status
        assert verdict.missing is not None
        assert verdict.missing.startswith("only parties with a stake have spoken")
        assert "Korean Central News Agency (KCNA) (has a stake)" in verdict.basis
        assert verdict.probability <= 0.60

    @pytest.mark.parametrize("proposition", SEOUL)
    def test_seoul_figures_need_an_independent_source(
        self, verdicts: Assessments, proposition: str
    ) -> None:
        """Seoul's container figures are reported, one independent source short."""
        verdict = verdicts[proposition]
        assert Status.REPORTED == verdict.status
        assert "Government of the Republic of Korea" in verdict.basis
        assert (
            "needs 1 more independent source with no stake, graded C or better" == verdict.missing
        )

    @pytest.mark.parametrize("proposition", WASHINGTON)
    def test_washington_claims_need_an_independent_source(
        self, verdicts: Assessments, proposition: str
    ) -> None:
        """Washington's claims about arms supplies and satellite technology are reported."""
        verdict = verdicts[proposition]
        assert Status.REPORTED == verdict.status
        assert "United States government" in verdict.basis
        assert (
            "needs 1 more independent source with no stake, graded C or better" == verdict.missing
        )

    def test_every_proposition_is_accounted_for(self, verdicts: Assessments) -> None:
        """Only the four background facts are established; nothing is disputed or refuted."""
        established = [a.proposition.id for a in verdicts.by_status(Status.ESTABLISHED)]
        assert sorted(ESTABLISHED) == sorted(established)
        assert () == verdicts.by_status(Status.DISPUTED) + verdicts.by_status(Status.REFUTED)

    def test_relaying_by_afp_does_not_count_as_corroboration(self) -> None:
        """KCNA's claim relayed by AFP and Le Figaro stays one voice: KCNA's, and the
        relays, which do not say it in their own voice, add no voice of their own."""
        explanation = explain(claims.load("svr-pyongyang"), "talks-complete-consensus")
        (group,) = explanation.assessment.support
        assert "Korean Central News Agency (KCNA)" == group.label
        assert () == group.links
        trace = explanation.render()
        assert "independent corroboration: 0 qualified group(s) of 2 needed (not met)" in trace
