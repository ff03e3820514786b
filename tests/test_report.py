"""Tests for the report: layout, formats, golden files, and safety with hostile text.

The golden files in ``tests/golden/`` hold the seed ledger's report as the
code renders it.  To regenerate them after an intended change, run

    PROVENANCE_REGEN_GOLDEN=1 python3 -m pytest tests/test_report.py -k Golden

which rewrites the files and fails on purpose; review the change with
``git diff tests/golden`` and run the tests again without the variable.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html.parser
import json
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tabulate
from hypothesis import example, given
from hypothesis import strategies as st

import claims
from provenance import Claim, Ledger, Proposition, Source
from provenance._text import (
    HTML,
    TERMINAL,
    UNKNOWN,
    display_width,
    escape_latex,
    escape_rst,
    family,
    json_safe,
    visible,
)
from provenance._words import short_names
from provenance.assess import Status, assess
from provenance.report import (
    FormatError,
    check_format,
    formats,
    render,
    report_data,
)
from provenance.strategies import ledgers, texts
from provenance.timeline import render_timeline

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("PROVENANCE_REGEN_GOLDEN") == "1"

AFP = Source("afp", "AFP", kind="wire", reliability="B")
REUTERS = Source("reuters", "Reuters", kind="wire", reliability="B")
FIGARO = Source("figaro", "Le Figaro", kind="outlet", reliability="B", depends_on=["afp"])
KCNA = Source("kcna", "KCNA", kind="state-media", affiliation="DPRK", reliability="E")
TASS = Source("tass", "TASS", kind="state-media", affiliation="Russia", reliability="D")
SUMMIT = Proposition("summit", "Putin and Kim met in September 2023.", about=["DPRK", "Russia"])
VISIT = Proposition("visit", "Naryshkin visited Pyongyang.", about=["DPRK", "Russia"])
DEAL = Proposition("deal", "An arms deal was signed.", about=["DPRK", "Russia"])
SHIPMENT = Proposition("shipment", "Containers were shipped.", about=["DPRK", "Russia"])


def example_ledger(**meta: object) -> Ledger:
    """A small ledger with an established, a reported, a disputed and an unsupported claim."""
    meta = {"title": "Example", "as_of": "2024-03-28", "lang": "fr", **meta}
    return Ledger.from_objects(
        [AFP, REUTERS, FIGARO, KCNA, TASS],
        [SUMMIT, VISIT, DEAL, SHIPMENT],
        [
            Claim("summit", "afp", via=["figaro"], quote="Un sommet a eu lieu."),
            Claim("summit", "reuters", lang="en", quote="A summit took place."),
            Claim("visit", "kcna", via=["afp", "figaro"]),
            Claim("deal", "afp", certainty="probable"),
            Claim("deal", "tass", stance="denies"),
            Claim("deal", "kcna", withdrawn_on="2024-03-01", said_on="2024-02-01"),
        ],
        **meta,
    )


def seed() -> Ledger:
    """The seed ledger shipped with the library."""
    return claims.load("svr-pyongyang")


# -- hidden characters -------------------------------------------------------

HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}


def hidden(text: str, allowed: str = "\n") -> list[str]:
    """The characters of `text` that are invisible or act on a terminal."""
    return [
        c
        for c in text
        if c not in allowed
        and (unicodedata.category(c) in HIDDEN_CATEGORIES or c in "\u115f\u1160\u3164\uffa0")
    ]


class TestVisible:
    @pytest.mark.parametrize(
        ("raw", "shown"),
        [
            ("\x1b[31mred", "\\x1b[31mred"),
            ("a\x00b", "a\\x00b"),
            ("a\x7fb", "a\\x7fb"),
            ("a\x9bb", "a\\x9bb"),
            ("a\u202eb", "a\\u202eb"),
            ("a\u2066b\u2069", "a\\u2066b\\u2069"),
            ("a\u200bb", "a\\u200bb"),
            ("a\ufeffb", "a\\ufeffb"),
            ("a\u2028b", "a\\u2028b"),
            ("a\U000e0041b", "a\\U000e0041b"),
            ("a\u3164b", "a\\u3164b"),
        ],
    )
    def test_hidden_characters_are_escaped(self, raw: str, shown: str) -> None:
        """Control, format and separator characters are written as escapes."""
        assert shown == visible(raw)

    def test_line_breaks_and_tabs_become_one_space(self) -> None:
        """Runs of spaces, tabs and line breaks fold into one space, and ends are trimmed."""
        assert "one two three" == visible("  one\r\n\ttwo \n\n three \x0b")

    def test_ordinary_text_is_unchanged(self) -> None:
        """Text in any script, with accents and emoji, passes as it is."""
        text = "Séoul 서울 Москва «priorité» 🇰🇵 e\u0301 \u00a0x"
        assert text == visible(text)

    @given(texts())
    def test_nothing_hidden_survives(self, text: str) -> None:
        """Property: visible text holds no hidden character and no line break."""
        assert [] == hidden(visible(text), allowed="")

    @given(st.text())
    def test_idempotent(self, text: str) -> None:
        """Property: making visible text visible again changes nothing."""
        once = visible(text)
        assert once == visible(once)


class TestJsonSafe:
    @given(st.text(st.characters()))
    @example("\ud800 \U0001f600 \u202e \x85 \u2028")
    def test_data_is_unchanged(self, text: str) -> None:
        """Property: the escaped document parses to the same data, and hides nothing."""
        document = json_safe(json.dumps({"text": text}, ensure_ascii=False))
        assert {"text": text} == json.loads(document)
        assert [] == hidden(document)


class TestEscaping:
    def test_latex_specials(self) -> None:
        """Every LaTeX special character is escaped, the backslash included."""
        assert r"\textbackslash{}input\{x\} \& 5\% \$ \# \_ \^{}" == escape_latex(
            r"\input{x} & 5% $ # _ ^"
        )

    @pytest.mark.parametrize(
        ("raw", "escaped"),
        [
            (".. include:: /etc/passwd", "\\.. include:: /etc/passwd"),
            ("1. first", "\\1. first"),
            ("- item", "\\- item"),
            ("*strong* and `code`", "\\*strong\\* and \\`code\\`"),
            ("|sub| _target", "\\|sub\\| \\_target"),
            ("Plain words.", "Plain words."),
        ],
    )
    def test_rst_markup(self, raw: str, escaped: str) -> None:
        """reStructuredText inline markup is escaped, and block markup at the start."""
        assert escaped == escape_rst(raw)

    @pytest.mark.parametrize(
        ("fmt", "raw", "expected"),
        [
            ("github", "a|b", "a&#124;b"),
            ("pipe", "<script>", "&lt;script>"),
            ("markdown", "[x](javascript:y)", "&#91;x&#93;(javascript:y)"),
            ("orgtbl", "a|b", "a\\vert{}b"),
            ("jira", "a|b {noformat} \\", "a\\|b \\{noformat\\} &#92;"),
            ("youtrack", "a|b", "a\\|b"),
            ("mediawiki", "{{x}} a|b !!", "&#123;&#123;x&#125;&#125; a&#124;b &#33;&#33;"),
            ("moinmoin", "a||b <<Include(x)>>", "a&#124;&#124;b &lt;&lt;Include(x)&gt;&gt;"),
            ("textile", 'a|b "x":y', "a&#124;b &#34;x&#34;:y"),
            ("asciidoc", "a|b pass:[<x>]", "a&#124;b pass:&#91;&lt;x&gt;&#93;"),
            ("latex_raw", "a&b", "a\\&b"),
            ("html", "<b>&", "&lt;b&gt;&amp;"),
        ],
    )
    def test_cell_separators_and_markup_are_neutralised(
        self, fmt: str, raw: str, expected: str
    ) -> None:
        """Each family escapes its format's cell separator and markup."""
        assert expected == (HTML if fmt == "html" else family(fmt)).text(raw)


