"""Fuzz tests: whatever a ledger file holds, reading it fails only with a `ProvenanceError`.

Inputs are arbitrary bytes and text, soups of the formats' own tokens, valid
ledgers (from `provenance.strategies.ledgers`, in both formats) with their
bytes mutated (flipped bits, truncation, inserted brackets, quotes, ``nan``,
``1e999``, NUL, byte-order marks, deep nesting, huge numbers), and valid
ledgers with one value of their tree replaced by a value of the wrong kind.
The command line gets the same mutated files and must exit 0 or 2, never
with a traceback.

How many inputs ran is counted per test and printed at the end of the
module (visible with ``-s``).  For a long run, set
``PROVENANCE_FUZZ_EXAMPLES`` to the number of examples each fuzz test runs:

    PROVENANCE_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py -s
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from provenance import Ledger
from provenance.errors import LedgerError, ProvenanceError
from provenance.files import DEFAULT_MAX_BYTES, MAX_DEPTH, dumps, load, loads, save
from provenance.ledger import HINTED_PROBLEMS
from provenance.strategies import ledgers

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("toml", "json")
NAME = "fuzzed.ledger"

# Each fuzz test runs the profile's number of examples unless this is set.
_EXAMPLES = os.environ.get("PROVENANCE_FUZZ_EXAMPLES")
fuzz_settings = settings(
    max_examples=int(_EXAMPLES) if _EXAMPLES else settings().max_examples,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# The command line is fuzzed with fewer examples: each one starts a process.
command_settings = settings(
    max_examples=max(10, int(_EXAMPLES) // 100) if _EXAMPLES else 10,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

INPUTS: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _count_inputs() -> Iterator[None]:
    """Print how many inputs each fuzz test fed to the reader."""
    yield
    total = sum(INPUTS.values())
    lines = [f"  {name}: {count}" for name, count in sorted(INPUTS.items())]
    print("\nfuzz inputs run:", total, *lines, sep="\n")


def read(data: bytes | str, fmt: str, counter: str) -> Ledger | None:
    """Read `data`; return the ledger, or None if it was refused as a ledger must be.

    Any exception but a `ProvenanceError` propagates and fails the test; a
    refusal must name the file in every problem and print without failing.
    """
    INPUTS[counter] += 1
    try:
        return loads(data, fmt, name=NAME)
    except LedgerError as error:
        assert error.problems
        assert all(NAME == problem.file for problem in error.problems), str(error)
        assert str(error)
    except ProvenanceError as error:
        assert str(error)
    return None


# -- what is inserted ------------------------------------------------------

DEEP = 10_000
INSERTS = (
    b"[",
    b"]",
    b"{",
    b"}",
    b"[[",
    b"]]",
    b'"',
    b"'",
    b'"""',
    b"'''",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"=",
    b",",
    b":",
    b"#",
    b"\n",
    b"\r\n",
    b"\r",
    b"\t",
    b"nan",
    b"-nan",
    b"inf",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"1e999",
    b"-1e999",
    b"1e-999",
    b"0x7fffffff",
    b"9" * 100,
    b"9" * 5_000,
    b"true",
    b"null",
    b"1979-05-27T07:32:00Z",
    b"07:32:00",
    b"0000-00-00",
    b"\x00",
    b"\x7f",
    b"\x1b[31m",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xe2\x80\xae",
    b"\xf4\x90\x80\x80",
    b"[" * DEEP,
    b"{" * DEEP,
    b"a = " + b"[" * DEEP,
    b'{"a": ' * DEEP,
    b"{a=" * DEEP,
    b'"\\"' * DEEP,
    b".a" * 500,
)


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few bytes flipped, cut, deleted, repeated or inserted."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(out)))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "repeat", "random"]))
        if kind == "flip" and out:
            index = min(at, len(out) - 1)
            out[index] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del out[at:]
        elif kind == "insert":
            out[at:at] = draw(st.sampled_from(INSERTS))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 40))]
        elif kind == "repeat":
            out[at:at] = out[at : at + draw(st.integers(1, 40))] * draw(st.integers(2, 50))
        else:
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(out)


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A format and the bytes of a valid ledger file in it, mutated."""
    fmt = draw(st.sampled_from(FORMATS))
    ledger = draw(ledgers(max_propositions=4, max_claims=8))
    return fmt, draw(mutations(dumps(ledger, fmt).encode("utf-8")))


# -- values of the wrong kind ----------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, 1, -1, 2, 2**63, 10**64, -(10**64), 10**400]),
    st.floats(),
    st.sampled_from([0.5, 1.0, 1e308, 5e-324, float("nan"), float("inf")]),
    st.text(st.characters(exclude_categories=()), max_size=12),
    st.sampled_from(
        ["", " ", "kcna", "asserts", "denies", "certain", "record", "B", "g", "2024-02-30"]
    ),
    st.dates(),
    st.datetimes(),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["id", "name", "source", "claims", "policy", "as_of", "credence", "via", "reliability_p"]
)


def places(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in a tree of dicts and lists."""
    yield path
    if isinstance(tree, dict | list):
        for key, value in tree.items() if isinstance(tree, dict) else enumerate(tree):
            yield from places(value, (*path, key))


