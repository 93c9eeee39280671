"""Body-shape charts: the share of body surface of each region by body mass index class.

Obese adults carry more of their surface on the trunk and less on the head and limbs than
the Lund-Browder and rule-of-nines charts assume. A body-shape chart gives one chart per
BMI class. The shipped one is Neaman et al. 2011 (``charts/body_shape_neaman_2011.json``),
read from the paper's abstract only (status "secondary"): head 5%, both arms 15% in every
class, trunk/legs 35/45 (normal weight), 40/40 (obese), 45/35 (morbidly obese).

Each class is a "groups" chart built by :mod:`bsa.core.charts` exactly as the
rule-of-nines files are (the same checks, the same apportionment of each group between
the Lund-Browder regions), so it can be passed as ``chart=`` to :func:`bsa.percent_bsa`
and :func:`bsa.breakdown`. These charts are an alternative for the range of estimates
(:func:`bsa.estimate_range`), not a replacement for the Lund-Browder chart.

References
----------
.. [1] Neaman KC, Andres LA, McClure AM, Burton ME, Kemmeter PR, et al. A new method for
   estimation of involved BSAs for obese and normal-weight patients with burn injury.
   J Burn Care Res 2011;32(3):421-428. doi:10.1097/BCR.0b013e318217f8c6
.. [2] WHO. Obesity: preventing and managing the global epidemic. WHO Technical Report
   Series 894. Geneva: WHO, 2000 (the BMI classes, the project's reading of the paper's
   groups).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

import numpy as np

from ..data import load_data
from ..errors import BSAInputError
from ..i18n import _, num
from .charts import Chart, _build_chart

__all__ = [
    "BMI_RANGE",
    "BodyShapeChart",
    "BodyShapeClass",
    "body_mass_index",
    "check_bmi",
    "load_body_shape_chart",
]

#: BMI values accepted. [kg/m2] Wide enough for the extremes recorded in adults and
#: children; anything outside is taken for a typing or unit error.
BMI_RANGE = (5.0, 250.0)

_FILE = "body_shape_neaman_2011.json"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class BodyShapeClass:
    """One BMI class of a body-shape chart and the chart for it.

    Attributes
    ----------
    id : str
        ``"normal_weight"``, ``"obese"``, ``"morbidly_obese"``.
    title : str
        The class in words, as the paper names it.
    bmi_min : float
        [kg/m2], included.
    bmi_max : float or None
        [kg/m2], excluded; None for no upper end.
    chart : Chart
        The class's chart (19 regions, 33 halves, summing to 100).
    """

    id: str
    title: str
    bmi_min: float
    bmi_max: float | None
    chart: Chart

    @property
    def bmi_text(self) -> str:
        """``"BMI 30 to under 40"`` or ``"BMI 40 and over"``."""
        if self.bmi_max is None:
            return _("BMI {low} and over").format(low=num(self.bmi_min, "g"))
        return _("BMI {low} to under {high}").format(low=num(self.bmi_min, "g"),
                                                     high=num(self.bmi_max, "g"))


@dataclass(frozen=True)
class BodyShapeChart:
    """A body-shape chart: one chart per BMI class, with its source.

    Attributes
    ----------
    id, title : str
    source : mapping
        ``citation``, ``doi``, ``table``, ``status``, ``read_from``, ``notes``.
    population : str
    read_from : str
        ``"abstract"`` or ``"full text"``: what of the paper could be read.
    classes : tuple of BodyShapeClass
        In file order.
    bmi_classes_source : str
        Where the class limits come from (here: the project's reading).
    range_from_bmi : float
        The range of charts uses this chart from this BMI on. [kg/m2]
    left_out : tuple of mapping
        Other body-shape sources considered and why they are not used.
    """

    id: str
    title: str
    source: Mapping[str, Any]
    population: str
    read_from: str
    classes: tuple[BodyShapeClass, ...]
    bmi_classes_source: str
    range_from_bmi: float
    left_out: tuple[Mapping[str, str], ...]

    @property
    def status(self) -> str:
        return str(self.source.get("status", "unverified"))

    @property
    def intended_ages(self) -> tuple[float, float | None]:
        return self.classes[0].chart.intended_ages

    def bmi_class(self, class_id: str) -> BodyShapeClass:
        """The class with this id.

        Raises
        ------
        BSAInputError
            For an unknown class (the message lists the valid ones).
        """
        for c in self.classes:
            if c.id == class_id:
                return c
        raise BSAInputError(f"unknown BMI class {class_id!r}; valid classes are: "
                            f"{', '.join(c.id for c in self.classes)}")

    def class_for(self, bmi: float) -> BodyShapeClass | None:
        """The class a BMI falls in, or None (e.g. overweight, 25 to under 30). [kg/m2]"""
        b = float(bmi)
        for c in self.classes:
            if c.bmi_min <= b and (c.bmi_max is None or b < c.bmi_max):
                return c
        return None


def check_bmi(bmi: Any) -> np.ndarray:
    """Return ``bmi`` as a float array, or raise if any value is not a usable BMI.

    Raises
    ------
    BSAInputError
        For NaN, infinite, not a number, or outside :data:`BMI_RANGE`.
    """
    try:
        b = np.asarray(bmi, dtype=float)
    except (TypeError, ValueError) as exc:
        raise BSAInputError(f"BMI must be a number in kg/m2, got {bmi!r}") from exc
    lo, hi = BMI_RANGE
    if b.size and not (b.min() >= lo and b.max() <= hi):  # NaN fails both
        bad = b[~((b >= lo) & (b <= hi))].flat[0]
        raise BSAInputError(f"BMI {bad!r} is out of range: a BMI must be a finite number "
                            f"from {lo:g} to {hi:g} kg/m2")
    return b


def body_mass_index(weight_kg, height_cm):
    """Body mass index: weight divided by the square of height.

    Parameters
    ----------
    weight_kg : float or array_like
        [kg]
    height_cm : float or array_like
        [cm]

    Returns
    -------
    float or ndarray
        [kg/m2]

    Raises
    ------
    BSAInputError
        For a weight or height that is not a plausible positive number (the ranges of
        :func:`bsa.body_surface_area`).

    Examples
    --------
    >>> round(body_mass_index(120, 170), 1)
    41.5
    """
    from ..checks import HEIGHT_RANGE, WEIGHT_RANGE, number_array

    w = number_array(weight_kg, _("weight"), *WEIGHT_RANGE, "kg")
    h = number_array(height_cm, _("height"), *HEIGHT_RANGE, "cm")
    bmi = w / (h / 100.0) ** 2
    return float(bmi) if np.ndim(bmi) == 0 else bmi


@cache
def load_body_shape_chart() -> BodyShapeChart:
    """Return the shipped body-shape chart (Neaman et al. 2011), read and checked (cached).

    Every class is built by the same code as the rule-of-nines files
    (:func:`bsa.core.charts.read_chart_file`'s "groups" kind): known regions, each region in
    exactly one group, every class summing to 100.

    Raises
    ------
    BSAInputError
        If the data file is malformed, naming the class and the problem.

    Examples
    --------
    >>> import bsa
    >>> shape = bsa.load_body_shape_chart()
    >>> [c.id for c in shape.classes]
    ['normal_weight', 'obese', 'morbidly_obese']
    >>> round(float(shape.bmi_class("obese").chart.region_table[0].sum()), 6)
    100.0
    """
    return read_body_shape_doc(load_data(_FILE, SCHEMA_VERSION))


def read_body_shape_doc(doc: Mapping[str, Any]) -> BodyShapeChart:
    """Build a :class:`BodyShapeChart` from a parsed data file (see :func:`load_body_shape_chart`)."""
    try:
        classes = []
        for class_id, spec in doc["bmi_classes"].items():
            sub = copy.deepcopy({k: v for k, v in doc.items()
                                 if k in ("kind", "source", "age_columns", "column_labels",
                                          "apportionment", "intended_ages")})
            sub["id"] = f"{doc['id']}:{class_id}"
            sub["title"] = f"{doc['title']}: {spec['title']}"
            sub["groups"] = {name: {"regions": g["regions"], "percent": g["percent"][class_id]}
                             for name, g in doc["groups"].items()}
            try:
                chart = dataclasses.replace(_build_chart(sub), title_parts=(
                    str(doc["title"]), str(spec["title"])))
            except BSAInputError as exc:
                raise BSAInputError(f"BMI class {class_id!r}: {exc}") from exc
            hi = spec["bmi_max"]
            classes.append(BodyShapeClass(id=class_id, title=str(spec["title"]),
                                          bmi_min=float(spec["bmi_min"]),
                                          bmi_max=None if hi is None else float(hi),
                                          chart=chart))
        return BodyShapeChart(
            id=str(doc["id"]), title=str(doc["title"]),
            source=MappingProxyType(dict(doc["source"])), population=str(doc["population"]),
            read_from=str(doc["read_from"]), classes=tuple(classes),
            bmi_classes_source=str(doc["bmi_classes_source"]),
            range_from_bmi=float(doc["range_from_bmi"]),
            left_out=tuple(MappingProxyType(dict(x)) for x in doc.get("left_out", ())),
        )
    except BSAInputError as exc:
        raise BSAInputError(f"body-shape chart file {_FILE}: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise BSAInputError(f"body-shape chart file {_FILE} is malformed: {exc!r}") from exc