class TestFamilies:
    def test_every_tabulate_format_has_a_family(self) -> None:
        """Every format tabulate offers is assigned a family (none falls to the unknown one)."""
        unknown = [f for f in tabulate.tabulate_formats if family(f) is UNKNOWN]
        assert ["unsafehtml"] == unknown

    def test_unknown_formats_get_cautious_rules(self) -> None:
        """A format the report does not know replaces the usual separators."""
        assert "a\u00a6b" == family("new_format").text("a|b")

    def test_latex_formats_are_probed(self) -> None:
        """Cells are left to tabulate exactly where tabulate escapes LaTeX itself."""
        for fmt in tabulate.tabulate_formats:
            if fmt.startswith("latex"):
                probe = tabulate.tabulate([["&"]], tablefmt=fmt)
                assert (r"\&" in probe) == family(fmt).tabulate_escapes

    def test_only_terminal_multiline_formats_wrap(self) -> None:
        """Cells wrap only in terminal formats that tabulate draws on several lines."""
        wrapping = {f for f in tabulate.tabulate_formats if family(f).wraps}
        assert wrapping <= set(tabulate.multiline_formats)
        assert {"simple", "grid", "psql", "fancy_grid"} <= wrapping
        assert not wrapping & {"github", "pipe", "orgtbl", "jira", "rst", "tsv"}

    def test_cell_lines_are_joined_as_the_format_allows(self) -> None:
        """The lines of a cell are joined by a line break, <br> or '; '."""
        assert "a\nb" == TERMINAL.cell(["a", "b"])
        assert "a<br>b" == family("github").cell(["a", "b"])
        assert "a; b" == family("rst").cell(["a", "b"])


class TestFormats:
    def test_every_tabulate_format_but_unsafe_html(self) -> None:
        """Every tabulate format is offered, except the one that does not escape."""
        offered = set(formats())
        assert set(tabulate.tabulate_formats) - {"unsafehtml"} <= offered
        assert {"markdown", "html", "json"} <= offered
        assert "unsafehtml" not in offered

    def test_unsafe_html_is_refused(self) -> None:
        """Asking for tabulate's unescaped html names the safe one."""
        with pytest.raises(FormatError, match="use 'html'"):
            check_format("unsafehtml")

    def test_misspelt_format_gets_a_suggestion(self) -> None:
        """An unknown format is refused with the nearest name."""
        with pytest.raises(FormatError, match="did you mean 'github'"):
            render(assess(example_ledger()), "githib")

    def test_format_error_is_a_value_error(self) -> None:
        """FormatError can be caught as ValueError."""
        assert issubclass(FormatError, ValueError)


