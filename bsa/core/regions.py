"""The body regions of the Lund-Browder chart, and their front and back halves.

The vocabulary every part of the project shares: the numeric core, the body diagram, the
page and the reports. Right and left are the patient's.

A *region* is one of the 19 Lund-Browder regions. A *half* (also called a *part*) is the
front or back of a region: regions drawn on both sides of the chart (head, neck, arms,
hands, thighs, lower legs, feet) have two halves; the anterior trunk and genitalia only a
front; the posterior trunk and the buttocks only a back. A selection names either a whole
region (``"head"``) or one half (``"head:front"``).

References
----------
Lund CC, Browder NC. The estimation of areas of burns. Surg Gynecol Obstet
1944;79:352-358.
"""

from __future__ import annotations

from types import MappingProxyType

from ..checks import shown
from ..errors import BSAInputError
from ..i18n import N_, _

__all__ = [
    "REGIONS",
    "SIDES",
    "PARTS",
    "PART_NAMES",
    "REGION_SIDES",
    "REGION_INDEX",
    "PART_INDEX",
    "PART_REGION",
    "part_name",
    "parse_part",
    "mirror",
    "region_label",
    "REGION_WORDS",
    "halves_of",
]

#: The 19 Lund-Browder regions, in the order used on the last axis of region arrays.
REGIONS: tuple[str, ...] = (
    "head",
    "neck",
    "anterior_trunk",
    "posterior_trunk",
    "right_buttock",
    "left_buttock",
    "genitalia",
    "right_upper_arm",
    "left_upper_arm",
    "right_lower_arm",
    "left_lower_arm",
    "right_hand",
    "left_hand",
    "right_thigh",
    "left_thigh",
    "right_lower_leg",
    "left_lower_leg",
    "right_foot",
    "left_foot",
)

#: The two views of the chart.
SIDES: tuple[str, ...] = ("front", "back")

_FRONT_ONLY = {"anterior_trunk", "genitalia"}
_BACK_ONLY = {"posterior_trunk", "right_buttock", "left_buttock"}

#: For each region, the sides on which it is drawn (its halves).
REGION_SIDES = MappingProxyType(
    {
        r: ("front",) if r in _FRONT_ONLY else ("back",) if r in _BACK_ONLY else SIDES
        for r in REGIONS
    }
)

#: Every half as ``(region, side)``, in the order used on the last axis of half arrays:
#: regions in :data:`REGIONS` order, front before back.
PARTS: tuple[tuple[str, str], ...] = tuple(
    (r, s) for r in REGIONS for s in REGION_SIDES[r]
)

#: The halves' names, ``"region:side"``, in :data:`PARTS` order.
PART_NAMES: tuple[str, ...] = tuple(f"{r}:{s}" for r, s in PARTS)

REGION_INDEX = MappingProxyType({r: i for i, r in enumerate(REGIONS)})
PART_INDEX = MappingProxyType({p: i for i, p in enumerate(PART_NAMES)})
#: For each half (in :data:`PARTS` order), the index of its region in :data:`REGIONS`.
PART_REGION: tuple[int, ...] = tuple(REGION_INDEX[r] for r, _side in PARTS)


def part_name(region: str, side: str) -> str:
    """Return the name ``"region:side"`` of one half, checking that it exists."""
    name = f"{region}:{side}"
    if name not in PART_INDEX:
        parse_part(name)  # raises with the precise reason
    return name


def parse_part(name: str) -> tuple[str, str | None]:
    """Split a selection key into ``(region, side)``; ``side`` is None for a whole region.

    Parameters
    ----------
    name : str
        ``"REGION"`` or ``"REGION:front"`` / ``"REGION:back"``.

    Raises
    ------
    BSAInputError
        If the region is unknown (the message lists the valid names), the side is not
        ``front`` or ``back``, or the region has no half on that side.
    """
    if not isinstance(name, str):
        raise BSAInputError(_("a region name must be a string, got {value}").format(
            value=shown(name)))
    region, sep, side = name.strip().partition(":")
    region = region.strip()
    if region not in REGION_INDEX:
        raise BSAInputError(
            _("unknown region {region}; valid regions are: {valid} (a half is written "
              "REGION:front or REGION:back)").format(region=shown(region),
                                                     valid=", ".join(REGIONS)))
    if not sep:
        return region, None
    side = side.strip()
    if side not in SIDES:
        raise BSAInputError(
            _("unknown side {side} in {name}; valid sides are: front, back").format(
                side=shown(side), name=shown(name)))
    if side not in REGION_SIDES[region]:
        only = REGION_SIDES[region][0]
        raise BSAInputError(
            _("{region} has no {side} half: it is drawn on the {only} only; use {whole} or "
              "{half}").format(region=region, side=side, only=only, whole=repr(region),
                               half=repr(f"{region}:{only}")))
    return region, side


def halves_of(name: str) -> tuple[str, ...]:
    """The halves a selection key covers: both halves of a region, or the one half named.

    The one place a typed share of a whole region is spread over its halves.

    Examples
    --------
    >>> halves_of("head"), halves_of("right_thigh:back"), halves_of("genitalia")
    (('head:front', 'head:back'), ('right_thigh:back',), ('genitalia:front',))
    """
    region, side = parse_part(name)
    return tuple(f"{region}:{s}" for s in ((side,) if side else REGION_SIDES[region]))


def mirror(name: str) -> str:
    """Return the name of the same region or half on the patient's other side.

    ``mirror("right_thigh:front") == "left_thigh:front"``; midline regions map to
    themselves.
    """
    if name.startswith("right_"):
        return "left_" + name[len("right_"):]
    if name.startswith("left_"):
        return "right_" + name[len("left_"):]
    return name


#: Each region in words (English; :func:`region_label` gives them in the current language).
REGION_WORDS = MappingProxyType({
    "head": N_("Head"),
    "neck": N_("Neck"),
    "anterior_trunk": N_("Anterior trunk"),
    "posterior_trunk": N_("Posterior trunk"),
    "right_buttock": N_("Right buttock"),
    "left_buttock": N_("Left buttock"),
    "genitalia": N_("Genitalia"),
    "right_upper_arm": N_("Right upper arm"),
    "left_upper_arm": N_("Left upper arm"),
    "right_lower_arm": N_("Right lower arm"),
    "left_lower_arm": N_("Left lower arm"),
    "right_hand": N_("Right hand"),
    "left_hand": N_("Left hand"),
    "right_thigh": N_("Right thigh"),
    "left_thigh": N_("Left thigh"),
    "right_lower_leg": N_("Right lower leg"),
    "left_lower_leg": N_("Left lower leg"),
    "right_foot": N_("Right foot"),
    "left_foot": N_("Left foot"),
})
_SIDE_WORDS = MappingProxyType({"front": N_("front"), "back": N_("back")})


def region_label(name: str) -> str:
    """Return a region or half name in words, in the current language:
    ``"right_thigh:front"`` -> ``"Right thigh (front)"``."""
    region, _sep, side = name.partition(":")
    words = (_(REGION_WORDS[region]) if region in REGION_WORDS
             else region.replace("_", " ").capitalize())
    if not side:
        return words
    side_words = _(_SIDE_WORDS[side]) if side in _SIDE_WORDS else side
    return _("{region} ({side})").format(region=words, side=side_words)
