"""The same four tests for every public vectorised function.

One table, :data:`CASES`: each function with the inputs of a published example and the
published value. Over it: (a) the published value; (b) arrays of every shape (0-d, (3,),
(2, 3), and a (3, 1) broadcast against a (4,)) give elementwise what the scalar calls give,
and a scalar call gives a scalar (the Python type the docstring names); (c) NaN and +-inf in
each numeric input are refused with :class:`bsa.BSAInputError` naming the input; (d) invalid
input (wrong type, out of range, an unknown name) is refused with :class:`bsa.BSAInputError`
naming the valid values.

A function that does not do what its docstring says is marked ``xfail(strict=True)`` here,
with the reason, rather than skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from test_palm_and_body_surface import PUBLISHED_80KG_180CM
from tolerance import assert_close, printed

import bsa
from bsa.core.regions import PART_INDEX, REGION_INDEX
from bsa.treatment.area_check import check
from bsa.treatment.skin_scores import (
    area_score,
    easi_area_scores,
    pasi_area_scores,
    region_percentages,
    vasi_hand_units,
)
from bsa.treatment.thresholds import classify


def marks(**shares: float) -> np.ndarray:
    """Affected fractions of the 19 regions (REGIONS order)."""
    f = np.zeros(len(bsa.REGIONS))
    for region, share in shares.items():
        f[REGION_INDEX[region]] = share
    return f


# Valid values for the shape tests, four of each kind (a (4,) array takes all four).
AGES = [30.0, 1.0, 7.5, 80.0]
FRACTIONS = [marks(anterior_trunk=0.5), marks(head=1.0, neck=0.25), np.linspace(0, 1, 19),
             marks(right_thigh=0.3, left_hand=1.0, genitalia=0.5)]
PERCENTS = [12.0, 0.0, 9.5, 100.0]
WEIGHTS = [80.0, 20.0, 3.5, 120.0]  # [kg]
HEIGHTS = [180.0, 110.0, 50.0, 200.0]  # [cm]

CHART_NAMES = "lund_browder, rule_of_nines, rule_of_nines_paediatric"
AGE_RANGE = "from 0 to 120"
FRACTION_RANGE = r"from 0 \(none\) to 1"
PERCENT_RANGE = "from 0 to 100 %"


@dataclass(frozen=True)
class Case:
    """One function of the table."""

    id: str
    #: The call, numeric inputs and names as keywords.
    call: Callable[..., Any]
    #: The numeric inputs of the published example, name -> value (fractions: shape (19,)).
    inputs: dict[str, Any]
    #: What is compared, from the result; written for any batch shape (``[..., i]``).
    read: Callable[[Any], Any]
    published: Any
    #: Tolerance against the published value: printed(decimals), or 0 for ints and text.
    tolerance: float
    #: Valid values of each numeric input for the shape tests.
    samples: dict[str, list[Any]]
    #: The words that name each numeric input in the messages.
    names: dict[str, str]
    #: (what, inputs or names to change, regex of the message naming the valid values[, xfail])
    invalid: tuple[tuple, ...]
    #: The Python type a scalar call gives (None: any 0-d).
    scalar_type: type | None = float
    marks: tuple = field(default=())


AGE_INVALID = (("age as text", {"age": "thirty"}, "age must be numbers of years"),
               ("age as a boolean", {"age": True}, "age must be numbers.*boolean"),
               ("age below 0", {"age": -1}, AGE_RANGE),
               ("age above 120", {"age": 121}, AGE_RANGE))
FRACTION_INVALID = (("a fraction above 1", {"fractions": marks(head=1.5)}, FRACTION_RANGE),
                    ("a fraction below 0", {"fractions": marks(head=-0.1)}, FRACTION_RANGE),
                    ("fractions as text", {"fractions": "head"}, "fractions must be numbers"),
                    ("neither 19 regions nor 33 halves", {"fractions": np.zeros(5)},
                     "19 regions or the 33 halves"))
CHART_INVALID = (("an unknown chart", {"chart": "wallace"}, CHART_NAMES),
                 ("a chart that is not a name", {"chart": 3}, CHART_NAMES),
                 ("an unknown age mode", {"age_mode": "rounded"}, "interpolated, banded"))
PERCENT_INVALID = (("a total as text", {"percent_bsa": "ten"}, PERCENT_RANGE),
                   ("a negative total", {"percent_bsa": -1}, PERCENT_RANGE),
                   ("a total above 100", {"percent_bsa": 101}, PERCENT_RANGE),
                   ("a total as a boolean", {"percent_bsa": True}, PERCENT_RANGE))
MARKS = {"fractions": FRACTIONS, "age": AGES}
MARK_NAMES = {"fractions": "affected fraction", "age": "age"}

CASES = [
    # Lund and Browder 1944: anterior trunk 13% at every age; half of it marked -> 6.5%.
    Case("percent_bsa", lambda fractions, age, **kw: bsa.percent_bsa(fractions, age, **kw),
         {"fractions": marks(anterior_trunk=0.5), "age": 30.0}, lambda r: r, 6.5, printed(1),
         MARKS, MARK_NAMES, FRACTION_INVALID + AGE_INVALID + CHART_INVALID),
    # Lund and Browder 1944: the head is 19% at birth.
    Case("breakdown", lambda fractions, age, **kw: bsa.breakdown(fractions, age, **kw),
         {"fractions": marks(head=1.0), "age": 0.0}, lambda r: r[..., REGION_INDEX["head"]],
         19.0, printed(0), MARKS, MARK_NAMES, FRACTION_INVALID + AGE_INVALID + CHART_INVALID,
         scalar_type=None),
    # Lund and Browder 1944: "A = 1/2 of head", 8 1/2 at 1 year.
    Case("half_weights", lambda age, **kw: bsa.half_weights(age, **kw), {"age": 1.0},
         lambda r: r[..., PART_INDEX["head:front"]], 8.5, printed(1), {"age": AGES},
         {"age": "age"}, AGE_INVALID + CHART_INVALID, scalar_type=None),
    # Lund and Browder 1944: the head is 7% from adulthood.
    Case("region_weights", lambda age, **kw: bsa.region_weights(age, **kw), {"age": 18.0},
         lambda r: r[..., REGION_INDEX["head"]], 7.0, printed(0), {"age": AGES},
         {"age": "age"}, AGE_INVALID + CHART_INVALID, scalar_type=None),
    # Wallace's rule of nines: the anterior trunk is 18% (the highest chart for an adult);
    # the BMI and palm count add charts below it.
    Case("percent_bsa_range",
         lambda fractions, age, bmi, palm_count, **kw: bsa.percent_bsa_range(
             fractions, age, bmi=bmi, palm_count=palm_count, **kw),
         {"fractions": marks(anterior_trunk=1.0), "age": 45.0, "bmi": 35.0, "palm_count": 13.0},
         lambda r: r.high, 18.0, printed(0),
         {**MARKS, "bmi": [35.0, 22.0, 31.0, 18.0], "palm_count": [13.0, 2.0, 0.0, 5.5]},
         {**MARK_NAMES, "bmi": "BMI", "palm_count": "palm count"},
         FRACTION_INVALID + AGE_INVALID + (
             ("a BMI below 5", {"bmi": 2.0}, "from 5 to 250 kg/m2"),
             ("a BMI as text", {"bmi": "obese"}, "BMI must be a number in kg/m2"),
             ("a palm count above 200", {"palm_count": 201}, "from 0 to 200 hands"),
             ("a palm count as a boolean", {"palm_count": True}, "palm count"),
             ("an unknown sex", {"sex": "other"}, "female, male"))),
    *(
        # Clinical-data reference, section 9: 80 kg, 180 cm.
        Case(f"body_surface_area[{formula}]",
             lambda weight_kg, height_cm, formula=formula, **kw: bsa.body_surface_area(
                 weight_kg, height_cm, **{"formula": formula, **kw}),
             {"weight_kg": 80.0, "height_cm": 180.0}, lambda r: r, m2, printed(3),
             {"weight_kg": WEIGHTS, "height_cm": HEIGHTS},
             {"weight_kg": "weight", "height_cm": "height"},
             (("an unknown formula", {"formula": "boyd"},
               "mosteller, du_bois, haycock, gehan_george"),
              ("a weight as text", {"weight_kg": "80"}, "weight must be numbers of kg"),
              ("a height as a boolean", {"height_cm": True}, "height must be numbers of cm"),
              ("a weight above 700 kg", {"weight_kg": 701}, "from 0.2 to 700 kg"),
              ("a height below 20 cm", {"height_cm": 19}, "from 20 to 280 cm"),
              ("shapes that do not broadcast", {"weight_kg": [80, 70, 60], "height_cm": [180, 170]},
               "shapes do not match")))
        for formula, m2 in PUBLISHED_80KG_180CM.items()
    ),
    # 1 m2 = 10 000 cm2: 1% of 2 m2 is 200 cm2.
    Case("percent_to_cm2", lambda percent, body_surface_m2: bsa.percent_to_cm2(
        percent, body_surface_m2), {"percent": 1.0, "body_surface_m2": 2.0}, lambda r: r,
         200.0, printed(1), {"percent": PERCENTS, "body_surface_m2": [2.0, 0.25, 1.73, 3.0]},
         {"percent": "percent of body surface", "body_surface_m2": "body surface area"},
         (("a percent above 100", {"percent": 101}, PERCENT_RANGE),
          ("a surface as text", {"body_surface_m2": "2"}, "body surface area must be numbers"),
          ("a surface above 10 m2", {"body_surface_m2": 11}, "from 0.01 to 10 m2"))),
    # BMI = weight / height squared: 120 kg, 1.70 m -> 41.5 kg/m2.
    Case("body_mass_index", lambda weight_kg, height_cm: bsa.body_mass_index(
        weight_kg, height_cm), {"weight_kg": 120.0, "height_cm": 170.0}, lambda r: r, 41.5,
         printed(1), {"weight_kg": WEIGHTS, "height_cm": HEIGHTS},
         {"weight_kg": "weight", "height_cm": "height"},
         (("a weight below 0.2 kg", {"weight_kg": 0.1}, "from 0.2 to 700 kg"),
          ("a height as text", {"height_cm": "tall"}, "height must be numbers of cm"))),
    # EASI (Hanifin et al. 2001): 1-9% of a region scores 1.
    Case("area_score", lambda percent_bsa: area_score(percent_bsa), {"percent_bsa": 9.5},
         lambda r: r, 1, 0, {"percent_bsa": PERCENTS}, {"percent_bsa": "affected body surface"},
         PERCENT_INVALID, scalar_type=int),
    # VASI (Hamzavi et al. 2004): one hand unit is about 1% of body surface.
    Case("vasi_hand_units", lambda percent_bsa: vasi_hand_units(percent_bsa),
         {"percent_bsa": 4.5}, lambda r: r, 4.5, printed(1), {"percent_bsa": PERCENTS},
         {"percent_bsa": "affected body surface"}, PERCENT_INVALID),
    # Adult Lund-Browder trunk 13 + 13 + 1 = 27%; half the anterior trunk is 6.5 / 27 = 24.1%.
    Case("region_percentages",
         lambda fractions, age, **kw: region_percentages(fractions, age, **kw),
         {"fractions": marks(anterior_trunk=0.5), "age": 30.0},
         lambda r: r["trunk"]["percent_of_region"], 24.1, printed(1), MARKS, MARK_NAMES,
         FRACTION_INVALID + AGE_INVALID + CHART_INVALID),
    # EASI (Hanifin et al. 2001): 24.1% of the trunk is in the 10-29% band, score 2.
    Case("easi_area_scores",
         lambda fractions, age, **kw: easi_area_scores(fractions, age, **kw),
         {"fractions": marks(anterior_trunk=0.5), "age": 30.0},
         lambda r: r["trunk"]["area_score"], 2, 0, MARKS, MARK_NAMES,
         FRACTION_INVALID + AGE_INVALID + CHART_INVALID, scalar_type=int),
    # PASI: the buttocks count with the legs; one adult buttock is 2.5% (Lund-Browder).
    Case("pasi_area_scores",
         lambda fractions, age, **kw: pasi_area_scores(fractions, age, **kw),
         {"fractions": marks(genitalia=1.0, left_buttock=1.0), "age": 30.0},
         lambda r: r["lower_limbs"]["percent_bsa_affected"], 2.5, printed(1), MARKS, MARK_NAMES,
         FRACTION_INVALID + AGE_INVALID + CHART_INVALID),
    # UK burn referral (2012): a child's burn of 2% or more is referred.
    Case("classify", lambda percent_bsa, age, **kw: classify(
        percent_bsa, kw.pop("scheme", "burn_referral_uk_2012"), age=age, **kw),
         {"percent_bsa": 2.0, "age": 6.0}, lambda r: r.category, "refer", 0,
         {"percent_bsa": PERCENTS, "age": AGES},
         {"percent_bsa": "affected body surface", "age": "age"},
         PERCENT_INVALID + AGE_INVALID + (
             ("an unknown scheme", {"scheme": "rule_of_tens"},
              "psoriasis_bsa_npf, burn_referral_aba, burn_referral_anzba"),),
         scalar_type=str),
    # Opzelura US prescribing information (atopic dermatitis): up to 20% of body surface;
    # 12% leaves 8 points.
    Case("area_check.check", lambda percent_bsa, age, **kw: check(
        percent_bsa, age, kw.pop("rule_id", "opzelura_us_atopic_dermatitis"), **kw),
         {"percent_bsa": 12.0, "age": 30.0}, lambda r: r.margin_points, 8.0, printed(1),
         {"percent_bsa": PERCENTS, "age": AGES},
         {"percent_bsa": "affected body surface", "age": "age"},
         PERCENT_INVALID + AGE_INVALID + (
             ("an unknown rule", {"rule_id": "opzelura"}, "opzelura_us_atopic_dermatitis, "),
             ("a near fraction above 1", {"near_fraction": 1.5}, "above 0 and at most 1"))),
]

BY_ID = {c.id: c for c in CASES}


def params(rows):
    """pytest params with ids, marked xfail(strict) where a row gives a reason."""
    out = []
    for case_id, *rest, reason in rows:
        found = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(case_id, *rest, id=f"{case_id}-{rest[0]}", marks=found))
    return out


def sample(values: list[Any], shape: tuple[int, ...]) -> np.ndarray:
    """An array of batch ``shape`` of the sample values, in turn (fractions keep their axis)."""
    n = int(np.prod(shape, dtype=int))
    picked = np.array([values[i % len(values)] for i in range(n)], dtype=float)
    return picked.reshape(shape + picked.shape[1:])


def at(inputs: dict[str, np.ndarray], idx: tuple[int, ...], shape: tuple[int, ...]):
    """The scalar inputs at batch index ``idx`` of inputs broadcast to ``shape``."""
    out = {}
    for name, a in inputs.items():
        core = 1 if name == "fractions" else 0
        batch = a.shape[: a.ndim - core]
        b = np.broadcast_to(a, shape + a.shape[a.ndim - core:]) if batch != shape else a
        v = b[idx]
        out[name] = float(v) if core == 0 else np.array(v)
    return out


def same(got, expected) -> None:
    got, expected = np.asarray(got), np.asarray(expected)
    if got.dtype.kind in "fc" or expected.dtype.kind in "fc":
        assert_close(got, expected)
    else:
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_published_value(case):
    got = case.read(case.call(**case.inputs))
    if case.tolerance:
        assert got == pytest.approx(case.published, abs=case.tolerance)
    else:
        assert got == case.published


def _shape_rows():
    rows = []
    for c in CASES:
        names = list(c.samples)
        for shape in [(), (3,), (2, 3)]:
            rows.append((c.id, {n: shape for n in names}, shape, None))
        if len(names) >= 2:  # the first input down, the second across
            shapes = {n: () for n in names} | {names[0]: (3, 1), names[1]: (4,)}
            rows.append((c.id, shapes, (3, 4), None))
    return rows


@pytest.mark.parametrize(("case_id", "shapes", "shape"),
                         [pytest.param(cid, s, out, id=f"{cid}-{'x'.join(map(str, s.values()))}")
                          for cid, s, out, _ in _shape_rows()])
def test_arrays_broadcast_like_scalars(case_id, shapes, shape):
    case = BY_ID[case_id]
    inputs = {n: sample(case.samples[n], shapes[n]) for n in case.samples}
    got = np.asarray(case.read(case.call(**inputs)))
    assert got.shape == shape
    for idx in np.ndindex(*shape):
        one = case.read(case.call(**at(inputs, idx, shape)))  # Python numbers in
        assert np.ndim(one) == 0  # a scalar out
        if case.scalar_type is not None:
            assert isinstance(one, case.scalar_type), type(one)
        same(got[idx], one)


@pytest.mark.parametrize(("case_id", "name", "bad"), [
    pytest.param(c.id, name, bad, id=f"{c.id}-{name}-{bad}")
    for c in CASES for name in c.samples for bad in (np.nan, np.inf, -np.inf)])
def test_nan_and_inf_are_refused(case_id, name, bad):
    case = BY_ID[case_id]
    for where in ("alone", "in an array"):
        value = (np.array(case.inputs[name], dtype=float) if where == "alone"
                 else sample(case.samples[name], (3,)))
        if value.ndim:
            value[..., 1] = bad  # for fractions, one region's share
        else:
            value = bad
        with pytest.raises(bsa.BSAInputError, match=case.names[name]):
            case.call(**{**case.inputs, name: value})


@pytest.mark.parametrize(("case_id", "what", "change", "message"), params(
    (c.id, *row[:3], row[3] if len(row) > 3 else None) for c in CASES for row in c.invalid))
def test_invalid_input_is_refused(case_id, what, change, message):
    case = BY_ID[case_id]
    with pytest.raises(bsa.BSAInputError, match=message):
        case.call(**{**case.inputs, **change})
