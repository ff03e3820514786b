"""Write ledgers from the command line: ``provenance add`` and ``provenance new``.

``provenance add FILE source|proposition|claim --field value ...`` adds one
entry to a TOML ledger, keeping the file's comments and layout: the file is
edited with tomlkit (the ``authoring`` extra), not rewritten from the
ledger.  The entry is built by its model class (so each value is checked as
a file's would be), the edited text is loaded back and must pass every rule
of the format and of the ledger, and only then is the file replaced, in one
step (`provenance._atomic`).  ``provenance new TITLE`` writes a commented
starter ledger that shows every key of the format.

tomlkit is imported only inside these commands: ``import provenance`` and
the report never load it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

import attrs

from . import _atomic, files
from ._input import decode, path_name, read
from ._structure import _table
from ._text import visible
from .errors import LedgerError, Problem
from .ledger import Ledger
from .lint import lint
from .model import Claim, Proposition, Source

__all__ = ["STARTER", "add", "register", "starter"]

EXTRA = "pip install 'claim-provenance[authoring]'"

#: What ``provenance add`` can add, by the word the command line uses.
KINDS: dict[str, type[Source] | type[Proposition] | type[Claim]] = {
    "source": Source,
    "proposition": Proposition,
    "claim": Claim,
}
# Fields that take several values on the command line (--via afp reuters).
LISTS = frozenset({"depends_on", "about", "via"})
FLOATS = frozenset({"credence"})


def _tomlkit() -> Any:
    try:
        import tomlkit
    except ImportError:
        raise LedgerError(Problem(f"editing a ledger file needs tomlkit: {EXTRA}")) from None
    return tomlkit


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def _build(kind: str, values: dict[str, Any]) -> Any:
    """The entry `values` describe, checked by its class; problems name the option at fault."""
    cls = KINDS[kind]
    given = {name: value for name, value in values.items() if value is not None}
    problems = []
    for name in FLOATS & set(given):
        try:
            given[name] = float(given[name])
        except ValueError:
            problems.append(Problem(f"{given[name]!r} is not a number", _option(name)))
    if not problems:
        try:
            return cls(**given)
        except LedgerError as error:
            problems = [_at_option(problem) for problem in error.problems]
    raise LedgerError(problems)


def _at_option(problem: Problem) -> Problem:
    """A problem of a model class placed at the command-line option it came from."""
    place = problem.place or ""
    found = re.match(r"(?:(?:sources|propositions|claims)\[\d+\]\.)?(\w+)(.*)", place)
    if not found:
        return problem
    return attrs.evolve(problem, place=_option(found[1]) + found[2], shown=None)


def _entry_table(tomlkit: Any, entry: Any, indent: int) -> Any:
    """A tomlkit table for `entry`, its values as a file holds them, followed by a blank line."""
    table = tomlkit.table()
    for key, value in _table(entry, "toml").items():
        table[key] = value
    if indent:
        table.indent(indent)
    return table


def _append(tomlkit: Any, parent: Any, key: str, table: Any) -> None:
    """Append `table` to the array of tables `parent[key]`, making it if there is none."""
    current = parent.get(key)
    if current is None or (isinstance(current, list) and not current and not _is_aot(current)):
        if current is not None:
            del parent[key]
        if hasattr(parent, "is_super_table"):  # a table, not the document
            _take_trailing(_last_table(parent), table)
        array = tomlkit.aot()
        array.append(table)
        parent.append(key, array)
    elif _is_aot(current):
        if len(current):
            _take_trailing(_last_table(current[-1]), table)
        current.append(table)
    else:
        # An inline array of inline tables, as some files spell claims.
        inline = tomlkit.inline_table()
        inline.update(table.unwrap())
        current.append(inline)


def _last_table(table: Any) -> Any:
    """The table whose lines come last in the text of `table`: its last nested one, if any."""
    while True:
        keyed = [item for key, item in table.value.body if key is not None]
        if not keyed:
            return table
        last = keyed[-1]
        if _is_aot(last) and len(last):
            table = last[-1]
        elif hasattr(last, "value") and hasattr(last.value, "body") and last.is_super_table():
            table = last
        else:
            return table


def _take_trailing(previous: Any, table: Any) -> None:
    """Move the blank lines and comments that end `previous` to the end of `table`.

    They come before whatever follows in the file (often a comment on the
    next section), so they must stay after the entry added.
    """
    body = previous.value.body
    trailing: list[Any] = []
    while body and body[-1][0] is None:
        trailing.insert(0, body.pop()[1])
    body.append((None, _tomlkit().ws("\n")))
    for item in trailing:
        table.value.append(None, item)


def _is_aot(value: Any) -> bool:
    from tomlkit.items import AoT

    return isinstance(value, AoT)


def _edit(text: str, kind: str, entry: Any) -> str:
    """The text of the ledger with `entry` added, comments and layout kept."""
    tomlkit = _tomlkit()
    document = tomlkit.parse(text)
    if kind == "source":
        _append(tomlkit, document, "sources", _entry_table(tomlkit, entry, 0))
    elif kind == "proposition":
        _append(tomlkit, document, "propositions", _entry_table(tomlkit, entry, 0))
    else:
        target = next(
            table
            for table in document.get("propositions", [])
            if table.get("id") == entry.proposition
        )
        _append(tomlkit, target, "claims", _entry_table(tomlkit, entry, 2))
    edited: str = tomlkit.dumps(document)
    return edited.rstrip("\n") + "\n"


def add(path: str | os.PathLike[str], kind: str, values: dict[str, Any]) -> Ledger:
    """Add a source, proposition or claim to a TOML ledger file, keeping its comments and layout.

    The file is replaced only if the ledger it would hold passes every rule;
    it is replaced atomically.

    Args:
        path: The TOML ledger file.
        kind: ``"source"``, ``"proposition"`` or ``"claim"``.
        values: The entry's fields by name, as text or values
            (``{"id": "afp", "name": "AFP", "reliability": "B"}``); a claim
            names its ``proposition``.

    Returns:
        The ledger the file now holds.

    Raises:
        LedgerError: The file cannot be read or is not a valid ledger, a
            value is wrong (placed at its option, ``--stance``), or the
            entry breaks a rule of the ledger (a taken id, an unknown
            source); the file is then left as it was.
    """
    name = path_name(path)
    if not name.lower().endswith(".toml"):
        raise LedgerError(Problem("add edits TOML ledgers only (a .toml file)", file=name))
    text = decode(read(name, files.DEFAULT_MAX_BYTES), name)
    ledger = files.loads(text, "toml", name=name)
    entry = _build(kind, values)
    # The ledger's own rules first, so that a problem names the option at fault.
    try:
        if isinstance(entry, Source):
            ledger.add_source(entry)
        elif isinstance(entry, Proposition):
            ledger.add_proposition(entry)
        else:
            ledger.add_claim(entry)
    except LedgerError as error:
        raise LedgerError(_at_option(p).located(file=name) for p in error.problems) from None
    edited = _edit(text, kind, entry)
    result = files.loads(edited, "toml", name=name)
    if result != ledger:
        raise LedgerError(
            Problem("the edited file would not hold the ledger expected; left as it was", file=name)
        )
    try:
        kind_of = _atomic.other_kind(name)
        if kind_of is not None:
            raise LedgerError(
                Problem(f"refusing to replace {kind_of} with a ledger file", file=name)
            )
        _atomic.replace(name, edited.encode("utf-8"))
    except OSError as error:
        raise LedgerError(
            Problem(f"cannot write the file: {error.strerror or error}", file=name)
        ) from error
    return result


#: The starter ledger that ``provenance new`` writes; ``{title}`` is its title as a TOML string.
STARTER = """\
# A ledger: the sources, propositions and claims of one story.
# Every key of the format is shown below; the format is described in full in
# docs/format.md.  Check the file with `provenance check FILE`, read its
# report with `provenance report FILE`, and add to it with `provenance add`.

