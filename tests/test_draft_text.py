"""Tests of what drafting does without a language model: reading articles, sentences, tables."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TypeVar

import pytest

from provenance import Claim, Ledger, LedgerError, Proposition, Source, dumps, loads
from provenance.draft import MissingModelError, _load_pipeline
from provenance.draft.aliases import AliasError, AliasTable
from provenance.draft.article import (
    DraftError,
    check_text,
    decode_article,
    detect_language,
    read_article,
    split,
)
from provenance.draft.lexicon import Lexicon, fold
from provenance.draft.resolve import slugify
from provenance.model import Certainty, SourceKind, Stance

DATA = Path(__file__).parent / "data"


T = TypeVar("T")


def some(value: T | None) -> T:
    """`value`, which the test expects to be found."""
    assert value is not None
    return value


class TestCueKey:
    def test_cue_round_trips_through_both_formats(self) -> None:
        """A claim's cue is written to TOML and JSON and read back unchanged."""
        ledger = Ledger.from_objects(
            [Source("kcna", "KCNA")],
            [Proposition("visit", "Naryshkin visited Pyongyang.")],
            [Claim("visit", "kcna", quote="Le chef… s'est déplacé", cue="a indiqué")],
            as_of=dt.date(2024, 3, 28),
        )
        for fmt in ("toml", "json"):
            text = dumps(ledger, fmt)
            assert "a indiqué" in text
            assert ledger == loads(text, fmt)

    def test_a_blank_cue_is_refused_in_a_file(self) -> None:
        """A file whose claim has an empty cue is refused at that key."""
        text = (
            'title = "x"\n[[sources]]\nid = "a"\nname = "A"\n[[propositions]]\nid = "p"\n'
            'text = "P."\n[[propositions.claims]]\nsource = "a"\ncue = " "\n'
        )
        with pytest.raises(LedgerError) as caught:
            loads(text, "toml")
        assert "propositions[0].claims[0].cue" == caught.value.problems[0].place
        assert "must not be empty" == caught.value.problems[0].message


class TestReading:
    def test_an_empty_file_is_refused(self, tmp_path: Path) -> None:
        """An empty or blank article is refused with a one-line error naming the file."""
        path = tmp_path / "empty.txt"
        path.write_text(" \n\n")
        with pytest.raises(DraftError) as caught:
            read_article(path)
        assert f"{path}: the article is empty" == str(caught.value)

    def test_a_binary_file_is_refused(self, tmp_path: Path) -> None:
        """A file with a NUL byte is refused as binary, with its place."""
        path = tmp_path / "image.txt"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
        with pytest.raises(DraftError, match="line 3, column 1: NUL byte: a binary file"):
            read_article(path)

    def test_text_that_is_not_utf8_is_refused(self, tmp_path: Path) -> None:
        """Latin-1 text is refused naming the byte and its place."""
        path = tmp_path / "latin1.txt"
        path.write_bytes("Séoul a déclaré".encode("latin-1"))
        with pytest.raises(DraftError) as caught:
            read_article(path)
        assert "line 1, column 2: not valid UTF-8 (byte e9)" in str(caught.value)
        assert "\n" not in str(caught.value)

    def test_an_oversized_file_is_refused(self, tmp_path: Path) -> None:
        """A file over the limit is refused before it is decoded."""
        path = tmp_path / "big.txt"
        path.write_bytes(b"a" * 101)
        with pytest.raises(DraftError, match="larger than the limit of 100 bytes"):
            read_article(path, max_bytes=100)

    def test_a_directory_is_refused(self, tmp_path: Path) -> None:
        """A directory is not an article file."""
        with pytest.raises(DraftError, match=r"cannot read the file|not an article file"):
            read_article(tmp_path)

    def test_a_byte_order_mark_is_dropped(self) -> None:
        """A UTF-8 byte-order mark is not part of the article's text."""
        assert "Il a dit." == decode_article("\ufeffIl a dit.".encode(), "a.txt")

    @pytest.mark.parametrize("text", ["a\0b", "x\ud800y"])
    def test_text_with_nul_or_surrogates_is_refused(self, text: str) -> None:
        """Text handed over in code is checked like a file's."""
        with pytest.raises(DraftError):
            check_text(text)

    def test_text_must_be_a_string(self) -> None:
        """Bytes are not text: decode them with decode_article first."""
        with pytest.raises(TypeError):
            check_text(b"bytes")


