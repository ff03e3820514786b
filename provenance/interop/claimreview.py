"""Verdicts as schema.org ClaimReview, the markup fact-check publishers use.

`claim_reviews` makes one ``ClaimReview`` per assessed proposition that
someone has spoken to; `dumps` writes them as JSON-LD.  A verdict's status
becomes a rating on ClaimReview's 1-5 scale (`RATINGS`), with the status as
its ``alternateName`` and the verdict's basis as its ``ratingExplanation``:

=========== ===== ==================================================
status      value why
=========== ===== ==================================================
established 5     independently corroborated, or on the public record
reported    3     attributed only: neither confirmed nor contradicted
disputed    2     credible voices on both sides
refuted     1     established as false by the same bar
=========== ===== ==================================================

An unsupported proposition gets no review: nobody has made the claim, so
there is no claimant, no appearance and nothing for a reader to look up.

>>> from provenance import Claim, Ledger, Proposition, Source, assess
>>> ledger = Ledger.from_objects(
...     [Source("afp", "AFP", kind="wire", reliability="B"),
...      Source("reuters", "Reuters", kind="wire", reliability="B")],
...     [Proposition("summit", "Putin and Kim met in September 2023.")],
...     [Claim("summit", "afp"), Claim("summit", "reuters")],
...     publisher="Example Desk", as_of="2024-03-28")
>>> review = claim_reviews(assess(ledger))[0]
>>> review["reviewRating"]["ratingValue"], review["reviewRating"]["alternateName"]
(5, 'established')
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from .._text import json_safe
from ..model import Claim, Source, Stance
from .prov import PERSON_KINDS

if TYPE_CHECKING:
    from ..assess import Assessment, Assessments

__all__ = ["BEST", "RATINGS", "WORST", "claim_reviews", "dumps"]

#: The rating of each status reviewed (unsupported propositions are not).
RATINGS = {"established": 5, "reported": 3, "disputed": 2, "refuted": 1}
BEST = 5
WORST = 1


def claim_reviews(
    assessments: Assessments,
    *,
    url: str | None = None,
    publisher: str | None = None,
    date_published: dt.date | None = None,
) -> list[dict[str, Any]]:
    """One schema.org ``ClaimReview`` per reviewed proposition, as JSON-LD objects.

    Args:
        assessments: The verdicts (`provenance.assess`), in ledger order.
        url: The page the reviews are published on; each review's ``url``
            is it with the proposition's id as its fragment.  None: no url.
        publisher: Who publishes the reviews (the review's ``author``);
            by default the ledger's ``publisher``.
        date_published: When the reviews are published; by default the
            date they are as of (the policy's, else the ledger's), else today.
    """
    ledger = assessments.ledger
    publisher = publisher if publisher is not None else ledger.publisher
    when = date_published or assessments.policy.as_of or ledger.as_of or dt.date.today()
    reviews = []
    for assessment in assessments:
        rating = RATINGS.get(assessment.status.value)
        if rating is None:
            continue
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": assessment.proposition.text,
            "itemReviewed": _claim(assessment, ledger.sources, ledger.url),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": rating,
                "bestRating": BEST,
                "worstRating": WORST,
                "alternateName": assessment.status.value,
                "ratingExplanation": assessment.basis,
            },
            "datePublished": when.isoformat(),
        }
        if publisher is not None:
            review["author"] = {"@type": "Organization", "name": publisher}
        if url is not None:
            review["url"] = f"{url}#{assessment.proposition.id}"
        reviews.append(review)
    return reviews


def _claim(
    assessment: Assessment, sources: tuple[Source, ...], article: str | None
) -> dict[str, Any]:
    """The claim reviewed: who asserted the proposition, when first, and where it appears."""
    by_id = {source.id: source for source in sources}
    asserting = [c for c in assessment.counted if c.stance is Stance.ASSERTS] or [
        w.claim for w in assessment.weighed if w.claim.stance is Stance.ASSERTS
    ]
    item: dict[str, Any] = {"@type": "Claim"}
    authors = []
    for source_id in dict.fromkeys(c.source for c in asserting):
        source = by_id[source_id]
        author = {
            "@type": "Person" if source.kind in PERSON_KINDS else "Organization",
            "name": source.name,
        }
        if source.url is not None:
            author["url"] = source.url
        authors.append(author)
    if authors:
        item["author"] = authors
    dates = [c.said_on for c in asserting if c.said_on is not None]
    if dates:
        item["datePublished"] = min(dates).isoformat()
    appearances = list(dict.fromkeys(_urls(asserting, article)))
    if appearances:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in appearances]
    return item


def _urls(claims: list[Claim], article: str | None) -> list[str]:
    found = [c.url for c in claims if c.url is not None]
    if article is not None:
        found.append(article)
    return found


def dumps(reviews: list[dict[str, Any]]) -> str:
    """The reviews as JSON-LD text, safe to place in an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes (so ledger text
    cannot close the script element), and so are characters a terminal
    would act on; a JSON parser reads the same data back.
    """
    text = json.dumps(reviews, ensure_ascii=False, indent=2)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return json_safe(text) + "\n"