title = {title}
as_of = 2024-03-28            # optional: the report is as of this date (else today)
lang = "en"                   # the language of quotes, unless a claim says otherwise
publisher = "Example desk"    # optional: who keeps this ledger
url = "https://example.org/story"   # optional: the article or dossier it covers

# -- Sources: who makes statements --------------------------------------------
# kind: state-media, government, official, wire, outlet, intelligence,
#       military, record, ngo, expert, anonymous or other.
# reliability: the Admiralty grade, A (completely reliable) to E (unreliable),
#       or F (cannot be judged).
# affiliation: the party whose interest the source represents.  A source
#       whose affiliation is in a proposition's `about` has a stake in it.

[[sources]]
id = "port-register"
name = "Port of Velis vessel register"
kind = "record"
reliability = "A"
url = "https://example.org/register"
note = "A public record: on its own, it can establish a fact."

[[sources]]
id = "wire"
name = "International wire agency"
kind = "wire"
reliability = "B"

[[sources]]
id = "ministry"
name = "Northland Ministry of Defence"
kind = "government"
affiliation = "Northland"
reliability = "D"

[[sources]]
id = "state-tv"
name = "Northland state television"
kind = "state-media"
affiliation = "Northland"
reliability = "E"
depends_on = ["ministry"]     # it speaks for the ministry: one voice with it
note = "Repeats the ministry's statements."

