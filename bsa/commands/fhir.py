"""``python -m bsa fhir visit.json -o visit.fhir.json``: a saved visit as a FHIR R4 Bundle."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time

from ..errors import BSAInputError
from ..files import write_atomic
from ..records.session import load


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "fhir",
        help="write a saved session as a FHIR R4 Bundle (JSON)",
        description="Write a session file as a FHIR R4 Bundle: the Patient by pseudonym "
        "only, an Observation of the affected %%BSA with a component per region, the chart "
        "and age reading as its method and the marked skin as its body site, the body "
        "surface area in m2 (LOINC 8277-6) when height and weight are known, the label "
        "check, and the application map as a PDF DocumentReference. Every number is the "
        "one evaluation's (bsa.evaluate).",
    )
    p.add_argument("session", metavar="SESSION.json", help="a session file")
    p.add_argument("-o", "--output", required=True, metavar="FILE.json",
                   help="the Bundle to write (JSON)")
    p.add_argument("--pseudonym", metavar="TEXT", default=None,
                   help="the patient's pseudonym, the Patient's only identifier (a session "
                   "file holds none; without it the Patient has no identifier)")
    p.add_argument("--no-map", dest="include_map", action="store_false",
                   help="leave out the application map (PDF)")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="the date of the observations (default now)")
    p.add_argument("--recompute-totals", action="store_true",
                   help="open a session whose stored total differs from the one its marks "
                   "give now, using the new total")
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import fhir

    when = None
    if args.date is not None:
        try:
            when = datetime.combine(date.fromisoformat(args.date), time(12), UTC)
        except ValueError:
            raise BSAInputError(f"--date must be YYYY-MM-DD, got {args.date!r}") from None
    assessment = load(args.session, check_totals=not args.recompute_totals)
    bundle = fhir.bundle(assessment, pseudonym=args.pseudonym, include_map=args.include_map,
                         when=when)
    write_atomic(args.output, fhir.to_json(bundle), what="the FHIR bundle")
    kinds = ", ".join(e["resource"]["resourceType"] for e in bundle["entry"])
    print(f"wrote {args.output}: a FHIR R4 Bundle ({kinds})", file=sys.stderr)
    if args.pseudonym is None:
        print("note: no --pseudonym given, so the Patient has no identifier", file=sys.stderr)
    return 0