@st.composite
def mistyped_trees(draw: st.DrawFn) -> dict[str, Any]:
    """The tree of a valid ledger with one to three values replaced, removed or added."""
    tree: dict[str, Any] = json.loads(
        dumps(draw(ledgers(max_propositions=4, max_claims=8)), "json")
    )
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(places(tree))[1:] or [("title",)]))
        *parents, last = path
        parent: Any = tree
        for key in parents:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace" or (action == "add" and not isinstance(parent, dict)):
            parent[last] = draw(VALUES)
        elif action == "remove":
            del parent[last]
        else:
            parent[draw(KEYS)] = draw(VALUES)
    return tree


def as_text(tree: dict[str, Any], fmt: str) -> str | None:
    """The tree written in a format, or None if the format cannot hold it."""
    try:
        if fmt == "toml":
            return tomli_w.dumps(tree)
        return json.dumps(tree, default=lambda value: value.isoformat())
    except (TypeError, ValueError):
        return None


TOKENS = {
    "toml": [
        "[[sources]]\n",
        "[[propositions]]\n",
        "[[propositions.claims]]\n",
        "[policy]\n",
        "id = ",
        "name = ",
        "source = ",
        "credence = ",
        "title = ",
        "as_of = ",
        "a.b.c = ",
        '"kcna"',
        "'kcna'",
        '"""x\n"""',
        "2024-03-28",
        "0.5",
        "nan",
        "1e999",
        "[",
        "]",
        "{",
        "}",
        ",",
        "\n",
        "=",
        '"',
    ],
    "json": [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"sources"',
        '"propositions"',
        '"claims"',
        '"policy"',
        '"id"',
        '"name"',
        '"source"',
        '"credence"',
        '"kcna"',
        '"2024-03-28"',
        "0.5",
        "NaN",
        "1e999",
        "-0",
        "null",
        "true",
        '"\\ud800"',
        '"',
    ],
}


# -- the fuzz tests --------------------------------------------------------

A_FORMAT = st.sampled_from(FORMATS)


