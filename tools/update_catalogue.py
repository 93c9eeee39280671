"""Extract the messages into bsa/locale/bsa.pot and bring each language's .po up to date.

    python tools/update_catalogue.py            # write bsa.pot, update bsa/locale/*/LC_MESSAGES/bsa.po
    python tools/update_catalogue.py --check    # exit 1 if either is out of date (CI, tests)

The messages come from the package's code and from the project's own words in the data
files (``babel.cfg``, :mod:`bsa._catalogue`); Babel does the extraction. A new message is
added to each .po untranslated (and a test then fails until it is translated); a message no
longer in the code is dropped. The compiled .mo files are made by the package build
(``setup.py``), never committed.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "bsa" / "locale"
POT = LOCALE / "bsa.pot"
sys.path.insert(0, str(ROOT))  # bsa._catalogue, the data extractor, from this checkout

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.frontend import parse_mapping_cfg  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from bsa.files import write_atomic  # noqa: E402

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3)}
HEADER = """\
# Messages of bsa: the page, the printed application map and the command line.
# English is the message id; each language's translation is in <lang>/LC_MESSAGES/bsa.po.
# Made by tools/update_catalogue.py from the code and from the data files (babel.cfg)."""


def extract() -> Catalog:
    """Every message of the code and the data, in the order found."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    catalogue = Catalog(project="bsa", version="0.1.0", domain="bsa", charset="utf-8",
                        msgid_bugs_address="", copyright_holder="the bsa project",
                        header_comment=HEADER, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        catalogue.add(message, None, [(filename, lineno)], auto_comments=comments,
                      context=context)
    return catalogue


def _keys(catalogue: Catalog) -> list:
    return [(m.context, m.id) for m in catalogue if m.id]


def _po_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalogue, width=100, omit_header=False, include_lineno=False,
             ignore_obsolete=True)
    return out.getvalue()


def _without_dates(data: bytes) -> bytes:
    """A catalogue's text without its creation and revision dates (they change every run)."""
    return b"\n".join(line for line in data.split(b"\n")
                      if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date')))


def languages() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/bsa.po"))


def updated(po_path: Path, template: Catalog) -> Catalog:
    with po_path.open("rb") as f:
        catalogue = read_po(f, domain="bsa")
    catalogue.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalogue.obsolete.clear()
    return catalogue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if bsa.pot or a .po is out of date")
    args = parser.parse_args(argv)
    template = extract()
    stale = []
    new_pot = _po_bytes(template)
    if not POT.is_file() or _without_dates(POT.read_bytes()) != _without_dates(new_pot):
        stale.append(POT)
        if not args.check:
            write_atomic(POT, new_pot)
    for po_path in languages():
        catalogue = updated(po_path, template)
        data = _po_bytes(catalogue)
        if _without_dates(po_path.read_bytes()) != _without_dates(data):
            stale.append(po_path)
            if not args.check:
                write_atomic(po_path, data)
    for path in stale:
        print(f"{'out of date' if args.check else 'updated'}: {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
