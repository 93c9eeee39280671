"""A rule's area limit against totals and ages, for one patient or a whole cohort.

:func:`check` compares arrays of treated %BSA and ages with a rule's area limit (the
tightest %BSA limit of each patient's age band), vectorised for cohorts. The words it uses
(:func:`area_phrase`, :func:`age_message`) are the ones every view shows;
:mod:`bsa.treatment.limits` evaluates every limit of a rule for one visit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._renamed import renamed_argument
from ..core.charts import check_age, describe_age
from ..core.regions import PART_INDEX
from ..errors import BSAInputError
from ..i18n import _, num
from .rule_library import load_rule
from .rule_model import LabelRule, Limit, source_kind_words

__all__ = ["AREA_STATES", "AT_LIMIT_TOLERANCE", "DEFAULT_NEAR_FRACTION", "LabelCheck",
           "age_message", "area_phrase", "capitalised", "check", "check_near_fraction",
           "check_percent_bsa", "rule_notices", "state_of_share"]

#: The three answers to "how does a quantity compare with a limit".
AREA_STATES: tuple[str, ...] = ("within", "near", "above")
#: Totals this close to a limit count as at the limit. Sums of chart weights carry
#: floating-point rounding (20% marked may add up to 20.000000000000004). [share of limit]
AT_LIMIT_TOLERANCE = 1e-9
#: "Near" a limit from this share of it, up to and including the limit.
DEFAULT_NEAR_FRACTION = 0.8



def check_percent_bsa(percent_bsa: Any) -> np.ndarray:
    """Return a total as a float array, or raise if it is not a percentage from 0 to 100.

    Raises
    ------
    BSAInputError
        For NaN, infinity, a negative number, more than 100 or something not a number.
    """
    try:
        if np.asarray(percent_bsa).dtype.kind == "b":  # True is not 1 %
            raise TypeError("a boolean")
        p = np.asarray(percent_bsa, dtype=float)
    except (TypeError, ValueError, OverflowError) as exc:
        raise BSAInputError(
            f"the affected body surface must be a number from 0 to 100 %, got {percent_bsa!r}"
        ) from exc
    if p.size and not (p.min() >= 0.0 and p.max() <= 100.0):  # NaN fails both
        bad = p[~((p >= 0.0) & (p <= 100.0))].flat[0]
        what = "not a number" if math.isnan(bad) else f"{bad:g}"
        raise BSAInputError(
            f"affected body surface {what} is out of range: it must be a number from 0 to 100 %"
        )
    return p


def state_of_share(share, near_fraction: float = DEFAULT_NEAR_FRACTION):
    """``"within"``, ``"near"`` (from ``near_fraction`` of a limit up to and including it) or
    ``"above"`` for a quantity's share of its limit (scalar or array)."""
    s = np.asarray(share, dtype=float)
    above = s > 1.0 + AT_LIMIT_TOLERANCE
    near = ~above & (s >= near_fraction - AT_LIMIT_TOLERANCE)
    out = np.where(above, "above", np.where(near, "near", "within"))
    return str(out) if out.ndim == 0 else out


def check_near_fraction(near_fraction: Any) -> float:
    """Return ``near_fraction`` as a float in (0, 1], or raise."""
    try:
        nf = float(near_fraction)
    except (TypeError, ValueError, OverflowError) as exc:
        raise BSAInputError(f"near_fraction must be a number, got {near_fraction!r}") from exc
    if not 0.0 < nf <= 1.0:
        raise BSAInputError(
            f"near_fraction {near_fraction!r} is out of range: it must be above 0 and at most 1"
        )
    return nf