class TestLayout:
    def test_sections_in_status_order_with_counts(self) -> None:
        """Sections come in status order, empty ones left out, counts in the headings."""
        text = render(assess(example_ledger()), "simple", width=200)
        headings = re.findall(r"^([A-Z][a-z ]+) \((\d+)\)$", text, re.MULTILINE)
        assert [
            ("Established facts", "1"),
            ("Reported claims", "1"),
            ("Disputed", "1"),
            ("Unsupported", "1"),
            ("Sources", "5"),
        ] == headings

    def test_title_and_summary(self) -> None:
        """The head names the title, then the date, the count per section and the policy."""
        result = assess(example_ledger())
        head = render(result, "simple", width=200).split("\n\n")[:2]
        assert "Example\n=======" == head[0]
        assert (
            "As of 2024-03-28: 1 established, 1 reported, 1 disputed, 1 unsupported;"
            " 6 claims (1 not counted), 5 sources.\n"
            f"Policy: {result.policy.summary()}"
        ) == head[1]

    def test_without_as_of_the_report_is_as_of_today(self) -> None:
        """A ledger with no as_of is reported as of today."""
        text = render(assess(example_ledger(as_of=None)), "plain", width=200)
        assert f"As of {dt.date.today().isoformat()}:" in text

    def test_untitled_ledger(self) -> None:
        """A ledger without a title still gets a title line."""
        text = render(assess(example_ledger(title=None)), "plain")
        assert text.startswith("Untitled ledger\n")

    def test_who_said_it_and_through_whom(self) -> None:
        """A claim's row names its source and its relay chain."""
        data = rows(example_ledger(), "visit")
        assert "KCNA via AFP, Le Figaro" == data["Said by"]

    def test_denials_hedges_and_withdrawals_are_marked(self) -> None:
        """Denials, hedged claims and claims not counted say so."""
        said = rows(example_ledger(), "deal")["Said by"].split("; ")
        assert [
            "AFP (probable)",
            "TASS (denies)",
            "KCNA [withdrawn 2024-03-01, not counted]",
        ] == said

    def test_rating_likelihood_and_basis(self) -> None:
        """A row shows the rating, the likelihood with its percentage, and the basis."""
        result = assess(example_ledger())
        row = rows(example_ledger(), "summit")
        summit = result["summit"]
        assert str(summit.rating) == row["Rating"]
        assert (
            f"{summit.likelihood.label} ({round(summit.probability * 100)}%)" == (row["Likelihood"])
        )
        assert summit.basis == row["Basis"]

    def test_what_is_missing(self) -> None:
        """A proposition that is not established says what it lacks."""
        result = assess(example_ledger())
        assert (
            f"{result['visit'].basis}; missing: {result['visit'].missing}"
            == (rows(example_ledger(), "visit")["Basis"])
        )

    def test_claims_not_counted_are_summed_up(self) -> None:
        """The basis cell says how many claims do not count, and why."""
        basis = rows(example_ledger(), "deal")["Basis"]
        assert basis.startswith("not counted: 1 withdrawn; ")

    def test_quotes_with_their_language(self) -> None:
        """With quotes, each claim's words follow it, with their language."""
        said = rows(example_ledger(), "summit", quotes=True)["Said by"]
        assert (
            "AFP via Le Figaro: “Un sommet a eu lieu.” (fr); Reuters: “A summit took place.” (en)"
            == said
        )

    def test_quotes_left_out_by_default(self) -> None:
        """Without quotes, the words are not shown."""
        assert "Un sommet" not in render(assess(example_ledger()), "github")

    @pytest.mark.parametrize(
        ("probability", "shown"), [(0.996, ">99%"), (0.004, "<1%"), (0.5, "50%"), (1.0, "100%")]
    )
    def test_percent_never_rounds_to_certainty(self, probability: float, shown: str) -> None:
        """A probability short of certainty is never shown as 100 % (or 0 %)."""
        from provenance._words import percent

        assert shown == percent(probability)

    @pytest.mark.parametrize("width", [80, 100, 120])
    def test_tables_fit_the_width(self, width: int) -> None:
        """Wrapped tables fit the width when the columns can be that narrow."""
        text = render(assess(example_ledger()), "grid", width=width)
        assert width >= max(map(display_width, text.splitlines()))

    def test_long_words_are_broken(self) -> None:
        """A word longer than its column is broken, not left to overflow."""
        long = Proposition("long", "x" * 300)
        ledger = Ledger.from_objects([AFP], [long], [Claim("long", "afp")])
        text = render(assess(ledger), "psql", width=80)
        assert 80 >= max(map(display_width, text.splitlines()))
        assert 300 == text.count("x")

    def test_default_width_is_the_terminals(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without a width, tables fit the terminal (COLUMNS)."""
        monkeypatch.setenv("COLUMNS", "70")
        text = render(assess(example_ledger()), "simple")
        assert 70 >= max(map(display_width, text.splitlines()))

    def test_sources_table(self) -> None:
        """Sources list id, name, kind, affiliation and reliability with its label."""
        text = render(assess(example_ledger()), "tsv")
        line = next(line for line in text.splitlines() if line.startswith("kcna"))
        assert ["kcna", "KCNA", "state-media", "DPRK", "E (Unreliable)"] == [
            cell.strip() for cell in line.split("\t")
        ]


def rows(ledger: Ledger, proposition_id: str, **options: Any) -> dict[str, str]:
    """The cells of one proposition's row, read back from the tsv format."""
    text = render(assess(ledger), "tsv", **options)
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Id"))
    row = next(line for line in lines if line.split("\t")[0].strip() == proposition_id)
    names = [cell.strip() for cell in header.split("\t")]
    return dict(zip(names, (cell.strip() for cell in row.split("\t")), strict=True))


class TestHtml:
    def test_complete_page(self) -> None:
        """The html format is a standalone page with a title, a summary, headings and tables."""
        result = assess(example_ledger())
        page = render(result, "html")
        assert page.startswith("<!doctype html>\n<html")
        assert '<meta charset="utf-8">' in page
        assert "<title>Example</title>" in page
        assert "<style>" in page
        assert 5 == page.count("<table>")
        assert '<h2>Established facts (1) <span class="shown"></span></h2>' in page
        assert f'<p class="summary">Policy: {result.policy.summary().replace(">", "&gt;")}</p>' in (
            page
        )
        assert page.endswith("</html>")

    def test_self_contained(self) -> None:
        """The page loads nothing: no external address but links, only its own style and script."""
        page = render(assess(seed()), "html")
        check_page(page)
        assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=", page)
        assert "default-src 'none'" in page

    def test_ledger_text_is_escaped(self) -> None:
        """Markup in ledger text is shown, not run."""
        ledger = example_ledger(title="<script>alert(1)</script>")
        page = render(assess(ledger), "html")
        check_page(page)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_rows_carry_status_and_speakers(self) -> None:
        """Each proposition row names its verdict and every source that spoke or relayed."""
        page = render(assess(example_ledger()), "html")
        assert '<tr data-status="reported" data-sources="kcna afp figaro">' in page

    def test_links_to_sources_and_claims(self) -> None:
        """Sources' and claims' addresses are links; notes are shown folded."""
        afp = Source("afp", "AFP", kind="wire", reliability="B", url="https://afp.example/")
        ledger = Ledger.from_objects(
            [afp],
            [Proposition("p", "Something happened.", note="A <note>.")],
            [Claim("p", "afp", url="https://afp.example/story?a=1&b=2", note="Said at noon.")],
        )
        page = render(assess(ledger), "html")
        assert '<a href="https://afp.example/" rel="noopener noreferrer">AFP</a>' in page
        assert '<a href="https://afp.example/story?a=1&amp;b=2"' in page
        assert '<details class="note"><summary>note</summary>A &lt;note&gt;.</details>' in page

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example"])
    def test_only_web_addresses_become_links(self, url: str) -> None:
        """An address that is not http(s) is shown as text, never as a link."""
        from provenance._html import _span
        from provenance._layout import Span

        assert "href" not in _span(Span("x", url))

    def test_filters_offer_the_verdicts_and_sources_present(self) -> None:
        """The filters list each verdict present and each source by its short and full name."""
        ledger = example_ledger()
        page = render(assess(ledger), "html")
        verdicts = re.search(r'<select id="f-status">(.*?)</select>', page)
        assert verdicts is not None
        assert ["", "established", "reported", "disputed", "unsupported"] == re.findall(
            r'value="([^"]*)"', verdicts.group(1)
        )
        assert '<option value="figaro">Le Figaro</option>' in page


class TestJson:
    def test_top_level_keys(self) -> None:
        """The document has the documented top-level keys."""
        data = json.loads(render(assess(example_ledger()), "json"))
        keys = ["title", "url", "as_of", "counts", "policy", "propositions", "sources"]
        assert keys == list(data)

    def test_proposition_claim_and_source_keys(self) -> None:
        """Propositions, claims and sources carry the documented keys, notes and URLs included."""
        data = json.loads(render(assess(seed()), "json"))
        proposition_keys = ["id", "text", "about", "note", "status", "section", "probability"]
        proposition_keys += ["likelihood", "credibility", "rating", "basis", "missing"]
        proposition_keys += ["support", "oppose", "claims"]
        assert all(proposition_keys == list(p) for p in data["propositions"])
        claim_keys = ["source", "via", "stance", "certainty", "said_on", "withdrawn_on", "quote"]
        claim_keys += ["lang", "credence", "url", "note", "probability", "stake", "counted"]
        claim_keys += ["excluded", "reason"]
        claims_ = [c for p in data["propositions"] for c in p["claims"]]
        assert all(claim_keys == list(c) for c in claims_)
        source_keys = ["id", "name", "short_name", "kind", "affiliation", "reliability"]
        source_keys += ["reliability_label", "depends_on", "url", "note"]
        assert all(source_keys == list(s) for s in data["sources"])

    def test_notes_and_urls(self) -> None:
        """Notes and addresses of propositions, claims and sources are carried verbatim."""
        ledger = seed()
        data = json.loads(render(assess(ledger), "json"))
        assert [p.note for p in ledger.propositions] == [p["note"] for p in data["propositions"]]
        assert [(c.url, c.note) for p in ledger.propositions for c in ledger.claims_on(p.id)] == [
            (c["url"], c["note"]) for p in data["propositions"] for c in p["claims"]
        ]
        assert [(s.url, s.note) for s in ledger.sources] == [
            (s["url"], s["note"]) for s in data["sources"]
        ]
        assert ledger.url == data["url"]

    def test_counts_and_exclusions(self) -> None:
        """Counts per verdict add up, and a withdrawn claim says why it does not count."""
        result = assess(example_ledger())
        data = json.loads(render(result, "json"))
        assert {s.value: len(result.by_status(s)) for s in Status} == data["counts"]
        deal = next(p for p in data["propositions"] if p["id"] == "deal")
        assert [None, None, "withdrawn"] == [c["excluded"] for c in deal["claims"]]

    def test_values(self) -> None:
        """Values match the assessments."""
        result = assess(example_ledger())
        data = json.loads(render(result, "json"))
        deal = next(p for p in data["propositions"] if p["id"] == "deal")
        assert result["deal"].status.value == deal["status"]
        assert result["deal"].probability == deal["probability"]
        assert str(result["deal"].rating) == deal["rating"]
        assert int(result["deal"].credibility) == deal["credibility"]
        assert [["afp"]] == [g["sources"] for g in deal["support"]]
        assert "2024-03-28" == data["as_of"]

    def test_the_same_as_report_data(self) -> None:
        """The json format is report_data, serialised."""
        result = assess(example_ledger())
        assert report_data(result) == json.loads(render(result, "json"))

    def test_texts_verbatim(self) -> None:
        """Texts are carried verbatim, hidden characters included (as escapes)."""
        title = "A\u202eB\x1b[2J\nC"
        text = render(assess(example_ledger(title=title)), "json")
        assert title == json.loads(text)["title"]
        assert [] == hidden(text)


class TestGolden:
    @pytest.mark.parametrize(
        ("fmt", "width", "name", "draw"),
        [
            ("simple", 100, "svr-pyongyang.simple.txt", render),
            ("simple", 80, "svr-pyongyang.80.txt", render),
            ("github", 100, "svr-pyongyang.github.md", render),
            ("json", 100, "svr-pyongyang.json", render),
            ("html", 100, "svr-pyongyang.html", render),
            ("simple", 80, "svr-pyongyang.timeline.txt", render_timeline),
            ("json", 80, "svr-pyongyang.timeline.json", render_timeline),
        ],
    )
    def test_seed_report(self, fmt: str, width: int, name: str, draw: Callable[..., str]) -> None:
        """The seed ledger's report (and timeline) is the reviewed golden file."""
        text = draw(assess(seed()), fmt, width=width) + "\n"
        path = GOLDEN / name
        if REGENERATE:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            pytest.fail(f"regenerated {path}; review it (git diff) and run again without it")
        if not path.exists():
            pytest.fail(f"no golden file {path}; create it with PROVENANCE_REGEN_GOLDEN=1")
        assert path.read_text(encoding="utf-8") == text


# -- hostile text in every format ----------------------------------------------

HOSTILE = (
    "| a | b ||",
    "<script>alert(1)</script>",
    "\x1b[31mred\x1b[0m\x1b]8;;http://x.invalid\x1b\\",
    "a\u202eb\u2066c\u200bd\ufeff\u2028e",
    ".. include:: /etc/passwd",
    "\\input{/etc/passwd} & % $ # _ ^ ~ [x]",
    "{noformat} {{template}} [[link]] '''bold''' <<Macro>> pass:[<b>] +++<i>+++",
    "line\nbreak\r\ttab\x0b\x0c\x85",
    "\\| \\\\| &#124; &amp;",
    "Séoul 서울 🇰🇵 👍🏽 e\u0301",
)


def hostile_ledger() -> Ledger:
    """A ledger with hostile text in every text field the report shows."""
    sources = [
        Source(f"s{i}", text, kind="wire", affiliation=text, reliability="B")
        for i, text in enumerate(HOSTILE)
    ]
    propositions = [Proposition(f"p{i}", text, about=[text]) for i, text in enumerate(HOSTILE)]
    claims_ = [
        Claim(f"p{i}", f"s{i}", via=[f"s{(i + 1) % len(HOSTILE)}"], quote=text, lang="fr")
        for i, text in enumerate(HOSTILE)
    ]
    return Ledger.from_objects(sources, propositions, claims_, title=" ".join(HOSTILE))


MARKUP_FORMATS = {"html", "github", "pipe", "markdown", "mediawiki", "moinmoin", "textile"}
MARKUP_FORMATS |= {"asciidoc"}
VERTICALS = "|│┃║"
LATEX_ESCAPES = re.compile(
    r"\\(textbackslash|textasciitilde|textless|textgreater|textbar|textquotedbl)\{\}"
    r"|\\ensuremath\{[<>]\}|\\\^\{\}|\\[&%$#_{}]|\\\\$"
)


def tables(text: str, count: int, fmt: str) -> list[list[str]]:
    """The tables of a rendered report, after the title and the summary.

    The terminal formats put a card section's table right under its heading;
    the others leave a blank line between them.
    """
    blocks = text.split("\n\n")
    if family(fmt).wraps:
        assert 2 + count == len(blocks), "a table holds a blank line or a block is missing"
        return [block.splitlines()[2:] for block in blocks[2:]]
    assert 2 + 2 * count == len(blocks), "a table holds a blank line or a block is missing"
    return [block.splitlines() for block in blocks[3::2]]


HORIZONTALS = "-=─━═:"
RULE = set(" +|" + HORIZONTALS + "┼┿╋╬╪┬┴├┤┌┐└┘╭╮╰╯┏┓┗┛┣┫┳┻╔╗╚╝╠╣╦╩╒╕╘╛╞╡╤╧┍┑┕┙┝┥┯┷")


def shown(line: str) -> Callable[[int], str]:
    """What a terminal shows at a display column of `line`, where it has a space or a word starts.

    Widths are measured word by word (a space ends any cluster of characters),
    as tabulate measures them; a column inside a word shows as NUL, and past
    the end of the line (the last cell is not always padded) as a space.
    """
    found: dict[int, str] = {}
    column = 0
    for match in re.finditer(r" |[^ ]+", line):
        found[column] = match.group()[0]
        column += display_width(match.group())
    return lambda at: " " if at >= column else found.get(at, "\0")


def check_terminal_table(fmt: str, lines: list[str], columns: int) -> None:
    """Assert that each line of a terminal table has its separators at the columns' edges."""
    # A rule starts at the left edge; a cell's text drawn like one ("+---+") does not.
    rules = [
        line
        for line in lines
        if line[:1] not in " " and set(line) <= RULE and set(line) & set(HORIZONTALS)
    ]
    if rules and set(rules[0]) - set(HORIZONTALS + " "):
        # Box-drawn: every line has a vertical line where the rule has a junction.
        edges = [i for i, c in enumerate(rules[0]) if c not in HORIZONTALS + " "]
        assert columns - 1 == len([e for e in edges if 0 < e < len(rules[0].rstrip()) - 1]), fmt
        for line in lines:
            if line not in rules:
                at = shown(line)
                found = [at(edge) for edge in edges]
                assert all(c in VERTICALS for c in found), f"{fmt}: {line!r}"
    elif columns > 1:
        # Columns apart by spaces: the heading line says where each column starts.
        header = next(line for line in lines if line not in rules)
        starts = [m.end() for m in re.finditer(r"\S  +", header)]
        assert columns - 1 == len(starts), f"{fmt}: {header!r}"
        for line in lines:
            at = shown(line)
            for start in starts:
                gap = at(start - 1) + at(start - 2)
                assert "  " == gap, f"{fmt}: {line!r}"


def check_table(fmt: str, lines: list[str], columns: int) -> None:
    """Assert that every row of one table has `columns` cells, by the format's own syntax."""
    fam = family(fmt) if fmt != "markdown" else family("github")
    if fam.name == "terminal":
        check_terminal_table(fmt, lines, columns)
        return
    if fam.name == "markdown" or fmt in ("orgtbl", "textile"):
        for line in lines:
            separators = "|+" if fmt == "orgtbl" and line.startswith("|-") else "|"
            found = sum(map(line.count, separators))
            assert columns + 1 == found, f"{fmt}: {line!r}"
    elif fam.name == "jira":
        for line in lines:
            assert columns + 2 == len(re.split(r"(?<!\\)\|+", line)), f"{fmt}: {line!r}"
    elif fmt == "mediawiki":
        for line in lines:
            if line.startswith("!"):
                assert columns == len(line[1:].split("!!")), f"{fmt}: {line!r}"
            elif line.startswith("| ") or line == "|":
                assert columns == len(line[1:].split("||")), f"{fmt}: {line!r}"
                assert "|" not in line[1:].replace("||", ""), f"{fmt}: {line!r}"
            else:
                assert line in ("|-", "|}", "|+ <!-- caption -->") or line.startswith("{|")
    elif fmt == "moinmoin":
        for line in lines:
            assert 2 * (columns + 1) == line.count("|"), f"{fmt}: {line!r}"
    elif fmt == "asciidoc":
        for line in lines:
            if not (line.startswith("[cols=") or line == "|===="):
                assert columns == line.count("|"), f"{fmt}: {line!r}"
    elif fmt == "tsv":
        for line in lines:
            assert columns - 1 == line.count("\t"), f"{fmt}: {line!r}"
    elif fmt == "rst":
        rules = [line for line in lines if set(line) <= {"=", " "}]
        assert 3 == len(rules)
        assert all(columns == len(rule.split()) for rule in rules)
        check_terminal_table(fmt, lines, columns)
    elif fmt.startswith("latex"):
        for line in lines:
            if line.endswith("\\\\"):
                assert columns == len(re.split(r"(?<!\\)&", line)), f"{fmt}: {line!r}"
                assert "\\" not in LATEX_ESCAPES.sub("", line), f"{fmt}: {line!r}"
    else:  # pragma: no cover - a format this test does not know
        raise AssertionError(f"no structure check for {fmt}")


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1


HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "br"}
HTML_TAGS |= {"section", "table", "thead", "tbody", "tr", "th", "td", "header", "main", "nav"}
HTML_TAGS |= {"label", "select", "option", "span", "a", "details", "summary", "button", "script"}


