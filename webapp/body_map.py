"""The body map on the page: a Streamlit Components V2 component, and its image plumbing.

The browser paints; the server counts. The component shows the front and back figures
side by side (one at a time on a phone; the body diagram's SVG under a canvas per view)
with a brush, an eraser, undo, clear and click-a-region-to-fill; on a touch screen a finger
scrolls the page unless "Mark" is chosen. With the keyboard each view is a list of its
regions (:data:`KEY_ORDER`): the arrow keys move between them, Space fills or empties one,
plus and minus set its typed share in steps.

Layers: the affected skin, the treatment area ("apply this cream"), do-not-apply areas (one
per reason) and zones each have a canvas of their own; the "Marking" switch in the toolbar
says which one the tools act on (``layer``, :func:`webapp.state.choose_layer`). Each is drawn
in its own colour and pattern (:data:`LAYER_LOOKS`, the printed map's), all together. After
every change the browser sends each layer's views as PNG data URLs (``marks``: the affected
skin at the top level, the others under ``layers``, an empty view as null);
:func:`decode_marks` and :func:`decode_view` turn them into boolean masks (alpha > 127 is
painted) that :mod:`bsa.diagram.masks` reads with the figure's label image. A share set with
the keys arrives as ``share`` with its layer (:func:`webapp.state.set_typed_half`).

The label image goes to the browser once per figure as a grey PNG (0 outside the body,
1 + half index inside) so that filling a whole region happens in the browser at once.

The HTML, CSS and JavaScript are plain files in ``webapp/static`` (no build step), read
once at import. They hold no words: every text the map shows or reads out (buttons, titles,
status lines, screen-reader texts) comes from :func:`map_words` in the page's language, with
``{placeholders}`` the browser fills. The region names (:func:`half_names` by default) and
the layers' names come from the caller, made in the page's language.
"""

from __future__ import annotations

import base64
import functools
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from bsa.errors import BSAInputError

from .words import _, pgettext, speaking

__all__ = [
    "AVOID_HATCHES",
    "KEY_ORDER",
    "LAYER_LOOKS",
    "MAP_HEIGHT",
    "MAP_WIDTH",
    "PAINT_RGB",
    "ZONE_COLOURS",
    "ZONE_TEXTURES",
    "decode_marks",
    "decode_view",
    "half_names",
    "layer_look",
    "label_png",
    "map_words",
    "mask_png",
    "render_body_map",
    "view_title",
]

#: Size of each view's label image and canvas. [pixels]
MAP_WIDTH = 400
MAP_HEIGHT = 900
#: The colour the browser paints with (alpha carries the mark; colour is only for show).
PAINT_RGB = (213, 94, 0)
#: The largest PNG data URL accepted for one view (a 400 x 900 mask is 5-60 kB). [chars]
MAX_MARK_CHARS = 2_000_000

#: How each kind of layer is drawn on the figure: (style, colour, hatch). The printed map's
#: looks (bsa/report/layout.py; a test keeps them the same): the area to treat solid, each
#: zone solid in its own colour (Okabe and Ito's palette), the affected skin not treated with
#: this cream outlined and lightly hatched, each do-not-apply area densely hatched with a
#: pattern of its own, so no layer is told by colour alone. While the treatment area is the
#: affected skin, the affected skin is the area to treat: solid, as before layers. On the
#: page each zone also carries a white texture of its own (:data:`ZONE_TEXTURES`), so two
#: zones are told apart without their colours too.
LAYER_LOOKS = {
    "affected_alone": ("solid", "#d55e00", ""),
    "affected": ("outlined", "#8a7566", "///"),
    "apply": ("solid", "#c2410c", ""),
    "avoid": ("hatched", "#2b211d", ""),
}
ZONE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D31")
AVOID_HATCHES = ("xxxx", "++++", "oo", "\\\\\\\\", "....")
ZONE_TEXTURES = ("|", "-", ".", "/", "\\", "+", "o")