class TestLanguage:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Le ministère a indiqué que la visite était terminée, selon l'agence.", "fr"),
            ("The ministry said on Monday that the visit was over, according to AP.", "en"),
            ("12345 67 !!!", None),
            ("Pyongyang Seoul Moscow", None),
        ],
    )
    def test_language_is_told_by_common_words(self, text: str, expected: str | None) -> None:
        """French and English are told apart; text with neither gets None."""
        assert expected == detect_language(text)


class TestSentences:
    def test_a_dateline_names_the_wire_and_the_city(self) -> None:
        """SEOUL, date (AFP) - opens the body and is left out of the first sentence."""
        article = split("Title here\n\nSEOUL, March 18, 2024 (AFP) - Shin said it. He left.")
        assert ("AFP", "SEOUL") == (article.wire, article.city)
        texts = [article.text[s.start : s.end] for s in article.sentences]
        assert ["Title here", "Shin said it.", "He left."] == texts
        assert [True, False, False] == [s.heading for s in article.sentences]

    def test_quotations_and_abbreviations_do_not_end_sentences(self) -> None:
        """A full stop inside a quotation or after U.S. does not cut the sentence."""
        text = '"We went. We saw," the U.S. official said. « Non. Jamais », a-t-il dit.'
        article = split(text)
        texts = [text[s.start : s.end] for s in article.sentences]
        assert [
            '"We went. We saw," the U.S. official said.',
            "« Non. Jamais », a-t-il dit.",
        ] == texts

    def test_the_seed_article_keeps_its_headings_apart(self) -> None:
        """The seed article's navigation line, title and crosshead are headings."""
        text = (DATA / "article-svr-pyongyang.txt").read_text(encoding="utf-8")
        article = split(text)
        headings = [text[s.start : s.end][:20] for s in article.sentences if s.heading]
        assert ["A L uneACTUALITESint", "Le directeur du rens", "Faire face «à l’espi"] == headings
        assert 10 == len([s for s in article.sentences if not s.heading])


class TestLexicon:
    def test_both_languages_load_from_data_files(self) -> None:
        """The shipped lexicons know the cues the issue names, with their stance and hedging."""
        fr, en = Lexicon.load("fr"), Lexicon.load("en")
        assert Stance.DENIES == some(fr.verb("dément", "démentir")).stance
        assert Certainty.PROBABLE == some(fr.verb("estime", "estimer")).certainty
        assert Stance.DENIES == some(en.verb("dismissed")).stance
        assert Certainty.PROBABLE == some(en.verb("believes")).certainty
        assert {"selon", "d'apres"} <= set(fr.prepositions)
        assert "according to" in en.prepositions
        assert "reportedly" in en.standalone and "aurait" in fr.standalone

    def test_an_unknown_language_is_refused(self) -> None:
        """Only French and English have a lexicon."""
        with pytest.raises(ValueError, match="no cue lexicon for language 'de'"):
            Lexicon.load("de")

    def test_fold_ignores_case_accents_and_apostrophes(self) -> None:
        """Words compare without case, accents or curly apostrophes."""
        assert fold("D’APRÈS") == fold("d'après") == "d'apres"