def check_page(text: str) -> None:
    """Assert that the only script in a page is the library's own, allowed by its hash."""
    from provenance._html import SCRIPT

    assert 1 == text.lower().count("<script"), "a script tag that is not ours"
    assert f"<script>\n{SCRIPT}\n</script>" in text
    digest = base64.b64encode(hashlib.sha256(f"\n{SCRIPT}\n".encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in text
    for href in re.findall(r'href="([^"]*)"', text):
        assert re.match(r"https?://", href, re.IGNORECASE), href


def check_report(fmt: str, text: str, ledger: Ledger, kind: str = "report") -> None:
    """Assert that a rendered report (or timeline) is safe and well formed in its format."""
    result = assess(ledger)
    assert [] == hidden(text, allowed="\n\t" if fmt == "tsv" else "\n"), fmt
    if fmt in MARKUP_FORMATS - {"html"}:
        assert "<script" not in text.lower(), fmt
    cards = family(fmt).wraps
    if kind == "timeline":
        sections = 1 if ledger.claims else 0
        columns = [2 if cards else 5] * sections
    else:
        sections = sum(1 for s in Status if result.by_status(s)) + bool(ledger.sources)
        columns = [1 if cards else 6] * (sections - bool(ledger.sources))
        columns += [2 if cards else 5] * bool(ledger.sources)
    if fmt == "json":
        data = json.loads(text)
        if kind == "report":
            assert [p.text for p in ledger.propositions] == [
                p["text"] for p in data["propositions"]
            ]
        else:
            assert len(ledger.claims) == sum(e["event"] == "said" for e in data["events"])
        assert ledger.title == data["title"]
    elif fmt == "html":
        check_page(text)
        parser = _Tags()
        parser.feed(text)
        assert set(parser.tags) <= HTML_TAGS
        assert sections == parser.tags.count("table")
        assert set(parser.rows) <= {6, 5}
    else:
        for lines, count in zip(tables(text, sections, fmt), columns, strict=True):
            check_table(fmt, lines, count)


class TestHostileText:
    @given(
        ledger=ledgers(min_propositions=1, max_propositions=3, max_sources=4, max_claims=5),
        width=st.integers(min_value=20, max_value=160),
        quotes=st.booleans(),
    )
    @example(ledger=hostile_ledger(), width=80, quotes=True)
    @example(ledger=hostile_ledger(), width=20, quotes=False)
    def test_no_text_breaks_any_format(self, ledger: Ledger, width: int, quotes: bool) -> None:
        """Property: in any format, any text keeps rows whole, hides nothing and runs no markup."""
        result = assess(ledger)
        for fmt in formats():
            check_report(fmt, render(result, fmt, quotes=quotes, width=width), ledger)
            text = render_timeline(result, fmt, quotes=quotes, width=width)
            check_report(fmt, text, ledger, "timeline")

    def test_hostile_ledger_in_every_format(self) -> None:
        """The hand-made hostile ledger is safe in every format, each checked on its own."""
        ledger = hostile_ledger()
        for fmt in formats():
            text = render(assess(ledger), fmt, quotes=True, width=100)
            check_report(fmt, text, ledger)
            assert "\x1b" not in text
            text = render_timeline(assess(ledger), fmt, quotes=True, width=100)
            check_report(fmt, text, ledger, "timeline")
            assert "\x1b" not in text


class TestWrapping:
    def test_a_number_like_cell_wraps(self) -> None:
        """A cell that reads like a number with a thousands separator ("7,000")
        renders in a narrow table (tabulate's own wrapping failed on it)."""
        ledger = Ledger.from_objects(
            [Source("kcna", "KCNA")],
            [Proposition("kcna", "7,000")],
            [],
        )
        for format in ("simple", "grid", "psql"):
            text = render(assess(ledger), format, width=20)
            assert "7,000" in text

    @given(texts(), st.integers(2, 40))
    @example("putin-kim-summit-2023-09", 8)
    @example("中文中文中文中文中文", 5)
    def test_wrapped_lines_fit_and_keep_every_word(self, text: str, width: int) -> None:
        """Every wrapped line fits the width and no non-space character is lost."""
        from provenance._text import wrap

        wrapped = wrap(text, width)
        for line in wrapped.split("\n"):
            assert display_width(line) <= width or len(line) == 1
        assert "".join(text.split()) == "".join(wrapped.split())


# -- the terminal cards ------------------------------------------------------------

TERMINAL_FORMATS = [f for f in formats() if f not in ("html", "json") and family(f).wraps]


def words_of(text: str) -> set[str]:
    """The whitespace-separated words of `text`."""
    return set(text.split())


class TestCards:
    def test_seed_report_at_80_columns(self) -> None:
        """The seed report fits 80 columns in at most 120 lines, every id whole."""
        ledger = seed()
        text = render(assess(ledger), "simple", width=80)
        lines = text.splitlines()
        assert 120 >= len(lines)
        assert 80 >= max(map(display_width, lines))
        ids = [p.id for p in ledger.propositions] + [s.id for s in ledger.sources]
        assert set(ids) <= words_of(text)

    def test_facts_apart_from_claims(self) -> None:
        """Each proposition sits under its verdict's heading, with rating, id and likelihood."""
        result = assess(example_ledger())
        text = render(result, "simple", width=80)
        for status in Status:
            for a in result.by_status(status):
                section = text.split(f"{status.section} (")[1].split("\n\n")[0]
                head = f"{a.rating}  {a.proposition.id}  {a.likelihood.label}"
                assert head in section

    def test_what_is_missing_on_its_own_line(self) -> None:
        """Short of established, a card says what is missing on an indented line of its own."""
        result = assess(example_ledger())
        text = render(result, "plain", width=200)
        assert f"    missing: {result['visit'].missing}" in text.splitlines()
        assert f"    basis: {result['summit'].basis}" in text.splitlines()

    def test_who_said_it_in_short_names(self) -> None:
        """A card names who said it in short names, relays after 'via'."""
        afp = Source("afp", "Agence France-Presse (AFP)", kind="wire", reliability="B")
        kcna = Source("kcna", "Korean Central News Agency (KCNA)", reliability="E")
        ledger = Ledger.from_objects(
            [afp, kcna, FIGARO],
            [VISIT],
            [Claim("visit", "kcna", via=["afp", "figaro"])] * 2,
        )
        text = render(assess(ledger), "simple", width=100)
        assert "    said by KCNA via AFP, Le Figaro (2 claims)" in text.splitlines()

    def test_long_relay_chains_are_summarised(self) -> None:
        """A chain of more than three relays names its first and last and counts them."""
        relays = [Source(f"r{i}", f"Relay {i}", reliability="B") for i in range(5)]
        ledger = Ledger.from_objects(
            [KCNA, *relays], [VISIT], [Claim("visit", "kcna", via=[r.id for r in relays])]
        )
        said = rows(ledger, "visit")["Said by"]
        assert "KCNA via Relay 0 … Relay 4 (5 relays)" == said

    @given(
        ledger=ledgers(min_propositions=1, max_propositions=3, max_sources=4, max_claims=5),
        width=st.integers(min_value=20, max_value=160),
        fmt=st.sampled_from(TERMINAL_FORMATS),
    )
    def test_ids_whole_and_lines_fit(self, ledger: Ledger, width: int, fmt: str) -> None:
        """Property: in a terminal format every id is whole, and from 40 columns on
        lines fit the width whenever the longest id leaves room for the borders."""
        text = render(assess(ledger), fmt, width=width)
        ids = [p.id for p in ledger.propositions] + [s.id for s in ledger.sources]
        assert set(ids) <= words_of(text)
        longest = max(map(len, ids))
        if width >= max(40, longest + 16):
            assert width >= max(map(display_width, text.splitlines()))

    def test_a_narrow_terminal_keeps_ids_whole(self) -> None:
        """Narrower than an id, the id overflows rather than breaks."""
        long = Proposition("a-" + "long-" * 12 + "id", "Text.")
        ledger = Ledger.from_objects([AFP], [long], [Claim(long.id, "afp")])
        text = render(assess(ledger), "simple", width=30)
        assert long.id in words_of(text)


class TestShortNames:
    @pytest.mark.parametrize(
        ("name", "short"),
        [
            ("Korean Central News Agency (KCNA)", "KCNA"),
            ("Foreign Intelligence Service (SVR), press bureau", "SVR"),
            ("Kremlin (Office of the President of Russia), official website", "Kremlin"),
            (
                "United States government (White House National Security Council)",
                "United States government",
            ),
            (
                "UN Security Council resolution 1718 (2006)",
                "UN Security Council resolution 1718 (2006)",
            ),
            (
                "Council Regulation (EU) 2022/328 of 25 February 2022",
                "Council Regulation (EU) 2022/328 of 25 February 2022",
            ),
            ("Le Figaro", "Le Figaro"),
        ],
    )
    def test_examples(self, name: str, short: str) -> None:
        """An acronym in brackets names the source; a closing aside is left out."""
        assert {"s": short} == short_names([Source("s", name)])

    def test_names_that_would_clash_stay_whole(self) -> None:
        """Two sources with the same short name keep their full names."""
        sources = [Source("a", "Ministry (Seoul)"), Source("b", "Ministry (Tokyo)")]
        assert {"a": "Ministry (Seoul)", "b": "Ministry (Tokyo)"} == short_names(sources)

    def test_basis_uses_short_names_in_cards(self) -> None:
        """A card's basis names sources as its 'said by' line does."""
        afp = Source("afp", "Agence France-Presse (AFP)", kind="wire", reliability="B")
        ledger = Ledger.from_objects(
            [afp, REUTERS], [SUMMIT], [Claim("summit", "afp"), Claim("summit", "reuters")]
        )
        text = render(assess(ledger), "simple", width=200)
        assert "Agence France-Presse" not in text.split("Sources (")[0]
        assert "Agence France-Presse (AFP)" in text.split("Sources (")[1]


class TestExclusions:
    def test_a_proposition_whose_every_claim_was_withdrawn_says_so(self) -> None:
        """When every claim was withdrawn, the row says so, and marks each claim."""
        ledger = Ledger.from_objects(
            [AFP, REUTERS],
            [DEAL],
            [
                Claim("deal", "afp", said_on="2024-03-01", withdrawn_on="2024-03-02"),
                Claim("deal", "reuters", said_on="2024-03-01", withdrawn_on="2024-03-03"),
            ],
            as_of="2024-03-28",
        )
        text = render(assess(ledger), "simple", width=200)
        assert "    every claim was withdrawn: no claim counts" in text.splitlines()
        assert (
            "    said by AFP [withdrawn 2024-03-02, not counted]; Reuters [withdrawn 2024-03-03,"
            " not counted]"
        ) in text.splitlines()

    def test_claims_said_after_the_as_of_date(self) -> None:
        """A claim said after the as-of date is marked with its date."""
        ledger = Ledger.from_objects(
            [AFP], [DEAL], [Claim("deal", "afp", said_on="2024-04-01")], as_of="2024-03-28"
        )
        said = rows(ledger, "deal")["Said by"]
        assert "AFP [said 2024-04-01, after the as-of date, not counted]" == said

    def test_a_correction_is_marked(self) -> None:
        """A claim that takes the place of its source's withdrawn one says which it corrects."""
        ledger = Ledger.from_objects(
            [AFP],
            [DEAL],
            [
                Claim("deal", "afp", said_on="2024-03-01", withdrawn_on="2024-03-02"),
                Claim("deal", "afp", stance="denies", said_on="2024-03-03"),
            ],
            as_of="2024-03-28",
        )
        assert (
            "AFP [withdrawn 2024-03-02, not counted];"
            " AFP (denies) [corrects its claim of 2024-03-01]"
        ) == rows(ledger, "deal")["Said by"]

    def test_an_exclusion_not_known_here_is_marked_by_its_value(self) -> None:
        """A reason this module has no mark for is shown as the member's own words."""
        import enum

        import attrs

        from provenance._words import exclusion_mark

        class Later(enum.StrEnum):
            CAPPED = "capped by its relay"

        weighed = assess(example_ledger())["summit"].weighed[0]
        later: Any = Later.CAPPED  # a member of a reason enum this module does not know
        assert "capped by its relay" == exclusion_mark(attrs.evolve(weighed, excluded=later))
