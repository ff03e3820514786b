"""The ``hypothesis`` entry point: ``st.from_type`` draws the library's types.

A user's test asks for ``st.from_type(Ledger)`` and gets valid, realistic
ledgers without importing `provenance.strategies`: hypothesis finds the hook
through the package's entry point.  The slow test proves it where it
matters, in a fresh virtual environment where only the package (and
hypothesis and pytest, which a user running property tests has) is
installed; it needs the package index, and takes some seconds.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance import Claim, Ledger, Policy, Proposition, Source
from provenance._hypothesis import _hypothesis_setup_hook

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[1]
HOOK = "provenance._hypothesis:_hypothesis_setup_hook"
TYPES = (Source, Proposition, Claim, Ledger, Policy)

# Where the package is installed, hypothesis has already run the hook; in a
# checkout that is not installed it has not.  Running it again changes nothing.
_hypothesis_setup_hook()

# A user's test file: no import of provenance.strategies.
USER_TEST = """
from hypothesis import given, settings, strategies as st

import provenance
from provenance import Claim, Ledger, Policy, Proposition, Source, assess

TYPES = (Source, Proposition, Claim, Ledger, Policy)


def test_the_package_is_the_installed_one():
    assert "site-packages" in provenance.__file__


def test_from_type_draws_each_type_of_the_union():
    seen = set()

    @settings(max_examples=150, database=None)
    @given(st.from_type(Source | Proposition | Claim | Ledger | Policy))
    def draw(value):
        assert isinstance(value, TYPES)
        seen.add(type(value))

    draw()
    assert set(TYPES) == seen


@settings(max_examples=30, database=None)
@given(st.from_type(Ledger))
def test_drawn_ledgers_have_claims_and_can_be_assessed(ledger):
    assert len(ledger) == len(assess(ledger))


def test_drawn_ledgers_are_the_realistic_ones():
    claims = []

    @settings(max_examples=30, database=None)
    @given(st.from_type(Ledger))
    def draw(ledger):
        claims.append(len(ledger.claims))

    draw()
    assert max(claims) > 0
"""


def in_fresh_environment(directory: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run `command` in `directory` with no trace of the checkout on the path."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "HYPOTHESIS", "VIRTUAL_ENV"))
    }
    return subprocess.run(
        command, cwd=directory, env=environment, capture_output=True, text=True, timeout=900
    )


def copy_of_the_project(target: Path) -> Path:
    """The files a build needs, copied so that a build leaves the checkout untouched."""
    ignore = shutil.ignore_patterns(
        ".*", "build", "dist", "*.egg-info", "__pycache__", "tests", "benchmarks"
    )
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


class TestDeclaration:
    def test_setup_cfg_names_the_hook(self) -> None:
        """The package declares the hook under the hypothesis entry point group."""
        config = configparser.ConfigParser()
        config.read(ROOT / "setup.cfg", encoding="utf-8")
        lines = config["options.entry_points"]["hypothesis"].strip().splitlines()
        targets = [line.partition("=")[2].strip() for line in lines]
        assert [HOOK] == targets

    def test_importing_the_hook_module_does_not_import_hypothesis(self) -> None:
        """The hook's module imports hypothesis only when the hook runs."""
        code = (
            "import sys, provenance._hypothesis;"
            " print('hypothesis' in sys.modules, 'provenance.strategies' in sys.modules)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert "False False" == result.stdout.strip()


class TestFromType:
    @given(st.from_type(Ledger))
    def test_ledgers_are_valid(self, ledger: Ledger) -> None:
        """Every ledger drawn by type passes the ledger's integrity rules when rebuilt."""
        rebuilt = Ledger.from_objects(
            ledger.sources,
            ledger.propositions,
            ledger.claims,
            title=ledger.title,
            as_of=ledger.as_of,
            lang=ledger.lang,
            publisher=ledger.publisher,
            url=ledger.url,
            policy=ledger.policy,
        )
        assert ledger == rebuilt

    # from_type draws from a union too, though its annotation asks for a type.
    @given(st.from_type(Source | Proposition | Claim | Ledger | Policy))  # type: ignore[arg-type]
    def test_a_union_draws_its_members(self, value: object) -> None:
        """A union of the library's types draws instances of those types."""
        assert isinstance(value, TYPES)

    @given(st.from_type(Policy))
    def test_policies_are_in_range(self, policy: Policy) -> None:
        """Every policy drawn by type asks for at least two voices and a bar above even odds."""
        assert (True, True) == (policy.min_independent >= 2, 0.5 < policy.establish_at < 1)


class TestFreshEnvironment:
    @pytest.mark.slow
    def test_from_type_works_with_only_the_package_installed(self, tmp_path: Path) -> None:
        """Slow (builds and installs the package): in a fresh virtual environment with no
        extra, the command prints the seed report, and a user's test draws every type
        with st.from_type and no import of provenance.strategies."""
        project = copy_of_the_project(tmp_path / "project")
        python = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
        created = in_fresh_environment(
            tmp_path, sys.executable, "-m", "venv", str(python.parents[1])
        )
        assert 0 == created.returncode, created.stderr
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        installed = in_fresh_environment(tmp_path, *pip, str(project), "hypothesis", "pytest")
        assert 0 == installed.returncode, installed.stdout + installed.stderr
        shutil.rmtree(project)  # the tests must use the installed copy
        # The README's first command: the seed report, with none of the extras installed.
        command = python.parent / ("provenance.exe" if os.name == "nt" else "provenance")
        report = in_fresh_environment(tmp_path, str(command), "report", "--width", "80")
        assert 0 == report.returncode, report.stderr
        assert report.stdout.startswith("Russian intelligence chief visits Pyongyang")
        (tmp_path / "test_house_rules.py").write_text(textwrap.dedent(USER_TEST), "utf-8")
        run = in_fresh_environment(
            tmp_path, str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"
        )
        assert 0 == run.returncode, run.stdout + run.stderr
        assert "4 passed" in run.stdout
