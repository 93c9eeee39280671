"""A visit as a FHIR R4 Bundle: the patient by pseudonym, the affected %BSA, the body surface
area, the label check and the application map.

:func:`bundle` turns one :class:`~bsa.records.session.Assessment` into a FHIR R4 (4.0.1)
``Bundle`` of type ``collection``, as a JSON-ready dictionary:

``Patient``
    Known by a pseudonym only (an ``identifier`` in :data:`PSEUDONYM_SYSTEM`), and the sex
    when it was given. A session file holds no pseudonym: without one the Patient has no
    identifier at all.
``Observation`` affected body surface
    The total as a percentage (UCUM ``%``), coded in the project's own code system
    (:data:`CODE_SYSTEM`): no LOINC code was found for a dermatology "affected %BSA"
    (LOINC 88099-7 is the area of third-degree burns, not affected skin, and is not used).
    One ``component`` per region with a contribution, the ``method`` (the chart and how it
    was read at this age), the ``bodySite`` (the skin of the regions marked), and a note
    with the range of totals under every chart that applies.
``Observation`` body surface area (LOINC 8277-6)
    Whole-body surface area in m2 (Mosteller), when height and weight are known.
``Observation`` label check
    With a label rule chosen: the verdict (coded in :data:`CODE_SYSTEM`) and its headline,
    with the rule's source in a note.
``DocumentReference``
    The printed application map (PDF, base64), unless ``include_map=False``.

Every number comes from :func:`bsa.evaluate` (the project's one evaluation): this module
computes no clinical number, it only copies them.

The codes of :data:`CODE_SYSTEM` are listed in the documentation ("FHIR export"): ``affected-bsa``,
``label-check``, the chart ids (``lund_browder``, ...), the region names
(:data:`bsa.REGIONS`) and the verdicts (:data:`bsa.treatment.limits.VERDICTS`, and
``no_rule``).

Validated in the tests with the ``fhir.resources`` package's R4B models (4.3.0, the R4
line's technical correction: the elements used here are the same in R4 4.0.1).

Examples
--------
>>> import bsa.fhir
>>> from bsa.records.session import Assessment
>>> b = bsa.fhir.bundle(Assessment(age_years=30, shares={"anterior_trunk": 1.0}),
...                     pseudonym="alpha-7", include_map=False)
>>> [e["resource"]["resourceType"] for e in b["entry"]]
['Patient', 'Observation']
>>> b["entry"][1]["resource"]["valueQuantity"]["value"]
13.0
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

from .checks import text
from .core.regions import REGIONS, region_label
from .errors import BSAInputError
from .evaluation import BODY_SURFACE_FORMULA, Evaluation, evaluate
from .records.session import Assessment

__all__ = ["CODE_SYSTEM", "PSEUDONYM_SYSTEM", "LOINC", "UCUM", "bundle", "code_system_codes",
           "to_json"]

#: The project's own code system (documented on the documentation site, "FHIR export").
CODE_SYSTEM = "https://bsa-map.readthedocs.io/fhir/CodeSystem/bsa-map"
#: The identifier system of a patient's pseudonym.
PSEUDONYM_SYSTEM = "https://bsa-map.readthedocs.io/fhir/NamingSystem/pseudonym"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
#: LOINC 8277-6: Body surface area.
BODY_SURFACE_AREA_LOINC = "8277-6"
_MAX_PSEUDONYM_CHARS = 200


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _coding(code: str, display: str, system: str = CODE_SYSTEM) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def _percent(value: float) -> dict[str, Any]:
    return {"value": float(value), "unit": "%", "system": UCUM, "code": "%"}


def _patient(ev: Evaluation, pseudonym: str | None) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient"}
    if pseudonym is not None:
        patient["identifier"] = [{"system": PSEUDONYM_SYSTEM, "value": pseudonym}]
    if ev.assessment.sex is not None:
        patient["gender"] = ev.assessment.sex
    return patient


def _affected(ev: Evaluation, subject: str, when: str) -> dict[str, Any]:
    est = ev.estimate
    rows = ev.region_rows()
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": _CATEGORY, "code": "exam", "display": "Exam"}]}],
        "code": {"coding": [_coding("affected-bsa", "Affected body surface area")],
                 "text": "Affected body surface area, % of total body surface"},
        "subject": {"reference": subject},
        "effectiveDateTime": when,
        "valueQuantity": _percent(ev.percent_bsa),
        "method": {"coding": [_coding(est.chart, est.chart_title)],
                   "text": f"{est.chart_title}, read at age {ev.age_text}: {est.age_reading}"},
        "note": [{"text": ev.range.sentence}, {"text": ev.disclaimer}],
    }
    if rows:
        observation["bodySite"] = {
            "coding": [_coding(r["region"], r["label"]) for r in rows],
            "text": "Skin of: " + ", ".join(r["label"] for r in rows),
        }
        observation["component"] = [
            {"code": {"coding": [_coding(r["region"], r["label"])],
                      "text": f"{r['label']}: share of total body surface"},
             "valueQuantity": _percent(r["percent_bsa"])}
            for r in rows
        ]
    return observation


def _body_surface(ev: Evaluation, subject: str, when: str) -> dict[str, Any]:
    a = ev.assessment
    m2 = ev.body_surface_m2
    assert m2 is not None and a.height_cm is not None and a.weight_kg is not None
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": _CATEGORY, "code": "vital-signs",
                                  "display": "Vital Signs"}]}],
        "code": {"coding": [{"system": LOINC, "code": BODY_SURFACE_AREA_LOINC,
                             "display": "Body surface area"}], "text": "Body surface area"},
        "subject": {"reference": subject},
        "effectiveDateTime": when,
        "valueQuantity": {"value": m2, "unit": "m2", "system": UCUM,
                          "code": "m2"},
        "method": {"text": f"{BODY_SURFACE_FORMULA.title()} formula from height "
                           f"{a.height_cm:g} cm and weight {a.weight_kg:g} kg"},
    }


def _label_check(ev: Evaluation, subject: str, when: str, affected: str) -> dict[str, Any]:
    rc = ev.rule_check
    assert rc is not None
    rule = rc.rule
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [_coding("label-check", "Treated area against the label's limits")],
                 "text": f"Label check: {rule.id}"},
        "subject": {"reference": subject},
        "effectiveDateTime": when,
        "valueCodeableConcept": {"coding": [_coding(ev.verdict, ev.verdict)],
                                 "text": ev.headline},
        "derivedFrom": [{"reference": affected}],
        "note": [{"text": f"Label rule: {rule.source_text()}"}],
    }


def _map_document(ev: Evaluation, subject: str, when: str) -> dict[str, Any]:
    from .report import render_report

    pdf = render_report(ev, "pdf", date=when[:10])
    return {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"text": "Application map (where to apply the treatment)"},
        "subject": {"reference": subject},
        "date": when,
        "description": "The printed application map of this visit",
        "content": [{"attachment": {"contentType": "application/pdf",
                                    "data": base64.b64encode(pdf).decode("ascii"),
                                    "title": "Application map", "creation": when}}],
    }


def bundle(assessment: Assessment | Evaluation, *, pseudonym: str | None = None,
           include_map: bool = True, when: datetime | None = None) -> dict[str, Any]:
    """The FHIR R4 Bundle of one visit, as a JSON-ready dictionary.

    Parameters
    ----------
    assessment : Assessment or Evaluation
        The visit (evaluated here with :func:`bsa.evaluate`), or its evaluation.
    pseudonym : str, optional
        The patient's pseudonym, the Patient's only identifier. Without it the Patient has
        no identifier (a session file holds none).
    include_map : bool, optional
        Add the application map as a PDF DocumentReference (default True; drawing it takes
        about a second).
    when : datetime, optional
        The time of the observations (default now, UTC).

    Returns
    -------
    dict
        ``{"resourceType": "Bundle", "type": "collection", "entry": [...]}``.

    Raises
    ------
    BSAInputError
        For an assessment that is not one, or a pseudonym that is not text that can be
        stored (empty, longer than 200 characters, control characters).
    """
    ev = assessment if isinstance(assessment, Evaluation) else evaluate(assessment)
    if pseudonym is not None:
        text(pseudonym, "the pseudonym", max_chars=_MAX_PSEUDONYM_CHARS)
        if not pseudonym.strip():
            raise BSAInputError("the pseudonym must not be empty")
    moment = (when or datetime.now(UTC)).astimezone(UTC)
    stamp = moment.isoformat(timespec="seconds").replace("+00:00", "Z")
    patient_url, affected_url = _urn(), _urn()
    entries = [(patient_url, _patient(ev, pseudonym)),
               (affected_url, _affected(ev, patient_url, stamp))]
    if ev.body_surface_m2 is not None:
        entries.append((_urn(), _body_surface(ev, patient_url, stamp)))
    if ev.rule_check is not None:
        entries.append((_urn(), _label_check(ev, patient_url, stamp, affected_url)))
    if include_map:
        entries.append((_urn(), _map_document(ev, patient_url, stamp)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": stamp,
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def to_json(fhir_bundle: dict[str, Any]) -> str:
    """The bundle as JSON text (UTF-8, two-space indent)."""
    import json

    return json.dumps(fhir_bundle, indent=2, ensure_ascii=False) + "\n"


def code_system_codes() -> dict[str, str]:
    """Code -> display, every code of :data:`CODE_SYSTEM` this module writes."""
    from .core.charts import available_charts, load_chart
    from .treatment.limits import VERDICTS

    codes = {"affected-bsa": "Affected body surface area",
             "label-check": "Treated area against the label's limits",
             "no_rule": "no_rule"}
    codes.update({c: load_chart(c).title for c in available_charts()})
    codes.update({r: region_label(r) for r in REGIONS})
    codes.update({v: v for v in VERDICTS})
    return codes
