"""The README's property-testing example is real: it is extracted and run here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = "## Property-test your own house rules"


def example_code() -> str:
    """The first python block under the README's property-testing heading."""
    text = README.read_text(encoding="utf-8")
    if HEADING not in text:
        pytest.fail(f"README.md has no section {HEADING!r}")
    section = text.split(HEADING, 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    if match is None:
        pytest.fail(f"README.md: no python block under {HEADING!r}")
    return match.group(1)


class TestReadmeExample:
    def test_the_example_runs_and_its_properties_hold(self) -> None:
        """Every test the README's example defines runs and passes."""
        namespace: dict[str, object] = {"__name__": "readme_example"}
        exec(compile(example_code(), str(README), "exec"), namespace)
        tests = [value for name, value in namespace.items() if name.startswith("test_")]
        assert 2 == len(tests)
        for test in tests:
            test()  # type: ignore[operator]