[[sources]]
id = "analyst"
name = "Independent maritime analyst"
kind = "expert"
reliability = "C"

[[sources]]
id = "official"
name = "An unnamed Southland official"
kind = "anonymous"
affiliation = "Southland"
reliability = "F"

# -- Propositions: things true or false, in the analyst's words ---------------
# about: the parties it is about; their own sources have a stake in it.
# Claims nest under the proposition they bear on:
#   stance     asserts (default) or denies
#   certainty  how sure the source sounds: certain (default), probable, possible
#   via        the relay chain by which it reached us, nearest the origin first
#   credence   optional: the analyst's own probability that the claim is right
#   withdrawn_on  the date the source took it back; it is shown, not counted

[[propositions]]
id = "ship-docked"
text = "The cargo ship Aurora docked at the port of Velis on 2 March 2024."
about = ["Northland"]
note = "On the public record, whatever the ministry says."

  [[propositions.claims]]
  source = "port-register"
  said_on = 2024-03-02
  url = "https://example.org/register/aurora"

  [[propositions.claims]]
  source = "ministry"
  stance = "denies"
  said_on = 2024-03-05
  quote = "No such vessel called at Velis."

[[propositions]]
id = "military-cargo"
text = "The Aurora carried military equipment."
about = ["Northland", "Southland"]

  [[propositions.claims]]
  source = "official"
  certainty = "probable"
  via = ["wire"]
  said_on = 2024-03-04
  quote = "The cargo was most likely military."
  cue = "said"          # the words that attribute it, as the article spells them

  [[propositions.claims]]
  source = "analyst"
  certainty = "possible"
  credence = 0.6
  said_on = 2024-03-06
  lang = "fr"
  quote = "Il pourrait s'agir de matériel militaire."

  [[propositions.claims]]
  source = "state-tv"
  stance = "denies"
  said_on = 2024-03-05

[[propositions]]
id = "captain-arrested"
text = "The Aurora's captain was arrested on arrival."
about = ["Northland"]

  # The wire reported an arrest, withdrew the story, then corrected it:
  # a source's latest word stands.
  [[propositions.claims]]
  source = "wire"
  said_on = 2024-03-03
  withdrawn_on = 2024-03-04
  note = "Withdrawn: the man arrested was not the captain."

  [[propositions.claims]]
  source = "wire"
  stance = "denies"
  said_on = 2024-03-04

[[propositions]]
id = "second-ship"
text = "A second ship left Velis the same night."
about = ["Northland"]

# -- House rules: how claims become verdicts ----------------------------------
# Every setting is optional; these are the defaults.  The command line
# overrides them (`provenance report FILE --min-independent 3`).