class TestAliases:
    def test_one_government_however_named(self) -> None:
        """Capitals, seats of power and leaders map to their country."""
        table = AliasTable.load()
        assert "russia" == some(table.country_of("Moscou")).key
        assert "russia" == some(table.country_of("the Kremlin")).key
        assert "us" == some(table.country_of("Washington")).key
        assert "dprk" == some(table.person("le dirigeant Kim Jong Un")).key
        assert table.is_government("le ministère sud-coréen de la Défense")

    def test_acronyms_match_only_in_capitals(self) -> None:
        """UN is the United Nations; "un diplomate" is not."""
        table = AliasTable.load()
        assert "un" == some(table.find_source("the UN said")).id
        assert table.find_source("un diplomate européen") is None
        assert "iaea" == some(table.find_source("le directeur général de l'AIEA")).id

    def test_a_user_file_extends_and_overrides(self, tmp_path: Path) -> None:
        """A user's alias file adds sources and replaces one with the same id."""
        path = tmp_path / "desk.toml"
        path.write_text(
            '[[sources]]\nid = "afp"\nname = "AFP (desk name)"\nkind = "wire"\naliases = ["AFP"]\n'
            '[[sources]]\nid = "kpa"\nname = "Korean People\'s Army"\nkind = "military"\n'
            'affiliation = "DPRK"\naliases = ["armée populaire de Corée", "KPA"]\n'
        )
        table = AliasTable.load(path)
        assert "AFP (desk name)" == some(table.source("afp")).name
        assert SourceKind.MILITARY == some(table.find_source("l'armée populaire de Corée")).kind
        assert table.source("kcna") is not None

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"[[sources]]\nid = 'X'\nname = 'x'\n", "sources[0].id: 'X' is not an id"),
            (b"[[sources]]\nid = 'x'\nname = 'x'\nkind = 'spy'\n", "is not a source kind"),
            (b"[[sources]]\nid = 'x'\nnom = 'x'\n", "unknown key 'nom'"),
            (b"sources = 3\n", "expected a list of tables"),
            (b"[[sources]\n", "line 1"),
            (b"\xff\xfe", "not UTF-8"),
        ],
    )
    def test_a_bad_alias_file_is_refused(
        self, tmp_path: Path, content: bytes, message: str
    ) -> None:
        """A broken alias file gets one error naming the file and the place."""
        path = tmp_path / "bad.toml"
        path.write_bytes(content)
        with pytest.raises(AliasError) as caught:
            AliasTable.load(path)
        assert str(caught.value).startswith(f"{path}: ")
        assert message in str(caught.value)


class TestSlugs:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [("Sergueï Narychkine", "serguei-narychkine"), ("  ", "source"), ("金正恩", "source")],
    )
    def test_ids_are_slugs(self, text: str, expected: str) -> None:
        """Ids made from names are ASCII slugs, with a fallback."""
        assert expected == slugify(text)


class TestMissingModel:
    def test_a_missing_model_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the model, drafting says which extra to install."""
        import provenance.draft as draft_package

        monkeypatch.setitem(draft_package.MODELS, "fr", "no_such_model_xx")
        if "spacy" not in sys.modules:
            pytest.importorskip("spacy")
        with pytest.raises(MissingModelError) as caught:
            _load_pipeline("fr")
        assert "pip install 'claim-provenance[draft]'" in str(caught.value)

    def test_missing_spacy_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without spaCy at all, drafting says which extra to install."""
        monkeypatch.setitem(sys.modules, "spacy", None)
        with pytest.raises(MissingModelError, match=r"claim-provenance\[draft\]"):
            _load_pipeline("en")

    def test_importing_provenance_does_not_import_spacy(self) -> None:
        """The library, the report path and the draft package load without spaCy."""
        import subprocess

        code = (
            "import sys, provenance, provenance.report, provenance.cli, provenance.draft;"
            "print('spacy' in sys.modules)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "False" == result.stdout.strip()


class TestDraftArguments:
    def test_an_unsupported_language_is_refused(self) -> None:
        """Only French and English are drafted; the error says which are."""
        from provenance.draft import draft

        with pytest.raises(DraftError, match=r"unsupported language 'de' \(supported: fr, en\)"):
            draft("Der Minister sagte, die Lage sei ernst.", "de")

    def test_text_in_no_known_language_is_refused(self) -> None:
        """Without lang, text in neither language asks for one."""
        from provenance.draft import draft

        with pytest.raises(DraftError, match="cannot tell the article's language"):
            draft("12345 67 !!! ---")

    def test_empty_text_is_refused(self) -> None:
        """Blank text is not an article."""
        from provenance.draft import draft

        with pytest.raises(DraftError, match="the article is empty"):
            draft(" \n ", "fr")