class TestReadingNeverCrashes:
    @fuzz_settings
    @given(A_FORMAT, st.binary(max_size=2_000))
    @example("json", b"Infinity")  # the message about the top level raised TypeError
    @example("json", b"[NaN, 1e999]")
    def test_arbitrary_bytes(self, fmt: str, data: bytes) -> None:
        """Any bytes at all give a ledger or a ProvenanceError."""
        read(data, fmt, "arbitrary bytes")

    @fuzz_settings
    @given(A_FORMAT, st.text(st.characters(exclude_categories=()), max_size=500))
    def test_arbitrary_text(self, fmt: str, text: str) -> None:
        """Any text at all, lone surrogates included, gives a ledger or a ProvenanceError."""
        read(text, fmt, "arbitrary text")

    @fuzz_settings
    @given(A_FORMAT, st.data())
    def test_token_soup(self, fmt: str, data: st.DataObject) -> None:
        """Any sequence of the format's own tokens gives a ledger or a ProvenanceError."""
        tokens = data.draw(st.lists(st.sampled_from(TOKENS[fmt]), max_size=60))
        read("".join(tokens), fmt, "token soup")

    @fuzz_settings
    @given(mutated_files())
    @example(("json", b"{" * 3 + b'"a": Infinity}}}'))
    @example(("toml", b'title = "x"\n' + b"[" * 200))
    def test_mutated_ledger_files(self, file: tuple[str, bytes]) -> None:
        """A valid ledger file with bytes flipped, cut or inserted gives a ledger or a
        ProvenanceError, read as bytes or as text."""
        fmt, raw = file
        read(raw, fmt, "mutated files (bytes)")
        read(raw.decode("utf-8", "replace"), fmt, "mutated files (text)")

    @fuzz_settings
    @given(A_FORMAT, mistyped_trees())
    @example("toml", {"title": "x", "policy": {"prior": 10**400}})  # overflowed a float
    @example("toml", {"title": "x", "policy": {"min_independent": 10**400}})
    def test_values_of_the_wrong_kind(self, fmt: str, tree: dict[str, Any]) -> None:
        """A ledger whose tree holds a value of the wrong kind anywhere gives a ledger or a
        ProvenanceError."""
        text = as_text(tree, fmt)
        if text is not None:
            read(text, fmt, "mistyped trees")


# -- limits ----------------------------------------------------------------


def small_ledger_text(fmt: str) -> str:
    return dumps(Ledger(title="A ledger of a known size"), fmt)


class TestSizeLimit:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_loads_refuses_data_over_its_limit(self, fmt: str) -> None:
        """Text or bytes longer than max_bytes are refused, naming the limit and the size."""
        text = small_ledger_text(fmt)
        size = len(text.encode("utf-8"))
        for data in (text, text.encode("utf-8")):
            with pytest.raises(LedgerError) as info:
                loads(data, fmt, name=NAME, max_bytes=size - 1)
            assert NAME == info.value.problems[0].file
            assert f"limit of {size - 1} bytes ({size} bytes" in str(info.value)
            assert "max_bytes" in str(info.value)

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_loads_reads_data_at_its_limit(self, fmt: str) -> None:
        """Data exactly max_bytes long is read."""
        text = small_ledger_text(fmt)
        size = len(text.encode("utf-8"))
        assert loads(text, fmt) == loads(text, fmt, max_bytes=size)

    def test_text_is_measured_in_utf8_bytes(self) -> None:
        """A limit counts the bytes of the text's UTF-8 form, not its characters."""
        text = dumps(Ledger(title="é" * 100), "json")
        size = len(text.encode("utf-8"))
        assert size > len(text)
        with pytest.raises(LedgerError, match="limit"):
            loads(text, "json", max_bytes=size - 1)
        assert Ledger(title="é" * 100) == loads(text, "json", max_bytes=size)

    def test_loads_has_the_default_limit_of_load(self) -> None:
        """Without max_bytes, loads refuses what load refuses."""
        data = b'{"title": "' + b"x" * DEFAULT_MAX_BYTES + b'"}'
        with pytest.raises(LedgerError, match=f"limit of {DEFAULT_MAX_BYTES} bytes"):
            loads(data, "json")

    def test_load_passes_its_limit_on(self, tmp_path: Path) -> None:
        """A larger max_bytes given to load lets a larger file through."""
        path = tmp_path / "big.json"
        title = "x" * (DEFAULT_MAX_BYTES + 10)
        path.write_text(json.dumps({"title": title}), encoding="utf-8")
        assert title == load(path, max_bytes=2 * DEFAULT_MAX_BYTES).title


