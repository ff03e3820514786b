"""The README is true: its property-testing example is extracted and run here, and
its seed report is compared with a fresh run.

The first ``python`` block under the heading "Property-test your own house
rules" is executed as a user would run it, and every test it defines is
called; each must be a hypothesis property, and each must pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

__all__: list[str] = []

README = Path(__file__).resolve().parent.parent / "README.md"
TITLE = "Property-test your own house rules"


def example_code() -> str:
    """The first python block of the README's property-testing section."""
    level: int | None = None
    fence: str | None = None
    block: list[str] | None = None
    for line in README.read_text(encoding="utf-8").splitlines():
        if fence is None and line.startswith("```"):
            fence = line
            if level is not None and line.strip() == "```python":
                block = []
            continue
        if fence is not None and line.strip() == "```":
            fence = None
            if block is not None:
                return "\n".join(block) + "\n"
            continue
        if block is not None:
            block.append(line)
        elif fence is None:
            heading = re.match(r"(#+) (.*?)\s*$", line)
            if heading and heading[2] == TITLE:
                level = len(heading[1])
            elif heading and level is not None and len(heading[1]) <= level:
                break
    if level is None:
        pytest.fail(f"README.md has no section {TITLE!r}")
    pytest.fail(f"README.md: no python block in the section {TITLE!r}")


class TestReadmeExample:
    def test_the_example_runs_and_its_properties_hold(self) -> None:
        """Every test the README's example defines is a hypothesis property, runs and passes."""
        namespace: dict[str, object] = {"__name__": "readme_example"}
        exec(compile(example_code(), str(README), "exec"), namespace)
        tests = {name: value for name, value in namespace.items() if name.startswith("test_")}
        assert tests, "the README's example defines no test"
        for name, test in tests.items():
            assert hasattr(test, "hypothesis"), f"{name} is not a hypothesis property"
            test()  # type: ignore[operator]


class TestReadmeSeedReport:
    def test_the_pasted_report_is_what_the_command_prints(self) -> None:
        """The README's seed report at 80 columns is a fresh run of the command, line for line."""
        import claims
        from provenance import assess
        from provenance.report import render

        text = README.read_text(encoding="utf-8")
        start = text.index("$ provenance report --width 80\n") + len(
            "$ provenance report --width 80\n"
        )
        pasted = text[start : text.index("\n```", start)]
        assert render(assess(claims.load("svr-pyongyang")), "simple", width=80) == pasted