#: The regions in the order the arrow keys visit them on a view: head to feet, the trunk
#: before the limbs, the patient's right before the left.
KEY_ORDER = (
    "head", "neck", "anterior_trunk", "posterior_trunk", "right_buttock", "left_buttock",
    "genitalia", "right_upper_arm", "right_lower_arm", "right_hand", "left_upper_arm",
    "left_lower_arm", "left_hand", "right_thigh", "right_lower_leg", "right_foot",
    "left_thigh", "left_lower_leg", "left_foot",
)

_STATIC = Path(__file__).with_name("static")
_HTML = (_STATIC / "body_map.html").read_text(encoding="utf-8")
_CSS = (_STATIC / "body_map.css").read_text(encoding="utf-8")
_JS = (_STATIC / "body_map.js").read_text(encoding="utf-8")

_component = st.components.v2.component("bsa_body_map", html=_HTML, css=_CSS, js=_JS)

_PNG_PREFIX = "data:image/png;base64,"


def _png_data_url(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return _PNG_PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii")


@st.cache_resource(show_spinner=False)
def _label_image(figure_id: str, view: str, width: int, height: int) -> np.ndarray:
    from bsa.diagram import masks

    labels = np.asarray(masks.label_image(figure_id, view, width, height), dtype=np.uint8)
    labels.setflags(write=False)
    return labels


def label_image(figure_id: str, view: str, width: int = MAP_WIDTH,
                height: int = MAP_HEIGHT) -> np.ndarray:
    """Return the figure's label image for one view (cached for the server's lifetime).

    Returns
    -------
    ndarray of uint8, shape (height, width)
        0 outside the body, 1 + the half's index in :data:`bsa.core.regions.PART_NAMES` inside.
    """
    return _label_image(figure_id, view, width, height)


@st.cache_resource(show_spinner=False)
def label_png(figure_id: str, view: str, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> str:
    """Return the label image as a grey PNG data URL (grey level = label value)."""
    return _png_data_url(Image.fromarray(label_image(figure_id, view, width, height), mode="L"))


@st.cache_resource(show_spinner=False)
def _diagram_svg(figure_id: str, view: str, width: int, height: int, lang: str) -> str:
    from bsa.diagram import svg

    return svg.diagram_svg(figure_id, view, width, height, show_labels=False)


def diagram_svg(figure_id: str, view: str, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> str:
    """Return the body diagram's SVG for one view, aligned with :func:`label_image`, in the
    page's language (its title, the regions' names and the side marks; cached per language)."""
    with speaking() as lang:
        return _diagram_svg(figure_id, view, width, height, lang)


def mask_png(mask: np.ndarray) -> str:
    """Encode a boolean mask as the PNG data URL the component draws (paint colour, alpha)."""
    mask = np.asarray(mask, dtype=bool)
    rgba = np.zeros(mask.shape + (4,), dtype=np.uint8)
    rgba[..., :3] = PAINT_RGB
    rgba[..., 3] = mask * np.uint8(255)
    return _png_data_url(Image.fromarray(rgba, mode="RGBA"))


@functools.lru_cache(maxsize=32)
def _decode_one(url: str, width: int, height: int) -> np.ndarray:
    if not isinstance(url, str) or not url.startswith(_PNG_PREFIX):
        raise BSAInputError("a painted view must arrive as a PNG data URL")
    if len(url) > MAX_MARK_CHARS:
        raise BSAInputError(f"a painted view is larger than {MAX_MARK_CHARS} characters")
    try:
        raw = base64.b64decode(url[len(_PNG_PREFIX):], validate=True)
        with Image.open(io.BytesIO(raw)) as image:
            if image.size != (width, height):
                raise BSAInputError(
                    f"a painted view is {image.size[0]} x {image.size[1]} pixels; "
                    f"expected {width} x {height}"
                )
            alpha = np.asarray(image.convert("RGBA").getchannel("A"))
    except BSAInputError:
        raise
    except Exception as exc:  # PIL raises several types for a bad image
        raise BSAInputError(f"a painted view could not be read as a PNG image: {exc}") from None
    # An eraser leaves faint anti-aliased alpha: only a clear mark counts.
    mask = alpha > 127
    mask.setflags(write=False)
    return mask


def layer_look(kind: str, index: int = 0) -> dict[str, str]:
    """The look of one layer: ``{"style", "colour", "hatch"}``.

    Parameters
    ----------
    kind : {"affected_alone", "affected", "apply", "zone", "avoid"}
    index : int
        The zone's or the do-not-apply area's place in its list (0 first): its colour or
        its hatch.
    """
    if kind == "zone":
        return {"style": "solid", "colour": ZONE_COLOURS[index % len(ZONE_COLOURS)],
                "hatch": ZONE_TEXTURES[index % len(ZONE_TEXTURES)]}
    style, colour, hatch = LAYER_LOOKS[kind]
    if kind == "avoid":
        hatch = AVOID_HATCHES[index % len(AVOID_HATCHES)]
    return {"style": style, "colour": colour, "hatch": hatch}


def decode_view(url: str | None) -> np.ndarray:
    """One painted view (a PNG data URL of the page's size) as a read-only boolean mask.

    Raises
    ------
    BSAInputError
        If it is not a PNG data URL of :data:`MAP_WIDTH` x :data:`MAP_HEIGHT` pixels.
    """
    return _decode_one(url, MAP_WIDTH, MAP_HEIGHT)


def decode_marks(marks: Mapping[str, Any], views: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Turn the component's ``marks`` payload into boolean masks, one per view.

    Parameters
    ----------
    marks : mapping
        ``{"width", "height", <view>: PNG data URL, ...}`` as the browser sent it.
    views : tuple of str
        The views to read.

    Returns
    -------
    dict of str to ndarray of bool, shape (height, width)
        Read-only; decoding is cached, so a rerun that did not change a view costs nothing.

    Raises
    ------
    BSAInputError
        If a view is missing, is not a PNG data URL, or has the wrong size.
    """
    width, height = int(marks.get("width", 0)), int(marks.get("height", 0))
    if (width, height) != (MAP_WIDTH, MAP_HEIGHT):
        raise BSAInputError(
            f"the painted views are {width} x {height} pixels; expected {MAP_WIDTH} x {MAP_HEIGHT}"
        )
    out = {}
    for view in views:
        url = marks.get(view)
        if url is None:
            raise BSAInputError(f"the painted {view} view is missing")
        out[view] = _decode_one(url, width, height)
    return out


def key_order(view: str) -> list[int]:
    """The halves drawn on ``view`` in :data:`KEY_ORDER`, as indices into PART_NAMES."""
    from bsa.core.regions import PART_INDEX

    return [PART_INDEX[f"{region}:{view}"] for region in KEY_ORDER
            if f"{region}:{view}" in PART_INDEX]


def view_title(view: str) -> str:
    """A view's name in the page's language, as its caption and the Front / Back switch say
    it (the printed map's words)."""
    if view == "front":
        return pgettext("view", "Front")
    if view == "back":
        return pgettext("view", "Back")
    return view.title()


def map_words() -> dict[str, str]:
    """Every text of the body map's toolbar, status line and screen-reader lines, in the
    page's language (``data.words`` in ``webapp/static/body_map.js``).

    A ``{name}`` is filled by the browser (a region, a layer, a percentage); the HTML's
    elements name their text with ``data-w`` attributes. Icons stay outside the words.
    """
    with speaking() as lang:
        return dict(_map_words(lang))


@functools.lru_cache(maxsize=8)
def _map_words(lang: str) -> dict[str, str]:
    # Made once per language (the map is drawn again on every stroke); ``lang`` is the
    # page's language, which ``_`` reads itself.
    return {
        # The map's frame and toolbar (body_map.html).
        "map_label": _("Body map: mark the affected skin"),
        "tools_label": _("Marking tools"),
        "figure_shown": _("Figure shown"),
        "front": view_title("front"),
        "back": view_title("back"),
        # TRANSLATORS: the name of two buttons that say what a finger on a touch screen does
        # on the body map: scroll the page, or mark the figure.
        "finger_label": _("A finger on the figure"),
        # TRANSLATORS: a button (touch screens): a finger on the figure scrolls the page.
        "scroll": _("Scroll"),
        "scroll_title": _("A finger on the figure scrolls the page (it never marks)"),
        # TRANSLATORS: a button (touch screens): a finger on the figure marks it.
        "mark": _("Mark"),
        "mark_title": _("A finger on the figure marks it with the tool chosen"),
        "layer_label": _("Layer being marked"),
        # TRANSLATORS: the label of the switch that says which layer the tools act on
        # (the affected skin, the area to treat, a do-not-apply area, a zone).
        "marking": _("Marking"),
        "layer_title": _("The layer the tools paint, erase, fill and clear"),
        # TRANSLATORS: the label of the list of reasons not to apply the cream somewhere.
        "reason": _("Reason"),
        "own_words": _("In your words"),
        # TRANSLATORS: the placeholder of the field for a reason in one's own words.
        "own_placeholder": _("then press Enter"),
        # TRANSLATORS: a tool button of the body map (a brush).
        "paint": _("Paint"),
        "paint_title": _("Paint affected skin (P)"),
        # TRANSLATORS: a tool button of the body map (an eraser).
        "erase": _("Erase"),
        "erase_title": _("Erase marks (E)"),
        # TRANSLATORS: a tool button of the body map: a click fills a whole region.
        "fill": _("Fill region"),
        "fill_title": _("Click a region to fill it, click again to empty it (F)"),
        # TRANSLATORS: the label of the brush size slider.
        "brush": _("Brush"),
        "brush_label": _("Brush size in pixels"),
        # TRANSLATORS: a button of the body map: undo the last change.
        "undo": _("Undo"),
        "undo_title": _("Undo the last change (Ctrl+Z)"),
        # TRANSLATORS: a button of the body map: clear the marks of the layer being marked.
        "clear": _("Clear"),
        "clear_title": _("Clear the marks of the layer being marked on both figures"),
        # TRANSLATORS: {touch} is the text "(choose ☝ Mark to use a finger)", shown on touch
        # screens only; "Fill region" is the name of a tool button.
        "hint": _("Paint the affected skin on the figure, or use Fill region{touch}."),
        # TRANSLATORS: "Mark" is the name of a button.
        "hint_touch": _("(choose ☝ Mark to use a finger)"),
        # TRANSLATORS: before the total, e.g. "Total 5.8%".
        "total": _("Total"),
        # TRANSLATORS: read out after the total by screen readers: "Total 5.8% of the body
        # surface".
        "total_sr": _("of the body surface"),
        "keys_help": _("Arrow keys move between regions, from the head down. Space or Enter "
                       "fills or empties the region. Plus and minus set its share in steps of "
                       "10 percent. Delete empties it."),
        # Status lines and notices (body_map.js).
        "download_wait": _("What you typed is being applied first. If the page then asks you "
                           "to, prepare the file again; otherwise click the download once more."),
        "finger_marks": _("A finger now marks the figure; choose Scroll to move the page."),
        "finger_scrolls": _("A finger now scrolls the page; it does not mark the figure."),
        # TRANSLATORS: {where} is a region's name (and its painted share), or "Outside the
        # body"; "Mark" is the name of a button.
        "touch_scrolls": _("{where}. A finger scrolls: choose ☝ Mark to mark with it."),
        # The Marking switch: its choices, and what choosing one says.
        "affected": _("Affected skin"),
        "apply": _("Apply this cream"),
        "avoid": _("Do not apply"),
        "avoid_title": _("Do not apply: {reason}"),
        # TRANSLATORS: the last choice of the list of reasons not to apply the cream.
        "other_reason": _("other (type it)"),
        "marking_layer": _("Marking: {layer}"),
        "marking_copied": _("Marking: Apply this cream. It starts as the affected skin: erase "
                            "what is not to be treated with this cream, or add to it."),
        # TRANSLATORS: in the body map's legend: a region's share typed in, not painted.
        "typed_legend": _("typed share"),
        # What the pointer is over, and what a tool or a key did.
        "outside": _("Outside the body"),
        # TRANSLATORS: stands in for a region whose name is unknown (should never be seen).
        "part": _("part {number}"),
        # TRANSLATORS: stands in for a region whose name is unknown (should never be seen).
        "region": _("Region"),
        # TRANSLATORS: the pointer is over a region: "Anterior trunk (front): {details}";
        # the details are joined with a comma.
        "describe": _("{region}: {details}"),
        # TRANSLATORS: {percent} is e.g. "40%".
        "painted_share": _("{percent} painted"),
        "typed_used": _("typed share {percent} is used"),
        "fill_outside": _("Outside the body: click inside a region to fill it."),
        # TRANSLATORS: {layer} is the layer being marked, e.g. "Affected skin".
        "filled": _("{region}: filled ({layer})"),
        # TRANSLATORS: {layer} is the layer being marked, e.g. "Affected skin".
        "emptied": _("{region}: emptied ({layer})"),
        "typed_status": _("{region}: typed share {percent} ({layer})"),
        "undone": _("Last change undone ({layer})"),
        "cleared": _("All marks of {layer} cleared on both figures (Undo brings them back)"),
        # The keyboard: each figure is a list of its regions, read out by screen readers.
        # TRANSLATORS: {view} is "Front" or "Back".
        "keys_label": _("{view} figure, regions"),
        "keys_told": _("Arrow keys: next region. Space: fill or empty. + and \u2212: share in "
                       "steps of 10%. Delete: empty."),
        # TRANSLATORS: a region as a screen reader reads it: "Head (front): 40% marked".
        "option": _("{region}: {percent} marked"),
        "option_typed": _("{region}: {percent} marked (typed share)"),
    }


@functools.lru_cache(maxsize=8)
def _half_names(lang: str) -> tuple[str, ...]:
    from bsa.core.regions import PART_NAMES, region_label

    return tuple(region_label(name) for name in PART_NAMES)


def half_names() -> list[str]:
    """Every half's name (:data:`bsa.core.regions.PART_NAMES` order) in the page's language."""
    with speaking() as lang:
        return list(_half_names(lang))


def _reason_names(reasons: list[str]) -> dict[str, str]:
    """The do-not-apply reasons in words: the usual ones in the page's language, the
    user's own as typed (the switch shows "other" as ``words["other_reason"]``)."""
    from bsa.records.layers import reason_words

    with speaking():
        return {reason: reason_words(reason) for reason in reasons}


def render_body_map(*, key: str, figure_id: str, views: tuple[str, ...], rev: int,
                    restore: Mapping[str, Mapping[str, str | None]],
                    names: list[str] | None = None,
                    painted: Mapping[int, float], typed: Mapping[int, float],
                    on_change, shares: list[float] | None = None, total_text: str = "",
                    notice: bool = False, unsaved: bool = False,
                    layers: list[Mapping[str, Any]] | None = None, layer: str = "affected",
                    layer_ack: Any = None, reasons: list[str] | None = None,
                    layer_typed: Mapping[str, Mapping[int, float]] | None = None,
                    empty: bool | None = None) -> Any:
    """Mount the body map and return its state (``.marks`` is the last payload or None).

    Parameters
    ----------
    key : str
        The component's key (its state lives in ``st.session_state[key]``).
    figure_id : str
        The figure to draw (:mod:`bsa.diagram.geometry`).
    views : tuple of str
        The views, left to right.
    rev : int
        The revision of the marks: when it changes, the browser redraws them from
        ``restore``; marks the browser sends carry the revision they were drawn on.
    restore : mapping of layer id to (mapping of view to PNG data URL or None)
        The marks of every layer to draw when the revision changes (or when the component
        is remounted).
    names : list of str, optional
        Display names of the halves, in :data:`bsa.core.regions.PART_NAMES` order; by
        default :func:`half_names` (the page's language).
    painted, typed : mapping of half index to fraction
        Of the layer being marked: the painted fraction of each half (for the hover text)
        and the typed shares that override the painting (drawn hatched with their
        percentage).
    on_change : callable
        Called when the browser sends new marks, a share or a choice of layer.
    shares : list of float, optional
        Each half's share of the layer being marked (painting with typed shares applied),
        PART_NAMES order: read out for the region that has the keyboard focus. [1]
    total_text : str
        The total as the page shows it (from the evaluation), for the toolbar on a narrow
        screen and for screen readers.
    notice : bool
        True while the age-change notice is shown above the figure (it takes some height).
    unsaved : bool
        True while marks or typed shares on screen were neither saved as a visit nor
        downloaded as a session file: the browser then asks before the page is left or
        reloaded (its own leave-page prompt; nothing is stored in the browser).
    layers : list of mapping, optional
        Every layer in drawing order: ``{"id", "kind", "title", "short", "style", "colour",
        "hatch"}`` (:func:`layer_look`); the affected skin alone by default.
    layer : str
        The layer being marked (its id).
    layer_ack : object
        The ``seq`` of the last choice of layer the server read: the browser takes ``layer``
        as the server's word once it has seen its own last choice.
    reasons : list of str, optional
        The do-not-apply reasons the switch offers (the usual ones, then those typed).
    layer_typed : mapping of layer id to (mapping of half index to fraction), optional
        Every layer's typed shares (drawn as a tint of the half in the layer's look).
    empty : bool, optional
        True while nothing is painted or typed on any layer (the hint shows); by default
        from ``painted`` and ``typed``.
    """
    from bsa.core.regions import PART_NAMES

    shares = list(shares) if shares is not None else [0.0] * len(PART_NAMES)
    data = {
        "figure": figure_id,
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "rev": rev,
        "views": [
            {
                "id": view,
                "title": view_title(view),
                "svg": diagram_svg(figure_id, view),
                "labels": label_png(figure_id, view),
                "order": key_order(view),
            }
            for view in views
        ],
        "restore": {layer_id: dict(urls) for layer_id, urls in restore.items()},
        "names": list(names) if names is not None else half_names(),
        "parts": list(PART_NAMES),
        "painted": {str(k): round(float(v), 4) for k, v in painted.items()},
        "typed": {str(k): float(v) for k, v in typed.items()},
        "shares": [round(float(f), 4) for f in shares],
        "total": total_text,
        "empty": (not any(painted.values()) and not typed) if empty is None else bool(empty),
        "notice": bool(notice),
        "unsaved": bool(unsaved),
        "layers": [dict(spec) for spec in layers] if layers else [
            {"id": "affected", "kind": "affected", "title": _("Affected skin"),
             # TRANSLATORS: the legend's name for the skin painted on the figure (no other
             # layers).
             "short": _("painted"), **layer_look("affected_alone")}],
        "layer": layer,
        "layer_ack": layer_ack,
        "reasons": list(reasons or ()),
        "reason_names": _reason_names(list(reasons or ())),
        "layer_typed": {layer_id: {str(k): float(v) for k, v in halves.items()}
                        for layer_id, halves in (layer_typed or {}).items()},
        "words": map_words(),
    }
    # One JSON string, not a dict of lists: Streamlit checks each top-level value of a dict
    # for a dataframe, which imports pandas (about a second on the first run) for nothing.
    return _component(key=key, data={"json": json.dumps(data, separators=(",", ":"))},
                      default={"marks": None, "share": None, "layer": None}, height="content",
                      on_marks_change=on_change, on_share_change=on_change,
                      on_layer_change=on_change)
