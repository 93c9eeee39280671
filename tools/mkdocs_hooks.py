"""MkDocs hooks: pages that are written from the project's data, so they cannot drift.

``<!-- bsa:sources -->`` becomes the sources of every chart and formula (from the data files
under ``charts/``), ``<!-- bsa:schema NAME -->`` a table of the fields of the JSON Schema
``charts/schemas/NAME``, and ``<!-- bsa:fhir-codes -->`` the codes of the project's FHIR
code system.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHARTS = ROOT / "charts"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _sources() -> str:
    import bsa
    from bsa.core import body_surface, palm_method
    from bsa.data import load_data

    lines = ["| chart | source | status |", "|---|---|---|"]
    for chart in bsa.available_charts():
        c = bsa.load_chart(chart)
        lines.append(f"| `{chart}` ({_cell(c.title)}) | {_cell(c.source.get('citation', ''))} "
                     f"| {c.status} |")
    shape = bsa.load_body_shape_chart()
    source = shape.source
    lines.append(f"| `body_shape_neaman_2011` (range only) | {_cell(source['citation'])} "
                 f"doi:{source['doi']} | {source['status']}, read from the {source['read_from']} |")
    lines += ["", "| whole-body surface area formula | source |", "|---|---|"]
    for name, formula in load_data(body_surface.FORMULAS_FILE, body_surface.SCHEMA_VERSION)["formulas"].items():
        lines.append(f"| `{name}` | {_cell(formula.get('source') or formula.get('citation'))} |")
    lines += ["", "| palm method study | source |", "|---|---|"]
    seen = set()
    for study in load_data(palm_method.PALM_FILE, palm_method.SCHEMA_VERSION)["studies"]:
        citation = study.get("citation") or study.get("source")
        if citation not in seen:
            seen.add(citation)
            lines.append(f"| {_cell(study.get('population', ''))} | {_cell(citation)} |")
    return "\n".join(lines)


def _type(spec: dict) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return f"[`{name}`](#{name})"
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    kind = spec.get("type", "")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array" and isinstance(spec.get("items"), dict):
        return f"array of {_type(spec['items'])}"
    if "oneOf" in spec or "anyOf" in spec:
        return " or ".join(_type(s) for s in spec.get("oneOf", spec.get("anyOf", [])))
    return f"{kind}" if kind else "any"


def _fields(spec: dict) -> list[str]:
    required = set(spec.get("required", []))
    lines = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for name, field in spec.get("properties", {}).items():
        lines.append(f"| `{name}` | {_type(field)} | {'yes' if name in required else ''} | "
                     f"{_cell(field.get('description', ''))} |")
    return lines


def _schema(name: str) -> str:
    path = CHARTS / "schemas" / name
    schema = json.loads(path.read_text(encoding="utf-8"))
    out = [f"**{_cell(schema.get('title', name))}** (`charts/schemas/{name}`)", "",
           _cell(schema.get("description", "")), ""]
    out += _fields(schema)
    for defname, spec in schema.get("$defs", {}).items():
        out += ["", f"### {defname}", "", _cell(spec.get("description", "")), ""]
        if "properties" in spec:
            out += _fields(spec)
        else:
            out.append(f"Type: {_type(spec)}")
    return "\n".join(out)


def _fhir_codes() -> str:
    import bsa.fhir

    lines = [f"Code system: `{bsa.fhir.CODE_SYSTEM}`", "", "| code | display |", "|---|---|"]
    lines += [f"| `{code}` | {_cell(display)} |"
              for code, display in bsa.fhir.code_system_codes().items()]
    return "\n".join(lines)


def on_page_markdown(markdown: str, **kwargs) -> str:
    markdown = markdown.replace("<!-- bsa:sources -->", _sources())
    markdown = markdown.replace("<!-- bsa:fhir-codes -->", _fhir_codes())
    return re.sub(r"<!-- bsa:schema (\S+) -->", lambda m: _schema(m.group(1)), markdown)
