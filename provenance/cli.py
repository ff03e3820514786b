"""The ``provenance`` command: report on, check, explain and list ledgers.

``provenance report`` prints the report on one ledger, or on several merged
into one (a story followed across articles); ``check`` validates ledger
files and prints every problem found; ``explain`` traces one verdict;
``list`` names the ledgers shipped with the library.  A LEDGER is a file
path, ``-`` for standard input, or the name of a shipped ledger.

Exit status: 0 on success; 2 for bad input or usage, with a one-line
message on standard error naming the file and the place; 1 for an
unexpected internal error (its traceback with ``--debug``); 141 when the
reader of standard output goes away, as for a command killed by SIGPIPE.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import itertools
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn, TextIO

import claims

from . import _atomic, files
from ._text import visible
from .assess import assess
from .errors import LedgerError, PolicyError, ProvenanceError
from .explain import explain
from .grading import Reliability
from .interop.commands import add_commands as add_interop_commands
from .ledger import Ledger, merge, suggest
from .policy import Policy
from .report import FormatError, check_format, formats, json_pieces, render, render_timeline

__all__ = ["CommandError", "main"]

PROG = "provenance"
DISTRIBUTION = "claim-provenance"
SEED = "svr-pyongyang"
STDIN = "<stdin>"
#: Exit status when standard output is closed early: 128 + SIGPIPE.
BROKEN_PIPE = 141


class CommandError(ProvenanceError, ValueError):
    """Bad input to the command: a ledger that cannot be found, an unwritable output."""


# -- reading ledgers -------------------------------------------------------


def _sniff(data: bytes) -> str:
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "toml"


def _read_stdin(input_format: str | None) -> tuple[str, Ledger]:
    data = sys.stdin.buffer.read(files.DEFAULT_MAX_BYTES + 1)
    if len(data) > files.DEFAULT_MAX_BYTES:
        raise CommandError(
            f"{STDIN}: the input is larger than the limit of {files.DEFAULT_MAX_BYTES} bytes"
        )
    return STDIN, files.loads(data, input_format or _sniff(data), name=STDIN)


def _load(
    argument: str, input_format: str | None, max_bytes: int = files.DEFAULT_MAX_BYTES
) -> tuple[str, Ledger]:
    """Read one LEDGER argument; return the name problems call it by, and the ledger."""
    if argument == "-":
        return _read_stdin(input_format)
    shipped = claims.names()
    if argument in shipped and not os.path.exists(argument):
        path = claims.path(argument)
        try:
            return path.name, files.load(path)
        except LedgerError as error:
            raise error.located(file=path.name) from None
    suffix = os.path.splitext(argument)[1].lower()
    if not os.path.exists(argument) and not suffix and os.sep not in argument:
        hint = suggest(argument, shipped)
        raise CommandError(
            f"no ledger file or shipped ledger {argument!r}{hint};"
            f" shipped: {', '.join(shipped) or 'none'}"
        )
    if input_format is None and suffix not in (".toml", ".json", ".jsonl"):
        raise CommandError(
            f"{argument}: cannot tell the format from the file name;"
            " pass --input-format toml, json or jsonl"
        )
    return argument, files.load(argument, format=input_format, max_bytes=max_bytes)


def _load_all(
    arguments: Sequence[str], input_format: str | None, max_bytes: int = files.DEFAULT_MAX_BYTES
) -> list[tuple[str, Ledger]]:
    if list(arguments).count("-") > 1:
        raise CommandError("standard input ('-') can be read only once")
    return [_load(argument, input_format, max_bytes) for argument in arguments]


# -- writing ---------------------------------------------------------------


def _write_output(path: str, text: str | bytes | Iterable[str], end: bytes = b"") -> None:
    """Write `text` (UTF-8 when not bytes already; or pieces of text, each
    encoded as it comes) and then `end` to `path`, atomically when `path` is
    a regular file or new.

    A regular file (or a symbolic link to one) is replaced in one step, so
    that readers see the old report or the new one, never half of one; it
    keeps its permission bits.  Anything else (``/dev/stdout``, a pipe, a
    device) is written straight through: a rename must never replace a
    device node.

    Raises:
        CommandError: The file cannot be written; the old one is then left
            as it was.
    """
    if isinstance(text, bytes):
        pieces: Iterable[bytes] = (text, end)
    else:
        # Piece by piece, the end apart: a long text is not copied whole.
        parts = (text,) if isinstance(text, str) else text
        pieces = itertools.chain((part.encode("utf-8") for part in parts), (end,))
    try:
        if _atomic.other_kind(path) is None:
            _atomic.replace(path, pieces)
        else:
            with open(path, "wb") as stream:
                stream.writelines(pieces)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from error


def _print(text: str, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    stream.write(text)  # the line end apart: a long report is not copied to add one
    if not text.endswith("\n"):
        stream.write("\n")
    stream.flush()


def _terminal(text: str) -> str:
    """Text safe for a terminal, line by line, keeping each line's indentation."""
    lines = []
    for line in text.splitlines():
        body = line.lstrip(" ")
        lines.append(line[: len(line) - len(body)] + visible(body))
    return "\n".join(lines)


