"""FHIR export: the bundle validates as FHIR R4 (fhir.resources' R4B models) and carries the
one evaluation's numbers."""

import base64
import inspect
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bsa
import bsa.fhir
from bsa.cli import main
from bsa.records.session import Assessment, save

pytest.importorskip("fhir.resources")
from fhir.resources.R4B.bundle import Bundle  # noqa: E402
from fhir.resources.R4B.documentreference import DocumentReference  # noqa: E402
from fhir.resources.R4B.observation import Observation  # noqa: E402
from fhir.resources.R4B.patient import Patient  # noqa: E402

MODELS = {"Patient": Patient, "Observation": Observation,
          "DocumentReference": DocumentReference}
ROOT = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 3, 1, 12, tzinfo=UTC)


def full_visit():
    return Assessment(age_years=7, rule_id="opzelura_us_atopic_dermatitis", sex="female",
                      height_cm=125, weight_kg=24, palm_count=3,
                      shares={"anterior_trunk": 0.5, "head:front": 1.0, "left_hand": 0.25})


def validate(b):
    Bundle.model_validate(b)
    for entry in b["entry"]:
        resource = entry["resource"]
        MODELS[resource["resourceType"]].model_validate(resource)


def resources(b, kind):
    return [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == kind]


def test_a_full_visit_validates_and_carries_the_evaluations_numbers():
    a = full_visit()
    ev = bsa.evaluate(a)
    b = bsa.fhir.bundle(a, pseudonym="alpha-7", when=WHEN)
    validate(b)
    assert b["type"] == "collection" and b["timestamp"] == "2026-03-01T12:00:00Z"
    patient, = resources(b, "Patient")
    assert patient["identifier"] == [{"system": bsa.fhir.PSEUDONYM_SYSTEM, "value": "alpha-7"}]
    assert patient["gender"] == "female" and "name" not in patient
    affected, bsa_m2, label = resources(b, "Observation")
    assert affected["valueQuantity"]["value"] == ev.percent_bsa
    assert affected["code"]["coding"][0] == {"system": bsa.fhir.CODE_SYSTEM,
                                             "code": "affected-bsa",
                                             "display": "Affected body surface area"}
    rows = ev.region_rows()
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"])
            for c in affected["component"]] == [(r["region"], r["percent_bsa"]) for r in rows]
    assert [c["code"] for c in affected["bodySite"]["coding"]] == [r["region"] for r in rows]
    assert affected["method"]["coding"][0]["code"] == "lund_browder"
    assert ev.estimate.age_reading in affected["method"]["text"]
    assert ev.range.sentence in [n["text"] for n in affected["note"]]
    assert bsa_m2["code"]["coding"][0]["code"] == "8277-6"
    assert bsa_m2["valueQuantity"] == {"value": ev.body_surface_m2, "unit": "m2",
                                       "system": "http://unitsofmeasure.org", "code": "m2"}
    assert label["valueCodeableConcept"]["coding"][0]["code"] == ev.verdict
    assert label["valueCodeableConcept"]["text"] == ev.headline
    urls = {e["resource"]["resourceType"] + str(i): e["fullUrl"] for i, e in enumerate(b["entry"])}
    assert label["derivedFrom"] == [{"reference": urls["Observation1"]}]
    document, = resources(b, "DocumentReference")
    pdf = base64.b64decode(document["content"][0]["attachment"]["data"])
    assert pdf.startswith(b"%PDF") and document["content"][0]["attachment"]["contentType"] == (
        "application/pdf")
    assert "88099-7" not in json.dumps(b)


def test_a_bare_visit_has_no_identifier_no_m2_no_label_no_regions():
    b = bsa.fhir.bundle(Assessment(age_years=30), include_map=False)
    validate(b)
    patient, = resources(b, "Patient")
    assert "identifier" not in patient
    affected, = resources(b, "Observation")
    assert affected["valueQuantity"]["value"] == 0.0
    assert "component" not in affected and "bodySite" not in affected
    assert "8277-6" not in json.dumps(b)


@pytest.mark.parametrize("pseudonym,match", [("", "must not be empty"),
                                              ("a\x1b[2J", "control character"),
                                              ("x" * 201, "at most 200")])
def test_bad_pseudonyms_are_refused(pseudonym, match):
    with pytest.raises(bsa.BSAInputError, match=match):
        bsa.fhir.bundle(Assessment(age_years=30), pseudonym=pseudonym, include_map=False)


def test_the_module_computes_no_clinical_number():
    """No arithmetic and no call of the core's computing functions: it copies numbers."""
    import ast

    tree = ast.parse(inspect.getsource(bsa.fhir))
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.BitOr):  # BitOr: types
            texts = (ast.JoinedStr, ast.Constant)
            assert isinstance(node.op, ast.Add) and any(
                isinstance(side, texts) and not isinstance(getattr(side, "value", ""), float)
                for side in (node.left, node.right)), ast.unparse(node)
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            assert name.split(".")[-1] not in ("estimate", "percent_bsa", "body_surface_area",
                                               "check_rule", "estimate_amount"), name


def test_the_command_writes_the_bundle_atomically(tmp_path, capsys):
    session = save(tmp_path / "visit.json", full_visit())
    out = tmp_path / "visit.fhir.json"
    assert main(["fhir", str(session), "-o", str(out), "--no-map", "--date", "2026-03-01"]) == 0
    err = capsys.readouterr().err
    assert "no --pseudonym" in err
    b = json.loads(out.read_text())
    validate(b)
    assert b["timestamp"] == "2026-03-01T12:00:00Z"
    out.write_text("previous")
    assert main(["fhir", str(session), "-o", str(out), "--pseudonym", ""]) == 2
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visit.fhir.json", "visit.json"]


def test_the_command_in_a_process(tmp_path):
    session = save(tmp_path / "visit.json", full_visit())
    r = subprocess.run([sys.executable, "-m", "bsa", "fhir", str(session), "-o",
                        str(tmp_path / "b.json"), "--pseudonym", "alpha-7"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    validate(json.loads((tmp_path / "b.json").read_text()))