class TestPaths:
    @pytest.mark.parametrize("path", ["a\0b.toml", b"a\0b.json"])
    def test_a_nul_in_the_path_is_a_ledger_error(self, path: str | bytes) -> None:
        """A path no file can have is refused as a LedgerError, not a ValueError."""
        with pytest.raises(LedgerError, match="NUL"):
            load(path)  # type: ignore[arg-type]
        with pytest.raises(LedgerError, match="NUL"):
            save(Ledger(title="x"), path)  # type: ignore[arg-type]


# -- nesting ---------------------------------------------------------------

FRAGMENTS = ["[", "]", "{", "}", '"', "'", "\\", "#", " ", "=", ",", "\n", "a", '"""', "'''"]
BRACKETS = st.lists(
    st.sampled_from(FRAGMENTS) | st.sampled_from(["[" * 150, "{" * 150, "]" * 150]), max_size=30
).map("".join)


def toml_forms(text: str) -> Iterator[str]:
    """`text` as the title of a TOML file, in each kind of string that can hold it."""
    yield tomli_w.dumps({"title": text})
    if "'" not in text and "\n" not in text:
        yield f"title = '{text}'\n"
    if "'''" not in text and not text.startswith("\n") and not text.endswith("'"):
        yield f"title = '''{text}'''\n"
    if not text.startswith("\n"):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        yield f'title = """{escaped}"""\n'
    if "\n" not in text:
        yield f"# {text}\ntitle = 'x'\n"


class TestNesting:
    @given(BRACKETS.filter(lambda text: bool(text.strip())))
    @example("[" * 150)
    @example('a"""' + "[" * 150)
    def test_brackets_inside_strings_and_comments_do_not_nest(self, text: str) -> None:
        """Whatever brackets and quotes a string or a comment holds, a valid file is read,
        in every kind of TOML string and in JSON."""
        for toml in toml_forms(text):
            expected = "x" if toml.startswith("#") else text
            assert Ledger(title=expected) == loads(toml, "toml"), toml
        assert Ledger(title=text) == loads(json.dumps({"title": text}), "json")

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [
            ("json", '{"title": ' + "[" * 200_000),
            ("toml", "title = " + "[" * 200_000),
            ("toml", "title = " + "{a = " * 200_000),
        ],
        ids=["json", "toml-arrays", "toml-inline-tables"],
    )
    def test_deep_nesting_is_refused_before_parsing_whatever_the_recursion_limit(
        self, fmt: str, text: str
    ) -> None:
        """With the interpreter's recursion limit raised, deep brackets are still refused at
        their line and column, before the parser recurses into them."""
        code = (
            "import sys; sys.setrecursionlimit(10**6)\n"
            "from provenance.files import loads\n"
            "from provenance.errors import LedgerError\n"
            "try:\n"
            "    loads(sys.stdin.read(), sys.argv[1])\n"
            "except LedgerError as error:\n"
            "    print(error.problems[0].place)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, fmt],
            input=text,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert (0, "") == (result.returncode, result.stderr)
        assert result.stdout.startswith("line 1, column ")

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [
            ("json", '{"title": "' + '\\"' * 200_000),
            ("toml", 'title = "' + '\\"' * 200_000),
            ("toml", 'title = """' + '\\"' * 200_000),
            ("toml", "title = '''" + "''x" * 200_000),
        ],
        ids=["json", "toml-basic", "toml-multiline-basic", "toml-multiline-literal"],
    )
    def test_an_unterminated_string_full_of_quotes_is_refused(self, fmt: str, text: str) -> None:
        """An unterminated string full of quotes is refused with a LedgerError (a scan that
        tried again from every quote inside it took half a minute for 80 kB; its speed is
        measured by benchmarks/fuzz_files.py, not asserted here)."""
        with pytest.raises(LedgerError):
            loads(text, fmt)

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_nesting_within_the_limit_is_not_refused_for_its_depth(self, fmt: str) -> None:
        """Brackets nested to the limit are refused as a title of the wrong kind, not as
        too deep."""
        inner = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
        text = f"title = {inner}\n" if fmt == "toml" else f'{{"title": {inner}}}'
        with pytest.raises(LedgerError) as info:
            loads(text, fmt)
        assert "nested" not in str(info.value)
        assert "title" == info.value.problems[0].place


