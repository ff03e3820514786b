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

This module holds every command's options and what each command does, so
it is a little longer than most; reading and writing ledgers and output
live in `provenance._io`, the help texts in `provenance._help`, and the
commands of the optional parts in their own modules.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import claims

from . import _help, _io, authoring, files
from ._draft_command import register as register_draft
from ._io import CommandError
from ._text import visible
from .assess import assess
from .errors import LedgerError, PolicyError, ProvenanceError
from .explain import explain
from .grading import Reliability
from .interop.commands import add_commands as add_interop_commands
from .ledger import Ledger, merge
from .policy import Policy
from .report import FormatError, check_format, formats, json_pieces, render
from .timeline import render_timeline

__all__ = ["CommandError", "main"]

PROG = "provenance"
DISTRIBUTION = "claim-provenance"
#: Exit status when standard output is closed early: 128 + SIGPIPE.
BROKEN_PIPE = 141


# -- commands --------------------------------------------------------------


def _policy(ledger: Ledger, args: argparse.Namespace) -> Policy:
    overrides: dict[str, Any] = {field: getattr(args, field) for field, *_ in _POLICY_OPTIONS}
    # The ledger-wide switches only ever turn on from here; off is the ledger's say.
    overrides["infer_copying"] = True if args.infer_copying or args.learn else None
    overrides["learn_reliability"] = True if args.learn_reliability or args.learn else None
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
    loaded = _io.load_all(args.ledgers or [_io.SEED], args.input_format, args.max_bytes)
    ledger = _io.merge_at_lines(loaded)
    for line in _io.warnings(loaded):
        _io.emit(visible(line), sys.stderr)
    gc.freeze()
    assessments = assess(ledger, _policy(ledger, args))
    gc.freeze()
    extra = {"graph": True} if getattr(args, "graph", False) else {}
    pieces: Iterable[str]
    if args.render is render and args.format == "json":
        pieces = json_pieces(assessments)  # written as made: never whole in memory
    else:
        text = args.render(assessments, args.format, quotes=args.quotes, width=args.width, **extra)
        pieces = (text,)
    if args.output in (None, "-"):
        sys.stdout.writelines(pieces)
        _io.emit("")
    else:
        _io.write_output(args.output, pieces, end=b"\n")
    return 0


def _convert(args: argparse.Namespace) -> int:
    _, ledger = _io.load_argument(args.ledger, args.input_format, args.max_bytes)
    files.save(ledger, args.output)
    return 0


def _sources(args: argparse.Namespace) -> int:
    from .evidence import settle

    ledger = merge(_io.load_all(args.ledgers or [_io.SEED], args.input_format, args.max_bytes))
    policy = _policy(ledger, args)
    evidence, _ = settle(ledger, policy)
    from .records import render_sources

    text = render_sources(ledger, evidence, policy, args.format, width=args.width)
    if args.output in (None, "-"):
        _io.emit(text)
    else:
        _io.write_output(args.output, text + "\n")
    return 0


def _check(args: argparse.Namespace) -> int:
    failed = False
    if list(args.ledgers).count("-") > 1:
        raise CommandError("standard input ('-') can be read only once")
    loaded = []
    for argument in args.ledgers:
        try:
            name, ledger = _io.load_argument(argument, args.input_format, args.max_bytes)
        except LedgerError as error:
            failed = True
            for problem in error.problems:
                shown = problem if problem.file else problem.located(file=argument)
                _io.emit(visible(str(shown)))
            continue
        except CommandError as error:
            failed = True
            _io.emit(visible(str(error)))
            continue
        loaded.append((name, ledger))
        _io.emit(
            visible(
                f"{name}: ok: {_count(len(ledger.sources), 'source')},"
                f" {_count(len(ledger.propositions), 'proposition')},"
                f" {_count(len(ledger.claims), 'claim')}"
            )
        )
    if failed:
        return 2
    # What report does with the same files: merge them, take their policy, assess.
    for group in [[item] for item in loaded] if args.each else [loaded]:
        try:
            merged = _io.merge_at_lines(group)
            assess(merged, Policy.from_ledger(merged))
        except (LedgerError, PolicyError) as error:
            for problem in error.problems:
                _io.emit(visible(str(problem)))
            failed = True
    if failed:
        return 2
    warnings = _io.warnings(loaded)
    for line in warnings:
        _io.emit(visible(line), sys.stderr)
    return 2 if warnings and args.strict else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _explain(args: argparse.Namespace) -> int:
    name, ledger = _io.load_argument(args.ledger, args.input_format, args.max_bytes)
    try:
        explanation = explain(ledger, args.proposition, _policy(ledger, args))
    except LedgerError as error:
        raise error.located(file=name) from None
    _io.emit(_io.terminal(explanation.render()))
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
        _io.emit(f"{name:<{width}}  {title}".rstrip())
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


