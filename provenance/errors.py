"""Errors raised by the library.

Every error derives from `ProvenanceError`; concrete errors also subclass a
builtin (`ValueError`) so that callers can catch either.  A `LedgerError`
carries every problem found, each located by file and place, so that a
command can print them all and a program can inspect them.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["LedgerError", "PolicyError", "Problem", "ProvenanceError", "shown"]


#: The longest value an error message quotes whole.
SHOWN_LENGTH = 80


def shown(value: object) -> str:
    """`value` as an error message quotes it: its repr, cut short if it is long.

    >>> shown("kcn")
    "'kcn'"
    >>> shown("x" * 200)[-20:]
    'xx… (202 characters)'
    """
    text = repr(value)
    if len(text) <= SHOWN_LENGTH:
        return text
    return f"{text[: SHOWN_LENGTH - 10]}… ({len(text)} characters)"


class ProvenanceError(Exception):
    """Root of every error this library raises on purpose."""


@attrs.frozen
class Problem:
    """One located problem: ``file:line:column: place: message``.

    >>> print(Problem("'rejects' is not a stance", "propositions[0].claims[8].stance",
    ...               "story.toml", line=271, shown="propositions 'toll-471' claims[8].stance"))
    story.toml:271: propositions 'toll-471' claims[8].stance: 'rejects' is not a stance

    Attributes:
        message: What is wrong, naming the offending value.
        place: Where in the ledger, e.g. ``propositions[3].claims[0].source``.
        file: The file it came from, or None for a ledger built in code.
        line: The line of the file it stands at (1-based), where known.
        column: Its column (1-based), where known.
        shown: The place as people read it, naming the entry by its id
            (``propositions 'toll-471' claims[8].stance``); `place` if None.
    """

    message: str
    place: str | None = None
    file: str | None = None
    line: int | None = attrs.field(default=None, kw_only=True)
    column: int | None = attrs.field(default=None, kw_only=True)
    shown: str | None = attrs.field(default=None, kw_only=True)

    def __str__(self) -> str:
        head = self.file
        if self.line is not None:
            position = f"{self.line}" if self.column is None else f"{self.line}:{self.column}"
            head = f"{head}:{position}" if head else f"line {position}"
        parts = [part for part in (head, self.shown or self.place) if part]
        return ": ".join([*parts, self.message])

    def located(self, file: str | None = None, prefix: str | None = None) -> Problem:
        """Return this problem with a file name and a place prefix added."""
        place = self.place
        if prefix:
            place = f"{prefix}.{place}" if place else prefix
        return attrs.evolve(
            self,
            place=place,
            file=file if file is not None else self.file,
            shown=None if prefix else self.shown,
        )


class LedgerError(ProvenanceError, ValueError):
    """A ledger, a ledger file or a value in one breaks the format or an integrity rule.

    ``str(error)`` is the first problem (plus a count of the others);
    ``error.problems`` holds them all.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Problem | str | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = (Problem(problems),)
        elif isinstance(problems, Problem):
            problems = (problems,)
        self.problems = tuple(problems) or (Problem("invalid ledger"),)
        super().__init__(self._summary())

    def _summary(self) -> str:
        first = str(self.problems[0])
        more = len(self.problems) - 1
        if more:
            first += f" (and {more} more problem{'s' if more > 1 else ''})"
        return first

    def located(self, file: str | None = None, prefix: str | None = None) -> LedgerError:
        """Return a copy whose problems name `file` and sit under `prefix`."""
        return type(self)(p.located(file, prefix) for p in self.problems)


class PolicyError(ProvenanceError, ValueError):
    """A policy value is out of range or of the wrong kind.

    ``error.problems`` holds the problems, each placed at the policy field it
    concerns (``Problem("1.5 is not in (0.5, 1)", "establish_at")``), so that
    a caller can relocate it (under ``policy`` in a file, or to the command
    line option that set it) without reading the message.
    """

    problems: tuple[Problem, ...]

    def __init__(self, message: str, field: str | None = None) -> None:
        self.problems = (Problem(message, field),)
        super().__init__(str(self.problems[0]))

    @property
    def field(self) -> str | None:
        """The policy field at fault, or None when the problem is not one field's."""
        return self.problems[0].place
