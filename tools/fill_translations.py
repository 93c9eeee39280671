"""Fill a language's catalogue from translation drafts (JSON), without touching the rest.

    python tools/fill_translations.py bn drafts/page.json [more.json ...]
    python tools/fill_translations.py bn --missing      # list the untranslated messages

A draft is a JSON list of entries ``{"id": English, "str": translation}``, with
``"plural"`` (the English plural) and ``"str": [one, other]`` for a plural message, and
``"context"`` for a message told apart by a context. Only entries whose message is in the
catalogue (run ``tools/update_catalogue.py`` first) are used; an entry whose placeholders
({name}) differ from the English is refused and named. Existing translations are replaced
by the draft's.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "bsa" / "locale"
sys.path.insert(0, str(ROOT))  # this checkout's bsa (its atomic writer)

from babel.messages.pofile import read_po, write_po  # noqa: E402

from bsa.files import write_atomic  # noqa: E402

_FIELD = re.compile(r"\{[^{}]*\}")


def _fields(text: str) -> list[str]:
    return sorted(_FIELD.findall(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lang")
    parser.add_argument("drafts", nargs="*", type=Path)
    parser.add_argument("--missing", action="store_true", help="list untranslated messages")
    args = parser.parse_args(argv)
    po_path = LOCALE / args.lang / "LC_MESSAGES" / "bsa.po"
    with po_path.open("rb") as f:
        catalogue = read_po(f, domain="bsa")
    problems, used, unused = [], 0, []
    for draft in args.drafts:
        for entry in json.loads(draft.read_text(encoding="utf-8")):
            msgid = entry["id"] if "plural" not in entry else (entry["id"], entry["plural"])
            message = catalogue.get(msgid, context=entry.get("context"))
            if message is None:
                unused.append(f"{draft.name}: {entry['id'][:70]!r}")
                continue
            english = [entry["id"]] + ([entry["plural"]] if "plural" in entry else [])
            strings = entry["str"] if isinstance(entry["str"], list) else [entry["str"]]
            if any(_fields(s) != _fields(english[min(i, len(english) - 1)])
                   for i, s in enumerate(strings)):
                problems.append(f"{draft.name}: placeholders differ in {entry['id'][:70]!r}")
                continue
            message.string = tuple(strings) if "plural" in entry else strings[0]
            used += 1
    missing = [m for m in catalogue if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    if args.drafts:
        out = io.BytesIO()
        write_po(out, catalogue, width=100, include_lineno=False, ignore_obsolete=True)
        write_atomic(po_path, out.getvalue())
        print(f"{used} translations filled; {len(unused)} draft entries not in the catalogue; "
              f"{len(missing)} messages untranslated")
        for line in unused:
            print(f"  not in the catalogue: {line}")
    if args.missing:
        for m in missing:
            print(m.id if isinstance(m.id, str) else m.id[0])
    for line in problems:
        print(f"refused: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