@dataclass(frozen=True)
class LabelCheck:
    """How an affected body surface and an age compare with one rule's area limit.

    For array input every per-patient attribute is an array of the broadcast shape; for
    scalar input they are Python scalars. ``area_state`` is ``"no_stated_limit"`` for a
    patient whose age band has no %BSA limit in the label.

    Attributes
    ----------
    rule : LabelRule
    percent_bsa, age_years : float or ndarray
    age_eligible : bool or ndarray of bool
    area_state : str or ndarray of str
        ``"within"``, ``"near"``, ``"above"`` or ``"no_stated_limit"``.
    limit_percent : float or ndarray
        The area limit at each age (NaN where none). [%]
    margin_points, share_of_limit : float or ndarray
        Limit minus total [percentage points]; total over limit [1] (NaN without a limit).
    near_from_percent : float or ndarray
    headline, age_message : str or ndarray of str (object dtype)
    source, revision : str
    questions, notes : tuple of str
    """

    rule: LabelRule
    percent_bsa: Any
    age_years: Any
    age_eligible: Any
    age_message: Any
    area_state: Any
    margin_points: Any
    share_of_limit: Any
    limit_percent: Any
    near_from_percent: Any
    headline: Any
    questions: tuple[str, ...]
    source: str
    revision: str
    notes: tuple[str, ...]

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (arrays become lists, NaN becomes None)."""

        def plain(x: Any) -> Any:
            if isinstance(x, np.ndarray):
                if x.dtype.kind == "f":
                    if x.ndim == 1:
                        return [None if math.isnan(v) else v for v in x.tolist()]
                    cells = x.astype(object)
                    cells[np.isnan(x)] = None
                    return cells.tolist()
                return x.tolist()
            if isinstance(x, float) and math.isnan(x):
                return None
            return x

        return {
            "rule_id": self.rule.id, "rule_title": self.rule.title,
            "percent_bsa": plain(self.percent_bsa), "age_years": plain(self.age_years),
            "age_eligible": plain(self.age_eligible), "age_message": plain(self.age_message),
            "area_state": plain(self.area_state), "margin_points": plain(self.margin_points),
            "share_of_limit": plain(self.share_of_limit),
            "limit_percent": plain(self.limit_percent),
            "near_from_percent": plain(self.near_from_percent),
            "headline": plain(self.headline), "questions": list(self.questions),
            "source": self.source, "source_kind": self.rule.source_kind,
            "revision": self.revision, "notes": list(self.notes),
        }


def area_phrase(state: str, at_limit: bool, limit: float | None,
                limits_read: bool = True) -> str:
    """How a total compares with an area limit, in words (never "safe").

    ``limits_read=False``: the label's limits for this age could not be read, so the
    absence of an area limit is not the label's answer.
    """
    if state == "no_stated_limit" or limit is None:
        if not limits_read:
            return _("no limit of the label could be read for this age")
        return _("the label states no area limit for this age")
    value = num(limit, "g")
    if state == "above":
        return _("above the label's {limit}% area limit").format(limit=value)
    if at_limit:
        return _("at the label's {limit}% area limit").format(limit=value)
    if state == "near":
        return _("within the label's {limit}% area limit, close to it").format(limit=value)
    return _("within the label's {limit}% area limit").format(limit=value)


def capitalised(text: str) -> str:
    """The first letter in upper case (a phrase that starts a sentence; scripts without
    case, such as Bengali, are unchanged)."""
    return text[:1].upper() + text[1:]


def _headline(state: str, at_limit: bool, eligible: bool, rule: LabelRule,
              limit: float | None, limits_read: bool = True) -> str:
    phrase = area_phrase(state, at_limit, limit, limits_read)
    if not eligible:
        return _("Outside the label's age range ({ages}): discuss with your doctor (the marked "
                 "area is {phrase})").format(ages=rule.age_range_text, phrase=phrase)
    text = capitalised(phrase)
    if state == "above":
        text = _("{verdict}: discuss with your doctor").format(verdict=text)
    return text


def age_message(age: float, rule: LabelRule) -> str:
    """Whether an age is in the indication, in words (the age never rounded across it)."""
    if not rule.ages_read:
        return _("The label's ages could not be read: confirm with your doctor that the "
                 "indication covers age {age}.").format(age=describe_age(age))
    if rule.age_in_indication(age):
        return _("Age {age} is within the indication ({ages}).").format(
            age=describe_age(age), ages=rule.age_range_text)
    return _("Age {age} is outside the indication ({ages}): discuss with your doctor.").format(
        age=describe_age(age), ages=rule.age_range_text)


def rule_notices(rule: LabelRule, limits: tuple[Limit, ...] | None = None) -> tuple[str, ...]:
    """The notices that must be shown with a rule besides its source: which of its ages,
    the given limits (default all), its density and review points were read outside an
    official label copy, and later revisions not transcribed."""
    notes = []
    by_kind: dict[str, list[str]] = {}
    if rule.population_source_kind != "label":
        by_kind.setdefault(rule.population_source_kind, []).append(
            _("the ages ({ages})").format(ages=rule.age_range_text))
    for lim in rule.limits if limits is None else limits:
        if lim.source_kind != "label":
            by_kind.setdefault(lim.source_kind, []).append(
                lim.summary + (f" ({lim.band_text})" if lim.band_text else ""))
    if rule.density is not None and rule.density.source_kind != "label":
        by_kind.setdefault(rule.density.source_kind, []).append(
            _("the density of {density} mg/cm\u00b2").format(
                density=num(rule.density.mg_per_cm2, "g")))
    for point in rule.review_points:
        if point.source_kind != "label":
            by_kind.setdefault(point.source_kind, []).append(
                _("the review point after {days} days").format(days=num(point.after_days, "g")))
    for kind, names in by_kind.items():
        notes.append(_("Read in {where}: {what}.").format(where=source_kind_words(kind),
                                                          what=", ".join(names)))
    notes.extend(_(text) for text in rule.later_revisions_not_transcribed)
    return tuple(dict.fromkeys(notes))


@renamed_argument("age_years", "age")
def check(percent_bsa, age, rule_id: str, *,
          near_fraction: float = DEFAULT_NEAR_FRACTION) -> LabelCheck:
    """Compare affected body surfaces and ages with a rule's area limit (cohorts welcome).

    Parameters
    ----------
    percent_bsa : float or array_like
        Body surface to be treated. [% of body surface, 0 to 100]
    age : float or array_like
        Age of each patient, broadcast against ``percent_bsa``. [years]
    rule_id : str
        One of :func:`available_rules`.
    near_fraction : float, optional
        Where "near the limit" starts, as a share of it (default 0.8). [1, in (0, 1]]

    Returns
    -------
    LabelCheck

    Raises
    ------
    BSAInputError
        For an unknown rule, a total outside 0-100, a bad age or ``near_fraction``. An age
        outside the indication is not an error: ``age_eligible`` is False.

    Notes
    -----
    Only the area limit is compared here; amount, size and duration limits need the marks
    and the cream estimate (see :func:`bsa.evaluate`). A total exactly at the limit is
    "near" and "at the label's ... limit"; within ``AT_LIMIT_TOLERANCE`` counts as at it.

    Examples
    --------
    >>> c = check(12.0, 30, "opzelura_us_atopic_dermatitis")
    >>> c.area_state, c.margin_points, c.headline
    ('within', 8.0, "Within the label's 20% area limit")
    >>> check(20.0, 30, "opzelura_us_atopic_dermatitis").headline
    "At the label's 20% area limit"
    """
    rule = load_rule(rule_id)
    nf = check_near_fraction(near_fraction)
    p = check_percent_bsa(percent_bsa)
    a = check_age(age)
    try:
        p, a = np.broadcast_arrays(p, a)
    except ValueError as exc:
        raise BSAInputError(f"{a.size} ages do not match {p.size} totals of shape {p.shape}") from exc
    ages, inverse = np.unique(a, return_inverse=True)
    limits = np.array([np.nan if (lim := rule.area_limit_for(float(x))) is None else lim.value
                       for x in ages] or [np.nan])[inverse.reshape(a.shape)]
    has_limit = ~np.isnan(limits)
    share = np.where(has_limit, p / np.where(has_limit, limits, 1.0), np.nan)
    state = np.where(has_limit, state_of_share(np.nan_to_num(share), nf), "no_stated_limit")
    at_limit = has_limit & (np.abs(np.nan_to_num(share) - 1.0) <= AT_LIMIT_TOLERANCE)
    eligible = a >= rule.min_age_years
    if rule.max_age_years is not None:
        eligible &= a < rule.max_age_years
    if not rule.ages_read:
        eligible = np.ones(a.shape, dtype=bool)
    read = np.array([rule.limits_read_for(float(x)) for x in ages]
                    or [True])[inverse.reshape(a.shape)]
    # Few distinct headlines and messages in a cohort: format each once, then look up.
    lim_values, lim_idx = np.unique(np.nan_to_num(limits, nan=-1.0), return_inverse=True)
    state_idx = np.select([state == s for s in (*AREA_STATES, "no_stated_limit")], range(4))
    code = ((((lim_idx.reshape(a.shape) * 4 + state_idx) * 2 + at_limit) * 2 + eligible) * 2
            + read)
    codes, code_inverse = np.unique(code, return_inverse=True)
    states = (*AREA_STATES, "no_stated_limit")
    table = []
    for c in codes.tolist():
        rest, r = divmod(c, 2)
        rest, e = divmod(rest, 2)
        rest, at = divmod(rest, 2)
        li, si = divmod(rest, 4)
        value = float(lim_values[li])
        table.append(_headline(states[si], bool(at), bool(e), rule,
                               None if value < 0 else value, bool(r)))
    headline = np.array(table, dtype=object)[code_inverse.reshape(a.shape)]
    message = np.array([age_message(float(x), rule) for x in ages] or [""],
                       dtype=object)[inverse.reshape(a.shape)]
    margin = limits - p
    near_from = nf * limits
    if p.ndim == 0:
        def one(x):
            return x.item() if isinstance(x, np.ndarray) else x
        out = dict(percent_bsa=float(p), age_years=float(a), age_eligible=bool(eligible),
                   age_message=one(message), area_state=str(state), margin_points=float(margin),
                   share_of_limit=float(share), limit_percent=float(limits),
                   near_from_percent=float(near_from), headline=one(headline))
    else:
        out = dict(percent_bsa=p.copy(), age_years=a.copy(), age_eligible=np.asarray(eligible),
                   age_message=message, area_state=state, margin_points=margin,
                   share_of_limit=share, limit_percent=limits, near_from_percent=near_from,
                   headline=headline)
    return LabelCheck(rule=rule, questions=rule.questions, source=rule.source_text(),
                      revision=rule.label_revision, notes=rule_notices(rule), **out)


def parts_index(names: tuple[str, ...]) -> np.ndarray:
    """Indices in :data:`bsa.core.regions.PART_NAMES` of half names."""
    return np.array([PART_INDEX[n] for n in names], dtype=int)
