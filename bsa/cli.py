"""The command line: ``python -m bsa COMMAND ...``.

Every command's bad input ends with one line on standard error, ``bsa: error: ...``, and
exit status 2; no traceback reaches the user.

The commands that print words (``estimate``, ``check``, ``rules``, ``session``, ``report``,
``chart``) take ``--lang`` (``en``, ``bn``; default ``$BSA_LANG``, else English) and
``--digits`` (``latin``, ``bengali``; default ``$BSA_DIGITS``, else Latin on the screen and
Bengali digits on a Bengali map): their output, their help and their error messages are in
that language (argparse's own words, such as "usage", stay English). ``--json`` keeps its
keys and codes in English.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from . import commands
from .errors import BSAInputError
from .i18n import (
    _,
    check_digits,
    check_language,
    default_digits,
    environment_digits,
    environment_language,
    language,
)
from .text import for_terminal

__all__ = ["main", "build_parser", "UsageError"]


class UsageError(BSAInputError):
    """A command line the parser cannot use."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand found in :mod:`bsa.commands`."""
    parser = _Parser(
        prog="python -m bsa",
        description=_("Affected percentage of body surface from marked skin regions "
                      "(age-adjusted Lund-Browder chart, rule of nines). A discussion aid, "
                      "not medical advice."),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def _error(message: str) -> None:
    """The one line a failed command prints: no terminal escapes, no line breaks."""
    line = " ".join(for_terminal(message).split("\n"))
    print(f"bsa: error: {line}", file=sys.stderr)


def _language_asked(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` on a command line, read before it is parsed (so that the help
    and the parser's messages are in that language too); None if not given or not valid."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None:
            try:
                return check_language(value)
            except BSAInputError:
                return None
    return None


def _run(args: argparse.Namespace) -> int:
    """Run a parsed command in its language and digits (where it has ``--lang``)."""
    if not hasattr(args, "lang"):  # batch: a file for programs, in English
        with language("en"):
            return int(args.run(args) or 0)
    lang = check_language(args.lang) if args.lang is not None else (
        environment_language() or "en")
    digits = check_digits(args.digits) if args.digits is not None else (
        environment_digits() or default_digits(lang, args.medium))
    with language(lang, digits):
        return int(args.run(args) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        asked = _language_asked(argv) or environment_language()
    except BSAInputError as exc:  # a BSA_LANG that is not a language
        _error(str(exc))
        return 2
    with language(asked or "en"):
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
            if not getattr(args, "run", None):
                parser.print_help()
                return 2
            return _run(args)
        except BSAInputError as exc:
            _error(str(exc))
            return 2
        except OSError as exc:
            _error(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
            return 2
        except KeyboardInterrupt:
            print("bsa: interrupted", file=sys.stderr)
            return 130