[policy]
min_independent = 2       # independent qualified sources to establish a fact
min_reliability = "C"     # the worst grade that counts towards establishing
contest_reliability = "C" # the worst grade whose denial blocks establishing
establish_at = 0.9        # the probability a fact needs
stake_cap = 0.55          # the most a source with a stake is believed
public_record = true      # an A-graded record alone establishes a fact
"""


def starter(title: str) -> str:
    """The text of a commented starter ledger titled `title`, which loads as a valid ledger."""
    tomlkit = _tomlkit()
    return STARTER.format(title=tomlkit.string(title).as_string())


# -- the commands ----------------------------------------------------------


def _run_add(args: argparse.Namespace) -> int:
    values = {field: getattr(args, field, None) for field in _fields(args.entry)}
    ledger = add(args.file, args.entry, values)
    print(visible(f"{args.file}: added a {args.entry}"), flush=True)
    for problem in lint(ledger):
        print(visible(f"warning: {problem.located(file=args.file)}"), file=sys.stderr, flush=True)
    return 0


def _run_new(args: argparse.Namespace) -> int:
    text = starter(args.title)
    files.loads(text, "toml", name="<starter>")  # the starter is always a valid ledger
    if args.output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    name = path_name(args.output)
    if os.path.lexists(name):
        raise LedgerError(Problem("the file exists; new does not replace a file", file=name))
    try:
        _atomic.replace(name, text.encode("utf-8"))
    except OSError as error:
        raise LedgerError(
            Problem(f"cannot write the file: {error.strerror or error}", file=name)
        ) from error
    print(visible(f"{name}: a starter ledger; edit it, then 'provenance check {name}'"))
    return 0


def _fields(kind: str) -> list[str]:
    return [field.name for field in attrs.fields(KINDS[kind]) if field.init]


_ADD_EPILOG = """\
The entry is checked as a file's would be, the whole ledger must stay valid,
and the file is replaced in one step, keeping its comments and layout.

examples:
  provenance add story.toml source --id afp --name AFP --kind wire --reliability B
  provenance add story.toml proposition --id visit --text "Naryshkin visited Pyongyang." \\
      --about DPRK Russia
  provenance add story.toml claim --proposition visit --source afp --stance denies \\
      --certainty probable --via reuters --said-on 2024-03-01 --quote "..."
"""

_NEW_EPILOG = """\
The starter shows every key: sources of several kinds and grades, a
proposition with the parties it is about, claims that assert and deny,
hedging, an analyst's credence, relays, a withdrawal and a correction, and
the house rules.

examples:
  provenance new "Russian intelligence chief visits Pyongyang" -o story.toml
"""


def register(commands: Any, command: Any) -> None:
    """Add the ``add`` and ``new`` subcommands to the command's subparsers.

    Args:
        commands: The subparsers object of the ``provenance`` parser.
        command: The command module's function that adds one subcommand.
    """
    add_ = command(
        commands,
        "add",
        _run_add,
        help="add a source, proposition or claim to a TOML ledger",
        description="Add a source, a proposition or a claim to a TOML ledger file.",
        epilog=_ADD_EPILOG,
    )
    add_.add_argument("file", metavar="FILE", help="the TOML ledger to add to")
    kinds = add_.add_subparsers(title="what to add", dest="entry", metavar="KIND")
    kinds.required = True
    for kind, cls in KINDS.items():
        parser = kinds.add_parser(kind, help=f"add a {kind}")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            required = field.default is attrs.NOTHING
            if field.name in LISTS:
                parser.add_argument(
                    _option(field.name),
                    dest=field.name,
                    nargs="+",
                    action="extend",
                    metavar="ID" if field.name != "about" else "PARTY",
                )
            else:
                parser.add_argument(
                    _option(field.name),
                    dest=field.name,
                    required=required,
                    metavar=field.name.upper(),
                )
    new = command(
        commands,
        "new",
        _run_new,
        help="write a commented starter ledger",
        description="Write a commented starter ledger that shows every key of the format.",
        epilog=_NEW_EPILOG,
    )
    new.add_argument("title", metavar="TITLE", help="the ledger's title")
    new.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