class TestCost:
    def test_only_the_first_dangling_references_get_hints(self) -> None:
        """A file whose claims all name unknown sources is refused with every problem, but
        hints only for the first ones (a hint scans every id: one for each problem took
        quadratic time, hours at the size limit)."""
        count = 5_000
        text = "".join(f'[[sources]]\nid = "s{i}"\nname = "S"\n' for i in range(count))
        text += '[[propositions]]\nid = "p"\ntext = "t"\n'
        text += "".join(f'[[propositions.claims]]\nsource = "s{i}x"\n' for i in range(count))
        with pytest.raises(LedgerError) as info:
            loads(text, "toml")
        problems = info.value.problems
        assert count == len(problems)
        assert "did you mean 's0'" in problems[0].message
        assert "did you mean" not in problems[-1].message
        hinted = [p for p in problems if "did you mean" in p.message]
        assert HINTED_PROBLEMS >= len(hinted)


# -- the command line ------------------------------------------------------


def run_command(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m provenance`` with `arguments`."""
    return subprocess.run(
        [sys.executable, "-m", "provenance", *arguments],
        input=stdin,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"},
    )


def is_a_ledger(fmt: str, raw: bytes) -> bool:
    """Whether the library reads `raw` as a ledger."""
    try:
        loads(raw, fmt)
    except ProvenanceError:
        return False
    return True


class TestCommandLine:
    @command_settings
    @given(st.lists(mutated_files(), min_size=1, max_size=12))
    def test_check_judges_every_mutated_file(self, files: list[tuple[str, bytes]]) -> None:
        """`provenance check --each` on mutated files (the first through standard input) exits 0
        if every one is a ledger and 2 if not, reports on each, and never fails itself."""
        (first_format, first), rest = files[0], files[1:]
        with tempfile.TemporaryDirectory() as directory:
            paths = []
            for index, (fmt, raw) in enumerate(rest):
                written = Path(directory, f"ledger-{index}.{fmt}")
                written.write_bytes(raw)
                paths.append(str(written))
            result = run_command(
                "check", "--each", "--input-format", first_format, "-", *paths, stdin=first
            )
        INPUTS["command line: check"] += len(files)
        expected = 0 if all(is_a_ledger(fmt, raw) for fmt, raw in files) else 2
        stdout, stderr = result.stdout.decode(), result.stderr.decode()
        assert (expected, "") == (result.returncode, stderr)
        for path in paths:
            assert f"{path}:" in stdout

    @command_settings
    @given(mutated_files(), st.sampled_from(("report", "timeline")))
    @example(("json", b"Infinity"), "report")
    @example(("toml", b"title = " + b"[" * 100_000), "report")
    @example(("toml", b"\xef\xbb\xbftitle = 'x'\n"), "timeline")
    def test_report_on_a_mutated_file(self, file: tuple[str, bytes], command: str) -> None:
        """`provenance report` (or `timeline`) on a mutated file exits 0 if it is a ledger,
        and otherwise 2 with one line on standard error and no traceback."""
        fmt, raw = file
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory, f"ledger.{fmt}")
            path.write_bytes(raw)
            result = run_command(command, str(path))
        INPUTS[f"command line: {command}"] += 1
        stderr = result.stderr.decode()
        assert "Traceback" not in stderr
        if is_a_ledger(fmt, raw):
            assert (0, "") == (result.returncode, stderr)
        else:
            assert 2 == result.returncode
            assert [True] == [line.startswith("provenance: ") for line in stderr.splitlines()]
