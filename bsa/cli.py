"""The command line: ``python -m bsa COMMAND ...``.

Every command's bad input ends with one line on standard error, ``bsa: error: ...``, and
exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from . import commands
from .errors import BSAInputError
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
        description="Affected percentage of body surface from marked skin regions "
        "(age-adjusted Lund-Browder chart, rule of nines). A discussion aid, not "
        "medical advice.",
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help()
            return 2
        return int(args.run(args) or 0)
    except BSAInputError as exc:
        _error(str(exc))
        return 2
    except OSError as exc:
        _error(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return 2
    except KeyboardInterrupt:
        print("bsa: interrupted", file=sys.stderr)
        return 130
