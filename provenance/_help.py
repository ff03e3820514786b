"""The command line's help: examples and notes shown under each command's options."""

from __future__ import annotations

__all__ = [
    "CHECK",
    "CONVERT",
    "EXPLAIN",
    "LIST",
    "MAIN",
    "REPORT",
    "SOURCES",
    "TIMELINE",
]

MAIN = """\
examples:
  provenance report                         the report on the shipped seed ledger
  provenance report story.toml --format markdown -o report.md
  provenance report day1.toml day2.toml     two articles on one story, merged
  provenance timeline story.toml            every claim in date order
  provenance check story.toml               every problem, one per line
  provenance explain story.toml naryshkin-visit
  provenance sources story.toml --learn     track records and suspected copies
  provenance list                           the ledgers shipped with the library
  provenance draft article.txt -o draft.toml  draft a ledger from an article's text
  provenance new "My story" -o story.toml   a commented starter ledger
  provenance add story.toml source --id afp --name AFP --kind wire --reliability B

exit status: 0 success; 2 bad input or usage; 1 internal error (see --debug);
141 standard output closed early.
"""

REPORT = """\
A LEDGER is a file (.toml or .json), '-' for standard input, or the name of
a shipped ledger (see 'provenance list'); without one, the seed ledger
svr-pyongyang.  Several ledgers are merged: a source or proposition defined
in more than one must be defined the same way; the title, date and policy
come from the first.

examples:
  provenance report
  provenance report story.toml --as-of 2024-03-28 --min-independent 3
  provenance report story.toml --format html -o report.html
  provenance report story.toml --format json | jq '.propositions[].status'
  cat story.json | provenance report - --format github --quotes

formats: {formats}
"""

TIMELINE = """\
Lists who said what and through whom, one claim a row, in the order the
claims were made; a withdrawal is listed on its own date, and a claim that
takes the place of its source's earlier one says so.  Undated claims come
last.  LEDGER, formats and options are those of 'provenance report'.

examples:
  provenance timeline
  provenance timeline story.toml --format html -o timeline.html
  provenance timeline story.toml --format json | jq '.events[].date'
"""

CHECK = """\
Prints every problem found, one per line, as 'file:line:column: place:
message', or 'file: ok: ...' for a valid ledger; then checks what 'report'
would do with the same ledgers (merge them, apply their policy), or with
--each what it would do with each one.  Warnings (a party in 'about' that
is one slip from a source's affiliation, ...) go to standard error.  Exit
status 0 when every ledger is valid, 2 otherwise, or with --strict when
there is a warning.

examples:
  provenance check story.toml
  provenance check --each claims/*.toml
  provenance check day1.toml day2.toml --strict
"""

EXPLAIN = """\
Prints how the verdict on one proposition was reached: each claim's
probability before and after hedging and the stake cap, the independence
groups and why their members were joined, the pooled log-odds, and which
rule decided.

examples:
  provenance explain svr-pyongyang putin-kim-summit-2023-09
  provenance explain story.toml naryshkin-visit --min-reliability B
"""

SOURCES = """\
Several ledgers are merged as for 'report'.  The records and copies are
estimated under the policy (with --learn, the ones its verdicts use).

examples:
  provenance sources desk.toml
  provenance sources day1.toml day2.toml --learn --format json

formats: {formats}
"""

LIST = """\
examples:
  provenance list
"""

CONVERT = """\
The output is checked before it is written, and replaces OUTPUT in one
step.  A ledger that has grown past the size limit of TOML and JSON files
is best kept as JSON Lines, which is limited per line and can be appended
to (provenance.files.append).

examples:
  provenance convert story.toml story.jsonl
  provenance convert desk.jsonl desk.toml
"""
