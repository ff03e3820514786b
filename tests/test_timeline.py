"""Tests for the timeline: every claim in date order, withdrawals and corrections included."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given

import claims
from provenance import Claim, Ledger, Proposition, Source
from provenance.assess import assess
from provenance.strategies import ledgers
from provenance.timeline import EventKind, render_timeline, timeline, timeline_data

ROOT = Path(__file__).resolve().parent.parent

AFP = Source("afp", "Agence France-Presse (AFP)", kind="wire", reliability="B")
KCNA = Source("kcna", "KCNA", kind="state-media", affiliation="DPRK", reliability="E")
FIGARO = Source("figaro", "Le Figaro", kind="outlet", reliability="B", depends_on=["afp"])
TOLL = Proposition("toll", "Ten people died.", about=["DPRK"])
VISIT = Proposition("visit", "Naryshkin visited Pyongyang.", about=["DPRK", "Russia"])


def story() -> Ledger:
    """A toll first given, withdrawn, then corrected; a visit with an undated claim."""
    return Ledger.from_objects(
        [AFP, KCNA, FIGARO],
        [TOLL, VISIT],
        [
            Claim("toll", "afp", said_on="2024-03-02", withdrawn_on="2024-03-04"),
            Claim("toll", "afp", stance="denies", said_on="2024-03-05", via=["figaro"]),
            Claim("visit", "kcna", via=["afp", "figaro"]),
            Claim("visit", "kcna", said_on="2024-03-01", certainty="probable"),
        ],
        title="Story",
        as_of="2024-03-28",
    )


class TestOrder:
    def test_date_order_withdrawals_on_their_day_undated_last(self) -> None:
        """Claims come by date, a withdrawal on its own date, undated claims last."""
        events = timeline(assess(story()))
        assert [
            ("2024-03-01", EventKind.SAID, "visit"),
            ("2024-03-02", EventKind.SAID, "toll"),
            ("2024-03-04", EventKind.WITHDRAWN, "toll"),
            ("2024-03-05", EventKind.SAID, "toll"),
            (None, EventKind.SAID, "visit"),
        ] == [(e.on and e.on.isoformat(), e.kind, e.assessment.proposition.id) for e in events]

    def test_a_later_claim_corrects_a_withdrawn_one(self) -> None:
        """A claim that follows its source's withdrawn claim on the same proposition corrects it."""
        events = timeline(assess(story()))
        correction = events[3]
        assert correction.corrects is not None
        assert dt.date(2024, 3, 2) == correction.corrects.claim.said_on
        assert all(e.corrects is None for i, e in enumerate(events) if i != 3)

    def test_every_claim_once(self) -> None:
        """Every claim of the seed ledger appears once, the dated ones in date order."""
        ledger = claims.load("svr-pyongyang")
        events = timeline(assess(ledger))
        said = [e for e in events if e.kind is EventKind.SAID]
        assert sorted(map(repr, ledger.claims)) == sorted(repr(e.weighed.claim) for e in said)
        dates = [e.on for e in events if e.on is not None]
        assert sorted(dates) == dates

    @given(ledgers(max_claims=10))
    def test_any_ledger(self, ledger: Ledger) -> None:
        """Property: each claim is said once and each withdrawal listed once; dates never go
        back, and no dated event follows an undated one."""
        events = timeline(assess(ledger))
        said = [e.weighed.claim for e in events if e.kind is EventKind.SAID]
        withdrawn = [e.weighed.claim for e in events if e.kind is EventKind.WITHDRAWN]
        assert sorted(map(repr, ledger.claims)) == sorted(map(repr, said))
        assert sorted(repr(c) for c in ledger.claims if c.withdrawn_on) == sorted(
            map(repr, withdrawn)
        )
        keys = [(e.on is None, e.on or dt.date.min) for e in events]
        assert sorted(keys) == keys


class TestText:
    def test_who_said_what_through_whom(self) -> None:
        """Each row names the date, the speakers, what they said and the proposition."""
        text = render_timeline(assess(story()), "simple", width=100)
        lines = text.splitlines()
        assert "2024-03-01  KCNA asserts, probable" in lines
        assert "2024-03-04  AFP withdraws its claim (2024-03-02)" in lines
        assert "2024-03-05  AFP via Le Figaro denies [corrects its claim of 2024-03-02]" in lines
        assert "undated     KCNA via AFP, Le Figaro asserts" in lines
        assert "              toll" in lines

    def test_withdrawn_claim_marked_where_it_was_said(self) -> None:
        """The withdrawn claim's own row says it was withdrawn and is not counted."""
        text = render_timeline(assess(story()), "plain", width=100)
        assert "2024-03-02  AFP asserts [withdrawn 2024-03-04, not counted]" in text.splitlines()

    def test_summary(self) -> None:
        """The head says the date and how many claims and withdrawals there are."""
        text = render_timeline(assess(story()), "simple", width=100)
        assert (
            "As of 2024-03-28. 4 claims and 1 withdrawal on 2 propositions; 1 undated, listed last."
            in text.splitlines()
        )


class TestJson:
    def test_events(self) -> None:
        """The json timeline lists the events with their claim, status and correction."""
        data = json.loads(render_timeline(assess(story()), "json"))
        assert ["title", "url", "as_of", "events"] == list(data)
        assert data == timeline_data(assess(story()))
        first = data["events"][0]
        keys = ["date", "event", "proposition", "text", "status", "claim", "corrects"]
        assert keys == list(first)
        assert ["said", "said", "withdrawn", "said", "said"] == [e["event"] for e in data["events"]]
        assert "2024-03-02" == data["events"][3]["corrects"]
        assert "withdrawn" == data["events"][1]["claim"]["excluded"]


class TestCommand:
    def test_timeline_command(self) -> None:
        """`provenance timeline` prints the seed ledger's timeline, as `render_timeline` does."""
        process = subprocess.run(
            [sys.executable, "-m", "provenance", "timeline", "--width", "80"],
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            timeout=60,
        )
        assert 0 == process.returncode, process.stderr
        expected = render_timeline(assess(claims.load("svr-pyongyang")), "simple", width=80)
        assert expected + "\n" == process.stdout.decode("utf-8")

    def test_bad_format_is_a_usage_error(self) -> None:
        """An unknown format exits 2 with a one-line message."""
        process = subprocess.run(
            [sys.executable, "-m", "provenance", "timeline", "--format", "htlm"],
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            timeout=60,
        )
        assert 2 == process.returncode
        assert b"did you mean 'html'?" in process.stderr
        assert b"Traceback" not in process.stderr
