"""Tests for schema.org ClaimReview output: every field, the rating scale, safe JSON-LD."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given

import claims
from provenance import Claim, Ledger, Proposition, Source, Status, assess
from provenance._text import json_safe
from provenance.interop.claimreview import BEST, RATINGS, WORST, claim_reviews, dumps
from provenance.strategies import ledgers


def ledger() -> Ledger:
    """A ledger with an established, a reported, a disputed and an unsupported proposition."""
    return Ledger.from_objects(
        [
            Source("afp", "AFP", kind="wire", reliability="B", url="https://www.afp.com"),
            Source("reuters", "Reuters", kind="wire", reliability="B"),
            Source("kirby", "John Kirby", kind="official", affiliation="USA", reliability="C"),
            Source("tass", "TASS", kind="state-media", affiliation="Russia", reliability="D"),
        ],
        [
            Proposition("summit", "Putin and Kim met.", about=["DPRK", "Russia"]),
            Proposition("arms", "Arms were shipped.", about=["DPRK", "Russia"]),
            Proposition("deal", "A deal was signed.", about=["DPRK", "Russia"]),
            Proposition("ghost", "Nobody said this."),
        ],
        [
            Claim("summit", "afp", said_on="2023-09-14", url="https://www.afp.com/a"),
            Claim("summit", "reuters", said_on="2023-09-13"),
            Claim("arms", "kirby", said_on="2023-10-13"),
            Claim("deal", "reuters", certainty="probable"),
            Claim("deal", "tass", stance="denies"),
        ],
        publisher="Example Desk",
        as_of="2024-03-28",
        url="https://example.org/story",
    )


class TestClaimReview:
    def test_every_field(self) -> None:
        """A review carries the claim, its authors, dates, appearances, rating, author and url."""
        assessments = assess(ledger())
        (summit, *_) = claim_reviews(assessments, url="https://example.org/checks")
        assert {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": "Putin and Kim met.",
            "itemReviewed": {
                "@type": "Claim",
                "author": [
                    {"@type": "Organization", "name": "AFP", "url": "https://www.afp.com"},
                    {"@type": "Organization", "name": "Reuters"},
                ],
                "datePublished": "2023-09-13",
                "appearance": [
                    {"@type": "CreativeWork", "url": "https://www.afp.com/a"},
                    {"@type": "CreativeWork", "url": "https://example.org/story"},
                ],
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": 5,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": "established",
                "ratingExplanation": assessments["summit"].basis,
            },
            "author": {"@type": "Organization", "name": "Example Desk"},
            "datePublished": "2024-03-28",
            "url": "https://example.org/checks#summit",
        } == summit

    def test_person_by_kind(self) -> None:
        """An official speaks as a Person."""
        reviews = claim_reviews(assess(ledger()))
        arms = next(r for r in reviews if r["claimReviewed"] == "Arms were shipped.")
        assert [{"@type": "Person", "name": "John Kirby"}] == arms["itemReviewed"]["author"]

    def test_unsupported_is_not_reviewed(self) -> None:
        """An unsupported proposition gets no review; every other one does, in ledger order."""
        assessments = assess(ledger())
        reviewed = [a for a in assessments if a.status is not Status.UNSUPPORTED]
        texts = [r["claimReviewed"] for r in claim_reviews(assessments)]
        assert [a.proposition.text for a in reviewed] == texts
        assert "Nobody said this." not in texts

    def test_overrides(self) -> None:
        """The publisher and date can be given."""
        (review, *_) = claim_reviews(
            assess(ledger()), publisher="Other", date_published=dt.date(2024, 4, 1)
        )
        assert {"@type": "Organization", "name": "Other"} == review["author"]
        assert "2024-04-01" == review["datePublished"]

    @given(ledgers())
    def test_rating_follows_status(self, ledger: Ledger) -> None:
        """Every rating is the status's value on the 1-5 scale, named by the status."""
        assessments = assess(ledger)
        by_text: dict[str, set[str]] = {}
        for a in assessments:
            by_text.setdefault(a.proposition.text, set()).add(a.status.value)
        for review in claim_reviews(assessments):
            rating = review["reviewRating"]
            assert rating["alternateName"] in by_text[review["claimReviewed"]]
            assert RATINGS[rating["alternateName"]] == rating["ratingValue"]
            assert (BEST, WORST) == (rating["bestRating"], rating["worstRating"])
            assert WORST <= rating["ratingValue"] <= BEST

    @given(ledgers())
    def test_json_ld_is_safe_and_exact(self, ledger: Ledger) -> None:
        """The JSON-LD reads back as the same data and cannot close a script element."""
        reviews = claim_reviews(assess(ledger), url="https://example.org/x")
        text = dumps(reviews)
        assert reviews == json.loads(text)
        assert not set("<>&") & set(text)
        assert json_safe(text) == text

    def test_seed(self) -> None:
        """The seed ledger's reviews rate what it established as 5 and what it reports as 3."""
        seed = claims.load("svr-pyongyang")
        assessments = assess(seed)
        ratings = {
            r["claimReviewed"]: r["reviewRating"]["ratingValue"] for r in claim_reviews(assessments)
        }
        expected = {
            a.proposition.text: RATINGS[a.status.value]
            for a in assessments
            if a.status.value in RATINGS
        }
        assert expected == ratings
