"""The data files under charts/: one loader with a schema version, and a JSON Schema per kind.

Every file validates against the schema of its kind (the schemas are the format's
documentation, so every field says what it is); the loader refuses a file of another
version, shipped or given by a user. The published numbers themselves are tested against
hand-typed tables next to the modules that read them (test_charts.py, test_cream_amount.py
...), not here.
"""

import copy
import doctest
import json
from pathlib import Path

import jsonschema
import pytest

import bsa
import bsa.data
from bsa.core import body_shape, body_surface, charts, palm_method
from bsa.core.regions import REGION_SIDES, REGIONS
from bsa.diagram import geometry
from bsa.errors import BSAInputError
from bsa.treatment import cream_amount, rule_library, skin_scores, thresholds

ROOT = Path(__file__).resolve().parents[1]
CHARTS = ROOT / "charts"
SCHEMAS = CHARTS / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: Each data file -> the kind of file it is (its schema is charts/schemas/<kind>.schema.json).
SCHEMA_OF = {
    "lund_browder_1944.json": "chart",
    "rule_of_nines_adult.json": "chart",
    "rule_of_nines_paediatric.json": "chart",
    "body_shape_neaman_2011.json": "body_shape",
    "body_diagram_infant.json": "body_diagram",
    "body_diagram_child.json": "body_diagram",
    "body_diagram_older_child.json": "body_diagram",
    "body_diagram_adult.json": "body_diagram",
    "body_surface_formulas.json": "body_surface_formulas",
    "palm_method.json": "palm_method",
    "fingertip_units.json": "fingertip_units",
    "label_rules.json": "label_rules",
    "severity_thresholds.json": "severity_thresholds",
    "skin_scores.json": "skin_scores",
}

#: Each kind -> the module that reads it, whose SCHEMA_VERSION says which version it reads.
READER_OF = {
    "chart": charts,
    "body_shape": body_shape,
    "body_diagram": geometry,
    "body_surface_formulas": body_surface,
    "palm_method": palm_method,
    "fingertip_units": cream_amount,
    "label_rules": rule_library,
    "severity_thresholds": thresholds,
    "skin_scores": skin_scores,
}


def _json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _schema(kind):
    return _json(SCHEMAS / f"{kind}.schema.json")


def _validator(kind):
    schema = _schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(kind, doc):
    found = sorted(_validator(kind).iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in found]


# --- every file has a schema, and follows it --------------------------------------------------

def test_every_data_file_has_a_schema_and_every_schema_a_file():
    assert {p.name for p in CHARTS.glob("*.json")} == set(SCHEMA_OF)
    assert {p.name for p in SCHEMAS.iterdir()} == {f"{k}.schema.json" for k in READER_OF}
    assert set(SCHEMA_OF.values()) == set(READER_OF)


@pytest.mark.parametrize("name", sorted(SCHEMA_OF))
def test_the_file_follows_the_schema_of_its_kind(name):
    assert _errors(SCHEMA_OF[name], _json(CHARTS / name)) == []


@pytest.mark.parametrize("name", sorted(SCHEMA_OF))
def test_the_file_schema_and_reader_agree_on_the_version(name):
    kind = SCHEMA_OF[name]
    version = READER_OF[kind].SCHEMA_VERSION
    assert _json(CHARTS / name)["schema_version"] == version
    assert _schema(kind)["properties"]["schema_version"]["const"] == version
    assert _schema(kind)["title"].endswith(f"schema version {version}")