# -- commands --------------------------------------------------------------


def _policy(ledger: Ledger, args: argparse.Namespace) -> Policy:
    overrides = {field: getattr(args, field) for field, *_ in _POLICY_OPTIONS}
    try:
        return Policy.from_ledger(ledger, **overrides)
    except PolicyError as error:
        # Name the option the user typed, not the policy field.
        field = error.field
        if field in overrides and overrides[field] is not None:
            raise PolicyError(error.problems[0].message, "--" + field.replace("_", "-")) from None
        raise


def _report(args: argparse.Namespace) -> int:
    try:
        return _report_frozen(args)
    finally:
        gc.unfreeze()


def _report_frozen(args: argparse.Namespace) -> int:
    # What is loaded and assessed stays alive to the end: frozen, it is left
    # out of every collection on the way instead of being walked by each
    # (at a hundred thousand claims, a third of the time of a text report).
    loaded = _load_all(args.ledgers or [SEED], args.input_format, args.max_bytes)
    ledger = merge(loaded)
    gc.freeze()
    assessments = assess(ledger, _policy(ledger, args))
    gc.freeze()
    pieces: Iterable[str]
    if args.render is render and args.format == "json":
        pieces = json_pieces(assessments)  # written as made: never whole in memory
    else:
        pieces = (args.render(assessments, args.format, quotes=args.quotes, width=args.width),)
    if args.output in (None, "-"):
        sys.stdout.writelines(pieces)
        _print("")
    else:
        _write_output(args.output, pieces, end=b"\n")
    return 0


def _convert(args: argparse.Namespace) -> int:
    _, ledger = _load(args.ledger, args.input_format, args.max_bytes)
    files.save(ledger, args.output)
    return 0


def _check(args: argparse.Namespace) -> int:
    failed = False
    if list(args.ledgers).count("-") > 1:
        raise CommandError("standard input ('-') can be read only once")
    for argument in args.ledgers:
        try:
            name, ledger = _load(argument, args.input_format, args.max_bytes)
        except LedgerError as error:
            failed = True
            for problem in error.problems:
                shown = problem if problem.file else problem.located(file=argument)
                _print(visible(str(shown)))
            continue
        except CommandError as error:
            failed = True
            _print(visible(str(error)))
            continue
        _print(
            visible(
                f"{name}: ok: {_count(len(ledger.sources), 'source')},"
                f" {_count(len(ledger.propositions), 'proposition')},"
                f" {_count(len(ledger.claims), 'claim')}"
            )
        )
    return 2 if failed else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _explain(args: argparse.Namespace) -> int:
    name, ledger = _load(args.ledger, args.input_format, args.max_bytes)
    try:
        explanation = explain(ledger, args.proposition, _policy(ledger, args))
    except LedgerError as error:
        raise error.located(file=name) from None
    _print(_terminal(explanation.render()))
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = []
    for name in claims.names():
        path = claims.path(name)
        try:
            title = files.load(path).title or ""
        except LedgerError as error:
            title = f"(cannot be loaded: {error})"
        rows.append((name, visible(title)))
    width = max((len(name) for name, _ in rows), default=0)
    for name, title in rows:
        _print(f"{name:<{width}}  {title}".rstrip())
    return 0


# -- argument parsing ------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, with a pointer to --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {visible(message)} (see '{self.prog} --help')\n")