def _add_render_options(parser: argparse.ArgumentParser, *, quotes: bool = True) -> None:
    """The options of the commands that render a ledger: report, timeline and sources."""
    parser.add_argument("ledgers", nargs="*", metavar="LEDGER", help="file, '-' or shipped name")
    parser.add_argument(
        "-f",
        "--format",
        default="simple",
        type=_type(check_format, "a format"),
        help="a tabulate table format, or markdown, html or json (default: simple)",
    )
    if quotes:
        parser.add_argument(
            "--quotes",
            action="store_true",
            help="add each claim's words in their original language",
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
    group.add_argument(
        "--infer-copying",
        action="store_true",
        help="treat sources that agree far more than their records explain as one voice",
    )
    group.add_argument(
        "--learn-reliability",
        action="store_true",
        help="weigh claims by their source's accuracy learned from its record",
    )
    group.add_argument(
        "--learn", action="store_true", help="both --infer-copying and --learn-reliability"
    )


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
        epilog=_help.MAIN,
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
        epilog=_help.REPORT.format(formats=", ".join(formats())),
    )
    _add_render_options(report)
    report.add_argument(
        "--no-graph",
        dest="graph",
        action="store_false",
        help="in the html format, leave out the graph of who said what through whom"
        " (drawn by Graphviz's dot where it is installed)",
    )
    report.set_defaults(render=render)

    timeline = _command(
        commands,
        "timeline",
        _report,
        help="every claim in date order, with withdrawals and corrections",
        description="Print every claim of one ledger, or of several merged, in date order.",
        epilog=_help.TIMELINE,
    )
    _add_render_options(timeline)
    timeline.set_defaults(render=render_timeline)

    check = _command(
        commands,
        "check",
        _check,
        help="validate ledger files and print every problem",
        description="Validate ledgers and print every problem found.",
        epilog=_help.CHECK,
    )
    check.add_argument("ledgers", nargs="+", metavar="LEDGER", help="file, '-' or shipped name")
    check.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit status 2)"
    )
    check.add_argument(
        "--each",
        action="store_true",
        help="check each ledger on its own, not as one story merged as report would",
    )
    _input_format(check)

    explain_ = _command(
        commands,
        "explain",
        _explain,
        help="trace how one proposition's verdict was reached",
        description="Trace how the verdict on one proposition was reached.",
        epilog=_help.EXPLAIN,
    )
    explain_.add_argument("ledger", metavar="LEDGER", help="file, '-' or shipped name")
    explain_.add_argument("proposition", metavar="PROPOSITION_ID", help="the proposition's id")
    _input_format(explain_)
    _add_policy_options(explain_)

    sources = _command(
        commands,
        "sources",
        _sources,
        help="each source's track record and the suspected copies",
        description="Print each source's track record against the verdicts and the pairs"
        " of sources suspected of copying (see docs/evidence.md).",
        epilog=_help.SOURCES.format(formats=", ".join(formats())),
    )
    _add_render_options(sources, quotes=False)

    _command(
        commands,
        "list",
        _list,
        help="the ledgers shipped with the library, with their titles",
        description="List the ledgers shipped with the library.",
        epilog=_help.LIST,
    )

    convert = _command(
        commands,
        "convert",
        _convert,
        help="write a ledger in another format: TOML, JSON or JSON Lines",
        description="Read a ledger and write it again, in the format OUTPUT's suffix names.",
        epilog=_help.CONVERT,
    )
    convert.add_argument("ledger", metavar="LEDGER", help="file, '-' or shipped name")
    convert.add_argument("output", metavar="OUTPUT", help="a .toml, .json or .jsonl file")
    _input_format(convert)

    authoring.register(commands, _command)
    add_interop_commands(commands)
    register_draft(commands)
    return parser


# -- main ------------------------------------------------------------------


def _fail(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        _io.emit(f"{PROG}: {visible(message)}", sys.stderr)


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