def _described(node, where):
    """The fields of ``node`` (and of the objects inside it) that do not say what they are.

    The constraints in if/then/else, allOf and not restate fields described elsewhere.
    """
    missing = []
    if not isinstance(node, dict):
        return missing
    for name, sub in node.get("properties", {}).items():
        if isinstance(sub, dict) and "description" not in sub:
            missing.append(f"{where}.{name}")
        missing += _described(sub, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        missing += _described(node.get(key), f"{where}[{key}]")
    for i, sub in enumerate(node.get("prefixItems", ())):
        missing += _described(sub, f"{where}[{i}]")
    return missing


@pytest.mark.parametrize("kind", sorted(READER_OF))
def test_every_field_of_the_schema_is_described(kind):
    # The schema is the format's documentation for whoever adds a chart or a rule.
    schema = _schema(kind)
    assert schema["$schema"] == DRAFT
    assert schema["$id"] == f"https://bsa.invalid/schemas/{kind}.schema.json"
    assert schema["title"] and schema["description"]
    defs = schema.get("$defs", {})
    missing = [f"$defs.{name}" for name, d in defs.items() if "description" not in d]
    missing += _described(schema, "(file)")
    for name, d in defs.items():
        missing += _described(d, f"$defs.{name}")
    assert missing == []


@pytest.mark.parametrize("kind", sorted(READER_OF))
def test_the_schemas_name_the_regions_bsa_knows(kind):
    # A region renamed in bsa.core.regions must be renamed in the schemas too.
    region = _schema(kind).get("$defs", {}).get("region")
    if region is not None:
        assert region["enum"] == list(REGIONS)


def test_chart_and_figure_schemas_list_every_half():
    halves = _schema("chart")["properties"]["percent"]["properties"]
    assert {r: tuple(d["required"]) for r, d in halves.items()} == dict(REGION_SIDES)
    views = _schema("body_diagram")["properties"]["views"]["properties"]
    for view in geometry.VIEWS:
        assert tuple(views[view]["properties"]["regions"]["required"]) == geometry.view_parts(view)


# A typo in a key, or a value of the wrong kind, is caught by the schema: the loaders read
# only the keys they know and would pass over a misspelt optional one.
TYPOS = [
    ("lund_browder_1944.json", lambda d: d.update(intended_age=d.pop("intended_ages"))),
    ("lund_browder_1944.json", lambda d: d["percent"]["head"].update(bakc=[1] * 6)),
    ("lund_browder_1944.json", lambda d: d["percent"]["anterior_trunk"].update(back=[1] * 6)),
    ("lund_browder_1944.json", lambda d: d["source"].update(status="checked")),
    ("rule_of_nines_adult.json", lambda d: d["groups"]["perineum"].update(regions=["groin"])),
    ("rule_of_nines_adult.json", lambda d: d.pop("apportionment")),
    ("rule_of_nines_adult.json", lambda d: d.update(age_columns=[18])),
    ("body_shape_neaman_2011.json", lambda d: d["bmi_classes"]["obese"].update(
        bmi_mn=d["bmi_classes"]["obese"].pop("bmi_min"))),
    ("body_diagram_child.json", lambda d: d["views"]["front"]["regions"].update(
        {"head:frnt": d["views"]["front"]["regions"].pop("head:front")})),
    ("body_diagram_child.json", lambda d: d["views"]["back"]["marks"].update(R=[1, 2, 3])),
    ("body_surface_formulas.json", lambda d: d["formulas"]["haycock"].update(coeficient=1)),
    ("palm_method.json", lambda d: d["studies"][0].update(sx="male")),
    ("palm_method.json", lambda d: d["studies"][-1].pop("read_in")),
    ("fingertip_units.json", lambda d: d["children_table"]["rows"][0]["fingertip_units"].update(
        face_and_nek=1)),
    ("fingertip_units.json", lambda d: d["children_table"]["region_mapping"].update(
        trunk_front=["anterior_trunk", "genitals"])),
    ("severity_thresholds.json", lambda d: d["schemes"]["burn_referral_anzba"]["bands"].pop(
        "child")),
    ("severity_thresholds.json", lambda d: d["schemes"]["psoriasis_bsa_npf"]["bands"]["all"][0]
     .update(frm=0)),
    ("skin_scores.json", lambda d: d["scores"]["easi"]["weights"][0]["weights"].update(
        trunks=0.3)),
    ("label_rules.json", lambda d: d["rules"][0].update(jurisdicton="US")),
]


@pytest.mark.parametrize("name, change", TYPOS)
def test_the_schema_catches_a_typo(name, change):
    doc = copy.deepcopy(_json(CHARTS / name))
    change(doc)
    assert _errors(SCHEMA_OF[name], doc) != []


# --- the loader ---------------------------------------------------------------------------------

@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """An empty data folder in place of charts/ (the loader's cache cleared around it)."""
    monkeypatch.setattr(bsa.data, "data_dir", lambda: tmp_path)
    bsa.data.load_data.cache_clear()
    yield tmp_path
    bsa.data.load_data.cache_clear()


@pytest.mark.parametrize("content, message", [
    ({"schema_version": 2, "x": 1},
     "data file scores.json has schema version 2; this version of bsa reads schema version 1"),
    ({"x": 1}, "scores.json has no schema_version; this version of bsa reads schema version 1"),
    ({"schema_version": "1"}, "scores.json has schema version '1'"),
    ({"schema_version": True}, "scores.json has schema version True"),
    ({"schema_version": 1.0}, "scores.json has schema version 1.0"),
    ([1], "scores.json: the file must hold a JSON object"),
])
def test_the_loader_refuses_another_version(data_folder, content, message):
    (data_folder / "scores.json").write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(BSAInputError, match=message):
        bsa.data.load_data("scores.json", 1)


def test_the_loader_reads_its_version_once(data_folder):
    (data_folder / "scores.json").write_text('{"schema_version": 3, "x": [1]}')
    doc = bsa.data.load_data("scores.json", 3)
    assert doc == {"schema_version": 3, "x": [1]}
    assert bsa.data.load_data("scores.json", 3) is doc  # cached: read-only by convention
    with pytest.raises(BSAInputError, match="schema version 3; this version of bsa reads "
                                            "schema version 4"):
        bsa.data.load_data("scores.json", 4)


def test_the_loader_refuses_a_missing_or_broken_file(data_folder):
    with pytest.raises(BSAInputError, match="no chart data file named 'none.json'"):
        bsa.data.load_data("none.json", 1)
    (data_folder / "bad.json").write_text("{not json")
    with pytest.raises(BSAInputError, match="data file bad.json: cannot read it as JSON"):
        bsa.data.load_data("bad.json", 1)
    (data_folder / "latin1.json").write_bytes(b'{"schema_version": 1, "x": "\xe9"}')
    with pytest.raises(BSAInputError, match="latin1.json: cannot read it as JSON"):
        bsa.data.load_data("latin1.json", 1)


# Each module reads its file through the loader with its own SCHEMA_VERSION: a module that
# expects another version refuses the shipped file, naming it.
READS = [
    (charts, "lund_browder_1944.json", lambda: bsa.load_chart("lund_browder"),
     charts._load_shipped),
    (geometry, "body_diagram_adult.json", lambda: geometry.load_figure("adult"),
     geometry._load_shipped),
    (body_shape, "body_shape_neaman_2011.json", bsa.load_body_shape_chart,
     body_shape.load_body_shape_chart),
    (body_surface, "body_surface_formulas.json", lambda: bsa.body_surface_area(80, 180), None),
    (palm_method, "palm_method.json", lambda: bsa.palm_method(3), None),
    (cream_amount, "fingertip_units.json", lambda: cream_amount.method_for_age(30), None),
    (skin_scores, "skin_scores.json", lambda: skin_scores.score_weights("easi", 30), None),
    (thresholds, "severity_thresholds.json", thresholds.available_schemes, None),
    (rule_library, "label_rules.json", rule_library.available_rules, None),
]


@pytest.mark.parametrize("module, name, read, cached", READS,
                         ids=[r[0].__name__ for r in READS])
def test_each_module_reads_its_own_version(monkeypatch, module, name, read, cached):
    shipped = module.SCHEMA_VERSION
    monkeypatch.setattr(module, "SCHEMA_VERSION", shipped + 1)
    if cached is not None:
        cached.cache_clear()  # a refused read is not cached: the next one reads again
    with pytest.raises(BSAInputError, match=rf"{name} has schema version {shipped}; this "
                                            rf"version of bsa reads schema version {shipped + 1}"):
        read()


def test_the_range_reads_the_palm_file_with_the_palm_version(monkeypatch):
    monkeypatch.setattr(palm_method, "SCHEMA_VERSION", 99)
    with pytest.raises(BSAInputError, match="palm_method.json has schema version 1"):
        bsa.percent_bsa_range([0.1] * len(REGIONS), 30, palm_count=2)


# --- files given by a user ----------------------------------------------------------------------

def _write(tmp_path, doc, name):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_copy_of_a_shipped_chart_is_read(tmp_path):
    doc = _json(CHARTS / "lund_browder_1944.json")
    chart = charts.read_chart_file(_write(tmp_path, doc, "mine.json"))
    assert chart.half_table.tolist() == bsa.load_chart("lund_browder").half_table.tolist()


@pytest.mark.parametrize("version, message", [
    (2, "chart file mine.json has schema version 2; this version of bsa reads schema version 1"),
    (None, "chart file mine.json has no schema_version; this version of bsa reads schema "
           "version 1"),
])
def test_a_user_chart_of_another_version_is_refused(tmp_path, version, message):
    doc = _json(CHARTS / "lund_browder_1944.json")
    if version is None:
        del doc["schema_version"]
    else:
        doc["schema_version"] = version
    with pytest.raises(BSAInputError, match=message):
        charts.read_chart_file(_write(tmp_path, doc, "mine.json"))


def test_a_user_figure_of_another_version_is_refused(tmp_path):
    doc = _json(CHARTS / "body_diagram_child.json")
    doc["schema_version"] = 0
    with pytest.raises(BSAInputError, match="body diagram mine.json has schema version 0; "
                                            "this version of bsa reads schema version 1"):
        geometry.load_figure(_write(tmp_path, doc, "mine.json"))


def test_a_user_file_that_is_missing_is_named(tmp_path):
    with pytest.raises(BSAInputError, match="chart file none.json: no such file"):
        charts.read_chart_file(tmp_path / "none.json")


def test_the_schemas_are_found_where_the_data_is():
    for kind in READER_OF:
        assert bsa.data.schema_path(kind) == bsa.data.data_dir() / "schemas" / (
            f"{kind}.schema.json")
    with pytest.raises(BSAInputError, match="no chart data file named 'schemas/x.schema.json'"):
        bsa.data.schema_path("x")


def test_docstring_examples():
    assert doctest.testmod(bsa.data).failed == 0
