"""The project's own words in the data files, for the message catalogue.

The data files under ``charts/`` keep their text in English (the words read in a source, and
the project's own words around them). The project's own words that the page, the map and the
command line show (a label rule's questions for the doctor, what could not be read, the
indication, a chart's title and conventions, ...) are translated like every other message:
they are extracted into ``bsa/locale/bsa.pot`` by :func:`extract_data`, a Babel extraction
method (``babel.cfg``), and looked up with ``_(text)`` where they are shown. A label's own
words (a limit's ``words``, ``occlusion``, ``limitations_of_use``), sources and citations are
not extracted: they are quoted as written.

:data:`DATA_MESSAGES` lists, for each data file, the fields that are extracted: a dotted
path, ``[]`` for every item of a list, ``*`` for every value of an object.

Run ``python tools/update_catalogue.py`` after changing a message in the code or the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fnmatch import fnmatch
from types import MappingProxyType
from typing import Any

__all__ = ["DATA_MESSAGES", "extract_data", "data_messages"]

#: File name pattern -> the paths of the fields whose text is shown to users.
DATA_MESSAGES = MappingProxyType({
    "label_rules.json": (
        "rules[].indication",
        "rules[].frequency_text",
        "rules[].questions[]",
        "rules[].could_not_read[]",
        "rules[].later_revisions_not_transcribed[]",
        "rules[].sites_to_avoid[]",
        "rules[].limits[].applies_when",
        "rules[].limits[].unit",
    ),
    "lund_browder_1944.json": ("title", "intended_ages.source"),
    "rule_of_nines_*.json": ("title", "intended_ages.source", "apportionment.note"),
    "body_shape_neaman_2011.json": ("title", "bmi_classes.*.title", "read_from",
                                    "apportionment.note"),
    "fingertip_units.json": (
        "auto.blend_note",
        "children_table.age_convention",
        "children_table.region_mapping_notes[]",
        "children_table.body_parts.*",
        "children_table.rows[].published_age",
    ),
    "skin_scores.json": ("score_regions.*.label", "area_score.bands[].words"),
    "body_diagram_*.json": ("title", "ages"),
})


def _walk(value: Any, steps: list[str], where: str) -> Iterator[tuple[str, str]]:
    """(path with indexes, text) for every string the remaining steps reach."""
    if not steps:
        if isinstance(value, str) and value.strip():
            yield where, value
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(value, dict):
            for key, item in value.items():
                yield from _walk(item, rest, f"{where}.{key}")
        return
    key, brackets = step, ""
    if key.endswith("[]"):
        key, brackets = key[:-2], "[]"
    item = value.get(key) if isinstance(value, dict) and key else value
    if brackets:
        if isinstance(item, list):
            for i, element in enumerate(item):
                yield from _walk(element, rest, f"{where}.{key}[{i}]".lstrip("."))
        return
    if item is not None:
        yield from _walk(item, rest, f"{where}.{key}".lstrip("."))


def data_messages(name: str, doc: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of every message of a data file called ``name``, in file order."""
    for pattern, paths in DATA_MESSAGES.items():
        if not fnmatch(name, pattern):
            continue
        found: list[tuple[str, str]] = []
        for path in paths:
            found.extend(_walk(doc, path.split("."), ""))
        yield from found


def extract_data(fileobj, keywords, comment_tags, options):
    """Babel extraction method for a JSON data file (see ``babel.cfg``).

    Yields ``(lineno, funcname, message, comments)``: the line the text is on, no function,
    the text, and its field's path as a comment for the translator.
    """
    raw = fileobj.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    name = getattr(fileobj, "name", "")
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    doc = json.loads(text)
    for path, message in data_messages(name, doc):
        encoded = json.dumps(message, ensure_ascii=False)
        at = text.find(encoded)
        if at < 0:
            at = text.find(json.dumps(message))
        lineno = text.count("\n", 0, at) + 1 if at >= 0 else 1
        yield lineno, None, message, [f"{name}: {path}"]