def _type(convert: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return convert(text)
        except (ValueError, TypeError) as error:
            detail = str(error) if isinstance(error, FormatError) else f"{text!r} is not {what}"
            raise argparse.ArgumentTypeError(detail) from None

    parse.__name__ = what  # argparse names the type in some messages
    return parse


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


_EPILOG = """\
examples:
  provenance report                         the report on the shipped seed ledger
  provenance report story.toml --format markdown -o report.md
  provenance report day1.toml day2.toml     two articles on one story, merged
  provenance timeline story.toml            every claim in date order
  provenance check story.toml               every problem, one per line
  provenance explain story.toml naryshkin-visit
  provenance list                           the ledgers shipped with the library

exit status: 0 success; 2 bad input or usage; 1 internal error (see --debug);
141 standard output closed early.
"""

_REPORT_EPILOG = """\
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

_TIMELINE_EPILOG = """\
Lists who said what and through whom, one claim a row, in the order the
claims were made; a withdrawal is listed on its own date, and a claim that
takes the place of its source's earlier one says so.  Undated claims come
last.  LEDGER, formats and options are those of 'provenance report'.

examples:
  provenance timeline
  provenance timeline story.toml --format html -o timeline.html
  provenance timeline story.toml --format json | jq '.events[].date'
"""

_CONVERT_EPILOG = """\
The output is checked before it is written, and replaces OUTPUT in one
step.  A ledger that has grown past the size limit of TOML and JSON files
is best kept as JSON Lines, which is limited per line and can be appended
to (provenance.files.append).

examples:
  provenance convert story.toml story.jsonl
  provenance convert desk.jsonl desk.toml
"""

_CHECK_EPILOG = """\
Prints every problem found, one per line, as 'file: place: message', or
'file: ok: ...' for a valid ledger.  Exit status 0 when every ledger is
valid, 2 otherwise.

examples:
  provenance check story.toml
  provenance check claims/*.toml
"""

_EXPLAIN_EPILOG = """\
Prints how the verdict on one proposition was reached: each claim's
probability before and after hedging and the stake cap, the independence
groups and why their members were joined, the pooled log-odds, and which
rule decided.

examples:
  provenance explain svr-pyongyang putin-kim-summit-2023-09
  provenance explain story.toml naryshkin-visit --min-reliability B
"""

_LIST_EPILOG = """\
examples:
  provenance list
"""


def _version() -> str:
    from importlib import metadata  # only for --version: it takes a while to import

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        sys.stdout.write(f"{PROG} {_version()}\n")
        parser.exit()


# The policy settings the command line overrides, each an option named after
# its field (--min-independent): metavar, parser, what a value must be, help.
_POLICY_OPTIONS: tuple[tuple[str, str, Callable[[str], Any], str, str], ...] = (
    (
        "as_of",
        "DATE",
        dt.date.fromisoformat,
        "a date (YYYY-MM-DD)",
        "report what was known on this date: later claims are ignored",
    ),
    (
        "min_independent",
        "N",
        int,
        "a whole number",
        "independent qualified sources needed to establish a fact (at least 2)",
    ),
    (
        "min_reliability",
        "G",
        Reliability.parse,
        "an Admiralty grade (A-F)",
        "worst grade (A-F) with which a source counts towards establishing",
    ),
    (
        "contest_reliability",
        "G",
        Reliability.parse,
        "an Admiralty grade (A-F)",
        "worst grade (A-F) with which a source on the other side blocks a verdict",
    ),
    (
        "establish_at",
        "P",
        float,
        "a probability",
        "probability a fact needs to be established, between 0.5 and 1",
    ),
)


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    """The options of the commands that render a ledger: report and timeline."""
    parser.add_argument("ledgers", nargs="*", metavar="LEDGER", help="file, '-' or shipped name")
    parser.add_argument(
        "-f",
        "--format",
        default="simple",
        type=_type(check_format, "a format"),
        help="a tabulate table format, or markdown, html or json (default: simple)",
    )
    parser.add_argument(
        "--quotes", action="store_true", help="add each claim's words in their original language"
    )
    parser.add_argument(
        "--width",
        metavar="N",
        type=_type(_positive, "a positive whole number"),
        help="wrap text to fit N columns (default: the terminal's width)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (atomically when a regular file)"
    )
    _input_format(parser)
    _add_policy_options(parser)


def _add_policy_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "policy", "override the ledger's house rules (default: its [policy], else the defaults)"
    )
    for field, metavar, parse, what, help in _POLICY_OPTIONS:
        option = "--" + field.replace("_", "-")
        group.add_argument(option, metavar=metavar, type=_type(parse, what), help=help)


def _input_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--input-format",
        choices=files.FORMATS,
        help="the format of ledgers whose name does not say it (default: guessed for '-')",
    )
    parser.add_argument(
        "--max-bytes",
        metavar="N",
        type=_type(_positive, "a positive whole number"),
        default=files.DEFAULT_MAX_BYTES,
        help="read TOML and JSON ledgers of up to N bytes (default: %(default)s);"
        " JSON Lines ledgers are limited per line",
    )


def _command(
    commands: Any,
    name: str,
    run: Callable[[argparse.Namespace], int],
    *,
    help: str,
    description: str,
    epilog: str,
) -> argparse.ArgumentParser:
    """Add the subcommand `name`, which `run` carries out; return its parser."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser."""
    parser = _Parser(
        prog=PROG,
        description="Track where every statement in a news story comes from, and which"
        " ones are established facts.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="show the version and exit"
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected error"
    )
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    commands.required = True

    report = _command(
        commands,
        "report",
        _report,
        help="the report: established facts apart from reported claims",
        description="Print the report on one ledger, or on several merged into one.",
        epilog=_REPORT_EPILOG.format(formats=", ".join(formats())),
    )
    _add_render_options(report)
    report.set_defaults(render=render)

    timeline = _command(
        commands,
        "timeline",
        _report,
        help="every claim in date order, with withdrawals and corrections",
        description="Print every claim of one ledger, or of several merged, in date order.",
        epilog=_TIMELINE_EPILOG,
    )
    _add_render_options(timeline)
    timeline.set_defaults(render=render_timeline)

    check = _command(
        commands,
        "check",
        _check,
        help="validate ledger files and print every problem",
        description="Validate ledgers and print every problem found.",
        epilog=_CHECK_EPILOG,
    )
    check.add_argument("ledgers", nargs="+", metavar="LEDGER", help="file, '-' or shipped name")
    _input_format(check)

    explain_ = _command(
        commands,
        "explain",
        _explain,
        help="trace how one proposition's verdict was reached",
        description="Trace how the verdict on one proposition was reached.",
        epilog=_EXPLAIN_EPILOG,
    )
    explain_.add_argument("ledger", metavar="LEDGER", help="file, '-' or shipped name")
    explain_.add_argument("proposition", metavar="PROPOSITION_ID", help="the proposition's id")
    _input_format(explain_)
    _add_policy_options(explain_)

    _command(
        commands,
        "list",
        _list,
        help="the ledgers shipped with the library, with their titles",
        description="List the ledgers shipped with the library.",
        epilog=_LIST_EPILOG,
    )
    convert = _command(
        commands,
        "convert",
        _convert,
        help="write a ledger in another format: TOML, JSON or JSON Lines",
        description="Read a ledger and write it again, in the format OUTPUT's suffix names.",
        epilog=_CONVERT_EPILOG,
    )
    convert.add_argument("ledger", metavar="LEDGER", help="file, '-' or shipped name")
    convert.add_argument("output", metavar="OUTPUT", help="a .toml, .json or .jsonl file")
    _input_format(convert)

    add_interop_commands(commands, argparse.RawDescriptionHelpFormatter)
    return parser


# -- main ------------------------------------------------------------------


def _fail(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        _print(f"{PROG}: {visible(message)}", sys.stderr)


def _quiet_stdout() -> None:
    # Whatever Python still holds for stdout must not fail again at exit.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _tolerant_streams() -> None:
    # A terminal that cannot show a character gets an escape, not a crash.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError):
                stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: ``sys.argv[1:]``); return its exit status."""
    _tolerant_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 2)
    try:
        status: int = args.run(args)
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        return 130
    except (ProvenanceError, ValueError) as error:
        if args.debug:
            traceback.print_exc()
        _fail(str(error))
        return 2
    except OSError as error:
        if args.debug:
            traceback.print_exc()
        where = f" {error.filename}" if error.filename else ""
        _fail(f"cannot read{where}: {error.strerror or error}")
        return 2
    except Exception as error:
        if args.debug:
            traceback.print_exc()
            _fail(f"internal error: {type(error).__name__}: {error}")
        else:
            _fail(
                f"internal error: {type(error).__name__}: {error}"
                " (run with --debug for the traceback)"
            )
        return 1
