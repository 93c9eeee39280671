"""Draw the body-diagram figures and write them to ``charts/body_diagram_<figure>.json``.

Run once after changing a proportion, then review the pictures::

    .venv/bin/python tools/make_body_diagram.py

How a figure is drawn
---------------------
One side of the body (the patient's right; the figure is symmetric) is described by
landmarks at fractions of the stature: head, neck, shoulder, an arm hanging slightly away
from the body (upper arm, forearm, hand with the thumb out, palm forward), the side of the
chest and waist, and a leg (thigh, lower leg, foot). Smooth curves (centripetal
Catmull-Rom splines) through the landmarks are sampled into the silhouette. Cutting lines
(jaw, neck base, shoulder, elbow, wrist, groin, knee, ankle; on the back the iliac crest,
the gluteal cleft and folds) divide it into the Lund-Browder regions. Every region is
assembled from the same sampled outline and cutting lines, so neighbouring regions share
their border vertices exactly and together tile the silhouette; :mod:`bsa.diagram.geometry`
checks this when it loads a file.

The figures' proportions (head height and leg length as a share of stature) follow the
growth of the body from infancy to adulthood, so that a 2-year-old is drawn as a small
child, not as a small adult. They are drawing proportions, not clinical numbers: the
percentages always come from the chart (``charts/lund_browder_1944.json``), never from
the area drawn.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
STATURE = 1000.0  # figure units from the top of the head to the soles
DECIMALS = 1

# Proportions as fractions of stature (y measured down from the top of the head; u is the
# distance from the midline). Each figure is a blend t between the infant (t = 0) and the
# adult (t = 1) drawing: head height 1/4 of stature at about 1 year, 1/5.3 at 5 years,
# 1/6.5 at about 11 years, 1/7.7 in the adult; legs (crotch to sole) 0.37 of stature in
# the infant and 0.49 in the adult.
INFANT = dict(
    head_h=0.245, head_hw=0.094, neck_hw=0.050, neck_len=0.018,
    shoulder_drop=0.016, shoulder_hw=0.150, chest_hw=0.124, waist_hw=0.128,
    iliac_hw=0.126, troch_hw=0.128, y_waist=0.465, y_iliac=0.525, y_troch=0.575,
    y_crotch=0.630, y_knee=0.812, y_ankle=0.952,
    upper_arm=0.150, forearm=0.118, hand=0.088, arm_angle=22.0, carry=6.0,
    ua_w=0.044, elbow_w=0.036, fa_w=0.040, wrist_w=0.029,
    hip_u=0.064, leg_angle=2.0, thigh_w=0.068, knee_w=0.047, calf_w=0.050,
    ankle_w=0.031, foot_len=0.078, foot_h=0.048, ear=0.010,
)
ADULT = dict(
    head_h=0.130, head_hw=0.051, neck_hw=0.030, neck_len=0.036,
    shoulder_drop=0.024, shoulder_hw=0.128, chest_hw=0.092, waist_hw=0.079,
    iliac_hw=0.093, troch_hw=0.100, y_waist=0.385, y_iliac=0.440, y_troch=0.492,
    y_crotch=0.512, y_knee=0.728, y_ankle=0.958,
    upper_arm=0.188, forearm=0.148, hand=0.106, arm_angle=17.0, carry=4.0,
    ua_w=0.031, elbow_w=0.025, fa_w=0.030, wrist_w=0.020,
    hip_u=0.052, leg_angle=2.0, thigh_w=0.060, knee_w=0.036, calf_w=0.039,
    ankle_w=0.021, foot_len=0.062, foot_h=0.040, ear=0.008,
)

FIGURES = {
    "infant": dict(t=0.0, title="Infant", ages="under 2 years",
                   drawn_as="about 1 year old"),
    "child": dict(t=0.5, title="Child", ages="2 to under 8 years",
                  drawn_as="about 5 years old"),
    "older_child": dict(t=0.82, title="Older child", ages="8 to under 15 years",
                        drawn_as="about 11 years old"),
    "adult": dict(t=1.0, title="Adult", ages="15 years and over",
                  drawn_as="adult"),
}


def proportions(t: float) -> dict[str, float]:
    return {k: (1 - t) * INFANT[k] + t * ADULT[k] for k in INFANT}


# --------------------------------------------------------------------------- curves
def catmull_rom(points, start_tangent_from=None, end_tangent_from=None, spacing=4.0):
    """Sample a centripetal Catmull-Rom spline through ``points`` (all kept exactly)."""
    pts = [np.asarray(p, float) for p in points]
    if len(pts) == 2 and start_tangent_from is None and end_tangent_from is None:
        return [tuple(pts[0]), tuple(pts[1])]
    first = (np.asarray(start_tangent_from, float) if start_tangent_from is not None
             else 2 * pts[0] - pts[1])
    last = (np.asarray(end_tangent_from, float) if end_tangent_from is not None
            else 2 * pts[-1] - pts[-2])
    ext = [first, *pts, last]
    out = [tuple(pts[0])]
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]

        def tj(ti, a, b):
            return ti + max(np.hypot(*(b - a)), 1e-9) ** 0.5

        t0 = 0.0
        t1 = tj(t0, p0, p1)
        t2 = tj(t1, p1, p2)
        t3 = tj(t2, p2, p3)
        n = max(1, int(math.ceil(np.hypot(*(p2 - p1)) / spacing)))
        for k in range(1, n + 1):
            if k == n:
                out.append(tuple(p2))
                continue
            t = t1 + (t2 - t1) * k / n
            a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
            a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
            a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
            b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
            b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
            c = (t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2
            out.append(tuple(c))
    return out


def rounded(points):
    """Round to the file's precision and drop repeated points."""
    out = []
    for x, y in points:
        p = (round(float(x), DECIMALS) + 0.0, round(float(y), DECIMALS) + 0.0)
        if not out or p != out[-1]:
            out.append(p)
    return out


def seg_intersection(p, q, a, b):
    """Intersection parameter s along p->q with segment a->b, or None."""
    r = (q[0] - p[0], q[1] - p[1])
    s_ = (b[0] - a[0], b[1] - a[1])
    den = r[0] * s_[1] - r[1] * s_[0]
    if abs(den) < 1e-12:
        return None
    t = ((a[0] - p[0]) * s_[1] - (a[1] - p[1]) * s_[0]) / den
    u = ((a[0] - p[0]) * r[1] - (a[1] - p[1]) * r[0]) / den
    if 0 <= t <= 1 and 0 <= u <= 1:
        return t
    return None


def first_crossing(path_a, path_b):
    """First point where polyline ``path_a`` meets ``path_b``: (index in a, index in b, point)."""
    for i in range(len(path_a) - 1):
        for j in range(len(path_b) - 1):
            t = seg_intersection(path_a[i], path_a[i + 1], path_b[j], path_b[j + 1])
            if t is not None:
                p = (path_a[i][0] + t * (path_a[i + 1][0] - path_a[i][0]),
                     path_a[i][1] + t * (path_a[i + 1][1] - path_a[i][1]))
                return i, j, p
    raise RuntimeError("the arm does not meet the side of the chest; adjust proportions")


# --------------------------------------------------------------------------- limbs
def limb_sides(axis, outer_w, inner_w):
    """Points beside a limb axis: ``axis`` [(u, y)], half-widths towards and away from the
    midline at each axis point. Returns (outer points, inner points) from top to bottom."""
    axis = np.asarray(axis, float)
    outer, inner = [], []
    for i, p in enumerate(axis):
        d = axis[min(i + 1, len(axis) - 1)] - axis[max(i - 1, 0)]
        d = d / np.hypot(*d)
        n = np.array([d[1], -d[0]])  # lateral normal (points away from the midline)
        outer.append(tuple(p + n * outer_w[i]))
        inner.append(tuple(p - n * inner_w[i]))
    return outer, inner


def along(a, b, f):
    return (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))


def local(origin, direction, a, b):
    """Point at ``a`` along ``direction`` and ``b`` laterally from ``origin``."""
    d = np.asarray(direction, float)
    d = d / np.hypot(*d)
    n = np.array([d[1], -d[0]])
    return tuple(np.asarray(origin, float) + d * a + n * b)


# --------------------------------------------------------------------------- one figure
def build(t: float):
    P = {k: v * STATURE for k, v in proportions(t).items()}
    P["arm_angle"] /= STATURE
    P["carry"] /= STATURE
    P["leg_angle"] /= STATURE
    hh, hw = P["head_h"], P["head_hw"]
    ear = P["ear"]

    # ---- head and neck (patient's right side, u >= 0) ----
    y_n1 = 0.90 * hh                     # neck meets the jaw
    y_n2 = hh + P["neck_len"]            # neck base (side)
    nw = P["neck_hw"]
    head = [
        (0.0, 0.0), (0.52 * hw, 0.045 * hh), (0.86 * hw, 0.19 * hh), (1.0 * hw, 0.38 * hh),
        (hw + ear, 0.44 * hh), (hw + 1.2 * ear, 0.55 * hh), (hw + 0.4 * ear, 0.65 * hh),
        (0.93 * hw, 0.70 * hh), (0.80 * hw, 0.82 * hh), (max(nw * 1.12, 0.62 * hw), 0.88 * hh),
    ]
    head_curve = catmull_rom(head, start_tangent_from=(-head[1][0], head[1][1]))
    neck = [(nw, y_n1), (nw * 0.98, 0.5 * (y_n1 + y_n2)), (nw * 1.04, y_n2)]
    # ---- shoulder and arm ----
    sd = P["shoulder_drop"]
    s_top = (0.55 * nw + 0.45 * P["shoulder_hw"], y_n2 + 0.55 * sd)
    joint = (P["shoulder_hw"] - P["ua_w"] * 1.05, y_n2 + sd + 0.7 * P["ua_w"])
    a1 = math.radians(P["arm_angle"])
    a2 = math.radians(P["arm_angle"] + P["carry"])
    elbow = (joint[0] + P["upper_arm"] * math.sin(a1), joint[1] + P["upper_arm"] * math.cos(a1))
    wrist = (elbow[0] + P["forearm"] * math.sin(a2), elbow[1] + P["forearm"] * math.cos(a2))
    ua_w, el_w, fa_w, wr_w = P["ua_w"], P["elbow_w"], P["fa_w"], P["wrist_w"]
    upper_axis = [along(joint, elbow, f) for f in (0.0, 0.18, 0.45, 0.75, 1.0)]
    up_out, up_in = limb_sides(upper_axis, [ua_w * 1.12, ua_w * 1.12, ua_w * 0.98,
                                            ua_w * 0.88, el_w],
                               [ua_w, ua_w, ua_w * 0.95, ua_w * 0.85, el_w * 0.95])
    fore_axis = [along(elbow, wrist, f) for f in (0.0, 0.22, 0.55, 1.0)]
    fa_out, fa_in = limb_sides(fore_axis, [el_w, fa_w * 1.05, fa_w * 0.85, wr_w],
                               [el_w * 0.95, fa_w, fa_w * 0.8, wr_w * 0.95])
    e_out, e_in = rounded([fa_out[0]])[0], rounded([fa_in[0]])[0]
    w_out, w_in = rounded([fa_out[-1]])[0], rounded([fa_in[-1]])[0]
    deltoid = (P["shoulder_hw"] * 0.93, y_n2 + sd * 1.25)
    arm_outer = catmull_rom([s_top, deltoid, *up_out[1:-1], e_out, *fa_out[1:-1], w_out])
    # hand: palm forward, fingers together, thumb out (local coordinates in hand lengths)
    hl = P["hand"]
    hd = (math.sin(a2 * 0.8), math.cos(a2 * 0.8))
    wc = along(w_out, w_in, 0.5)

    def H(a, b):
        return local(wc, hd, a * hl, b * hl)

    wb = np.hypot(w_out[0] - w_in[0], w_out[1] - w_in[1]) / hl / 2
    pw = wb + 0.035  # half-width of the palm at the knuckles [hand lengths]
    thumb = [  # thenar eminence, thumb hanging beside the index finger, its web
        w_out, H(0.10, wb + 0.04), H(0.22, wb + 0.095), H(0.36, wb + 0.14),
        H(0.50, wb + 0.16), H(0.61, wb + 0.145), H(0.655, wb + 0.10), H(0.60, wb + 0.055),
        H(0.49, pw + 0.005), H(0.39, pw - 0.02),
    ]
    fingers = [  # fingers together, a shallow notch between fingertips
        H(0.39, pw - 0.02), H(0.55, pw - 0.005), H(0.72, pw - 0.01), H(0.86, 0.8 * pw),
        H(0.915, 0.55 * pw), H(0.90, 0.33 * pw), H(0.99, 0.06 * pw), H(0.945, -0.2 * pw),
        H(0.955, -0.45 * pw), H(0.90, -0.68 * pw), H(0.86, -0.88 * pw), H(0.72, -1.0 * pw),
        H(0.5, -1.03 * pw), H(0.28, -1.0 * pw), H(0.12, -wb - 0.01), w_in,
    ]
    hand_curve = catmull_rom(thumb, spacing=2.5)
    finger_curve = catmull_rom(fingers, spacing=2.5)
    arm_inner_up = catmull_rom([w_in, *fa_in[-2:0:-1], e_in, *up_in[-2::-1]])
    # ---- side of the trunk ----
    side = [
        (P["chest_hw"] * 0.98, joint[1] - 0.2 * ua_w), (P["chest_hw"], joint[1] + 2.2 * ua_w),
        (0.5 * (P["chest_hw"] + P["waist_hw"]), 0.5 * (joint[1] + 2.2 * ua_w + P["y_waist"])),
        (P["waist_hw"], P["y_waist"]), (P["iliac_hw"], P["y_iliac"]),
    ]
    side_curve = catmull_rom(side)
    i_arm, i_side, pit = first_crossing(arm_inner_up, side_curve)
    armpit = pit
    arm_inner = arm_inner_up[: i_arm + 1] + [armpit]
    # ---- leg ----
    hip_joint = (P["hip_u"], P["y_troch"] - 0.01 * STATURE)
    la = math.radians(P["leg_angle"])
    knee = (hip_joint[0] + (P["y_knee"] - hip_joint[1]) * math.tan(la), P["y_knee"])
    ankle = (knee[0] + (P["y_ankle"] - knee[1]) * math.tan(la) * 0.6, P["y_ankle"])
    th_w, kn_w, ca_w, an_w = P["thigh_w"], P["knee_w"], P["calf_w"], P["ankle_w"]
    y_fold = P["y_crotch"] + 0.035 * (P["y_knee"] - P["y_crotch"])
    fold_out = (P["troch_hw"] - 0.02 * th_w, y_fold + 0.1 * th_w)
    h_front = (0.5 * (P["iliac_hw"] + P["troch_hw"]) - 0.01 * th_w,
               0.5 * (P["y_iliac"] + P["y_troch"]) - 0.004 * STATURE)
    k_out = (knee[0] + kn_w, knee[1])
    k_in = (knee[0] - kn_w * 0.95, knee[1])
    a_out = (ankle[0] + an_w, ankle[1])
    a_in = (ankle[0] - an_w * 0.95, ankle[1])
    leg_outer = catmull_rom([
        (P["iliac_hw"], P["y_iliac"]), h_front, (P["troch_hw"], P["y_troch"]), fold_out,
        (k_out[0] + 0.55 * (fold_out[0] - k_out[0]) + 0.18 * th_w,
         k_out[1] + 0.55 * (fold_out[1] - k_out[1])),
        k_out,
        (knee[0] + ca_w * 1.02, knee[1] + 0.26 * (ankle[1] - knee[1])),
        (knee[0] + ca_w * 0.72, knee[1] + 0.62 * (ankle[1] - knee[1])), a_out,
    ], start_tangent_from=side[-2])
    fl, fh = P["foot_len"], P["foot_h"]
    foot = catmull_rom([
        a_out, (a_out[0] + 0.22 * fl, a_out[1] + 0.45 * fh), (a_out[0] + 0.55 * fl, a_out[1] + 0.72 * fh),
        (a_out[0] + 0.80 * fl, a_out[1] + 0.86 * fh), (a_out[0] + 0.74 * fl, ankle[1] + fh),
        (ankle[0] + 0.2 * fl, ankle[1] + fh), (a_in[0] - 0.05 * fl, ankle[1] + 0.92 * fh),
        (a_in[0] - 0.06 * fl, a_in[1] + 0.45 * fh), a_in,
    ], spacing=3.0)
    crotch = (0.0, P["y_crotch"])
    thigh_in_top = (0.02 * STATURE * (1 - 0.5 * t) * 0.4, P["y_crotch"] + 0.012 * STATURE)
    leg_inner_up = catmull_rom([
        a_in, (knee[0] - ca_w * 0.98, knee[1] + 0.45 * (ankle[1] - knee[1])),
        (knee[0] - ca_w * 1.05, knee[1] + 0.2 * (ankle[1] - knee[1])), k_in,
        (knee[0] - kn_w * 1.15, knee[1] - 0.35 * (knee[1] - P["y_crotch"])),
        thigh_in_top, crotch,
    ])

    landmarks_pts = dict(N1=(nw, y_n1), N2=neck[-1], S_top=s_top, E_out=e_out, W_out=w_out,
                         W_in=w_in, E_in=e_in, A=armpit, H_back=side[-1], H_front=h_front,
                         F=fold_out, K_out=k_out, Ank_out=a_out, Ank_in=a_in, K_in=k_in)
    # join the pieces into the right half of the outline, from the top of the head to
    # the crotch
    pieces = [head_curve, neck, arm_outer, hand_curve, finger_curve, arm_inner,
              side_curve[i_side + 1:], leg_outer, foot, leg_inner_up]
    half = []
    for piece in pieces:
        for p in piece:
            half.append(p)
    half = rounded(half)
    # the landmarks are exact vertices of the sampled outline: snap them to the nearest
    # vertex (they were sampled as control points)
    names = {}
    for name, p in landmarks_pts.items():
        d = [np.hypot(q[0] - p[0], q[1] - p[1]) for q in half]
        i = int(np.argmin(d))
        if d[i] > 1.0:
            raise RuntimeError(f"landmark {name} is not on the outline ({d[i]:.2f})")
        names[name] = i
    names["HeadTop"] = 0
    names["C"] = len(half) - 1
    geo = dict(P=P, half=half, names=names, crotch=crotch, hh=hh, nw=nw, y_n1=y_n1,
               y_n2=y_n2, hw=hw)
    return geo


def assemble(geo):
    """Full outline, cutting lines and regions for both views (front-view coordinates,
    patient's right at x < 0)."""
    half = geo["half"]
    P = geo["P"]
    names = geo["names"]
    # right half at x = -u; left half is its mirror, walked back up to the head
    right = [(-u if u else 0.0, y) for u, y in half]
    left = [(u, y) for u, y in reversed(half)][1:-1]
    outline = right + left
    idx = {}
    n_half = len(half)
    for name, i in names.items():
        if name in ("HeadTop", "C"):
            idx[name] = i
        else:
            idx["R." + name] = i
            idx["L." + name] = n_half + (n_half - 2 - i)
    n = len(outline)

    def walk(a, b):
        i, j = idx[a], idx[b]
        out = [outline[i]]
        while i != j:
            i = (i + 1) % n
            out.append(outline[i])
        return out

    def pt(name):
        return outline[idx[name]]

    def mirror(points):
        return [(-x + 0.0, y) for x, y in points]

    def cut(*points, spacing=4.0):
        return rounded(catmull_rom(points, spacing=spacing))

    hh, nw, y_n2 = geo["hh"], geo["nw"], geo["y_n2"]
    yc = P["y_crotch"]
    chin = (0.0, hh)
    occiput = (0.0, 0.84 * hh)
    notch_front = (0.0, y_n2 + 0.010 * STATURE)
    notch_back = (0.0, y_n2 - 0.002 * STATURE)
    n1, n2 = pt("R.N1"), pt("R.N2")
    cuts = {
        "jaw": cut(n1, (-0.55 * nw, 0.975 * hh), chin),
        "hairline": cut(n1, (-0.5 * nw, 0.85 * hh), occiput),
        "neck_front": cut(n2, (-0.55 * nw, y_n2 + 0.007 * STATURE), notch_front),
        "neck_back": cut(n2, (-0.55 * nw, y_n2 + 0.001 * STATURE), notch_back),
    }
    a, s = pt("R.A"), pt("R.S_top")
    mid = along(a, s, 0.5)
    cuts["shoulder"] = cut(a, (mid[0] - 0.12 * (s[1] - a[1]) * 0.25, mid[1]), s)
    for j in ("E", "W", "K", "Ank"):
        cuts[j] = [pt(f"R.{j}_out"), pt(f"R.{j}_in")]
    h_front = pt("R.H_front")
    g = (round(-0.45 * P["thigh_w"], 1), round(yc - 0.045 * STATURE, 1))
    pubic_mid = (0.0, g[1] - 0.006 * STATURE)
    cuts["groin"] = cut(h_front, (0.45 * h_front[0] + 0.55 * g[0],
                                  0.4 * h_front[1] + 0.6 * g[1] - 0.002 * STATURE), g)
    cuts["pubic"] = cut(g, (0.5 * g[0], pubic_mid[1] + 0.001 * STATURE), pubic_mid)
    cuts["genital"] = cut(g, (0.75 * g[0], 0.5 * (g[1] + yc)), (0.0, yc))
    h_back, f = pt("R.H_back"), pt("R.F")
    m = (0.0, h_back[1] + 0.022 * STATURE)
    cuts["crest"] = cut(h_back, (0.5 * h_back[0], h_back[1] + 0.016 * STATURE), m)
    cuts["cleft"] = cut(m, (0.0, yc))
    cuts["fold"] = cut((0.0, yc), (0.45 * f[0], yc + 0.030 * STATURE),
                       (0.85 * f[0], f[1] + 0.008 * STATURE), f)

    def rev(p):
        return list(reversed(p))

    def poly(*parts):
        out = []
        for part in parts:
            for p in part:
                if not out or out[-1] != p:
                    out.append(p)
        if out[0] == out[-1]:
            out.pop()
        return out

    c = cuts
    M = mirror
    limbs = {
        "upper_arm": poly(walk("R.S_top", "R.E_out"), c["E"], walk("R.E_in", "R.A"),
                          c["shoulder"]),
        "lower_arm": poly(walk("R.E_out", "R.W_out"), c["W"], walk("R.W_in", "R.E_in"),
                          rev(c["E"])),
        "hand": poly(walk("R.W_out", "R.W_in"), rev(c["W"])),
        "lower_leg": poly(walk("R.K_out", "R.Ank_out"), c["Ank"], walk("R.Ank_in", "R.K_in"),
                          rev(c["K"])),
        "foot": poly(walk("R.Ank_out", "R.Ank_in"), rev(c["Ank"])),
    }
    thigh_front = poly(walk("R.H_front", "R.K_out"), c["K"], walk("R.K_in", "C"),
                       rev(c["genital"]), rev(c["groin"]))
    thigh_back = poly(walk("R.F", "R.K_out"), c["K"], walk("R.K_in", "C"), c["fold"])
    buttock = poly(walk("R.H_back", "R.F"), rev(c["fold"]), rev(c["cleft"]), rev(c["crest"]))

    def head_neck(head_cut, neck_cut):
        head = poly(walk("L.N1", "R.N1"), head_cut, rev(M(head_cut)))
        neck = poly(walk("R.N1", "R.N2"), neck_cut, rev(M(neck_cut)), walk("L.N2", "L.N1"),
                    M(head_cut), rev(head_cut))
        return head, neck

    def trunk(bottom_r, neck_cut, h):
        return poly(walk("R.N2", "R.S_top"), rev(c["shoulder"]), walk("R.A", h), bottom_r,
                    rev(M(bottom_r)), walk("L." + h[2:], "L.A"), M(c["shoulder"]),
                    walk("L.S_top", "L.N2"), M(neck_cut), rev(neck_cut))

    views = {}
    # front view: built in front-view coordinates
    head, neck = head_neck(c["jaw"], c["neck_front"])
    front = {"head:front": head, "neck:front": neck,
             "anterior_trunk:front": trunk(poly(c["groin"], c["pubic"]), c["neck_front"],
                                           "R.H_front"),
             "genitalia:front": poly(c["pubic"], rev(M(c["pubic"])), M(c["genital"]),
                                     rev(c["genital"]))}
    for name, p in limbs.items():
        front[f"right_{name}:front"] = p
        front[f"left_{name}:front"] = M(p)
    front["right_thigh:front"] = thigh_front
    front["left_thigh:front"] = M(thigh_front)
    views["front"] = dict(outline=outline, regions=front)
    # back view: built the same way with the patient's right at x < 0, then mirrored so
    # that the patient's right is on the viewer's right
    head, neck = head_neck(c["hairline"], c["neck_back"])
    back = {"head:back": head, "neck:back": neck,
            "posterior_trunk:back": trunk(c["crest"], c["neck_back"], "R.H_back"),
            "right_buttock:back": buttock, "left_buttock:back": M(buttock)}
    for name, p in limbs.items():
        back[f"right_{name}:back"] = p
        back[f"left_{name}:back"] = M(p)
    back["right_thigh:back"] = thigh_back
    back["left_thigh:back"] = M(thigh_back)
    views["back"] = dict(outline=M(outline), regions={k: M(v) for k, v in back.items()})
    return views


# --------------------------------------------------------------------------- labels
def signed_area(p):
    a = np.asarray(p)
    x, y = a[:, 0], a[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def inside(poly, pts):
    poly = np.asarray(poly)
    x0, y0 = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    px, py = pts[:, 0:1], pts[:, 1:2]
    cond = (y0 <= py) != (y1 <= py)
    with np.errstate(divide="ignore", invalid="ignore"):
        xc = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
    return (np.sum(cond & (px < xc), axis=1) % 2) == 1


def seg_dist(poly, pts):
    a = np.asarray(poly)
    b = np.roll(a, -1, axis=0)
    d = b - a
    ap = pts[:, None, :] - a[None, :, :]
    tt = np.clip(np.sum(ap * d, axis=2) / np.maximum(np.sum(d * d, axis=1), 1e-12), 0, 1)
    proj = a[None] + tt[..., None] * d[None]
    return np.min(np.hypot(*(pts[:, None, :] - proj).transpose(2, 0, 1)), axis=1)


def label_point(poly):
    """A point well inside a polygon (the centre of its largest inscribed circle, coarse)."""
    a = np.asarray(poly)
    (x0, y0), (x1, y1) = a.min(0), a.max(0)
    best, best_d = None, -1
    for _ in range(3):
        gx, gy = np.meshgrid(np.linspace(x0, x1, 40), np.linspace(y0, y1, 40))
        pts = np.column_stack([gx.ravel(), gy.ravel()])
        pts = pts[inside(poly, pts)]
        if len(pts) == 0:
            break
        d = seg_dist(poly, pts)
        i = int(np.argmax(d))
        if d[i] > best_d:
            best, best_d = pts[i], d[i]
        w, h = (x1 - x0) / 6, (y1 - y0) / 6
        x0, x1, y0, y1 = best[0] - w, best[0] + w, best[1] - h, best[1] + h
    return [round(float(best[0]), 1), round(float(best[1]), 1)]


# --------------------------------------------------------------------------- output
def figure_document(figure_id: str) -> dict:
    spec = FIGURES[figure_id]
    geo = build(spec["t"])
    views = assemble(geo)
    xs = [x for v in views.values() for x, _ in v["outline"]]
    margin = 0.02 * STATURE
    half_w = max(abs(min(xs)), max(xs)) + margin
    frame = [-round(half_w, 1), -margin, round(half_w, 1), STATURE + margin]
    doc_views = {}
    for view, v in views.items():
        regions = {}
        for name, p in v["regions"].items():
            if signed_area(p) < 0:
                p = list(reversed(p))
            regions[name] = [list(q) for q in p]
        outline = v["outline"]
        if signed_area(outline) < 0:
            outline = list(reversed(outline))
        r_x = -1.0 if view == "front" else 1.0  # the patient's right
        # R and L in the top corners, beside the head
        mark_y = 0.05 * STATURE
        mark_x = round(half_w - 0.05 * STATURE, 1)
        doc_views[view] = {
            "outline": [list(q) for q in outline],
            "regions": regions,
            "label_points": {name: label_point(p) for name, p in regions.items()},
            "marks": {"R": [round(r_x * mark_x, 1), mark_y],
                      "L": [round(-r_x * mark_x, 1), mark_y]},
        }
    props = {k: round(v, 4) for k, v in proportions(spec["t"]).items()}
    from bsa.diagram.geometry import SCHEMA_VERSION  # the version the reader reads

    return {
        "schema_version": SCHEMA_VERSION,
        "figure": figure_id,
        "title": spec["title"],
        "ages": spec["ages"],
        "drawn_as": spec["drawn_as"],
        "source": {
            "drawn_by": "tools/make_body_diagram.py (this project)",
            "model": "Region layout after the Lund and Browder chart: Lund CC, Browder NC. "
                     "The estimation of areas of burns. Surg Gynecol Obstet "
                     "1944;79:352-358.",
            "note": "A drawing: the proportions (head height and leg length as a share of "
                    "stature) follow growth so that a child looks like a child. The drawn "
                    "areas are never used as weights; percentages come from the chart.",
            "status": "drawing",
        },
        "units": "figure units; x to the viewer's right, y downwards; the stature is "
                 "1000 units from the top of the head (y = 0) to the soles (y = 1000)",
        "orientation": "front: the patient's right on the viewer's left; back: the "
                       "patient's right on the viewer's right",
        "frame": frame,
        "proportions": props,
        "views": doc_views,
    }


def write_json(doc: dict, path: Path) -> None:
    """One polygon per line keeps the file reviewable in a diff."""
    def pts(p):
        return "[" + ", ".join(f"[{x:g}, {y:g}]" for x, y in p) + "]"

    lines = ["{"]
    head = {k: v for k, v in doc.items() if k != "views"}
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v)},")
    lines.append('  "views": {')
    views = list(doc["views"].items())
    for vi, (view, v) in enumerate(views):
        lines.append(f"    {json.dumps(view)}: {{")
        lines.append(f'      "outline": {pts(v["outline"])},')
        lines.append('      "regions": {')
        items = list(v["regions"].items())
        for i, (name, p) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            lines.append(f"        {json.dumps(name)}: {pts(p)}{comma}")
        lines.append("      },")
        lines.append(f'      "label_points": {json.dumps(v["label_points"])},')
        lines.append(f'      "marks": {json.dumps(v["marks"])}')
        lines.append("    }" + ("," if vi < len(views) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # must parse
    from bsa.files import write_atomic  # the project's one writer: whole or not at all

    write_atomic(path, text)


def main() -> None:
    if str(ROOT) not in sys.path:  # run as a script: the checkout's bsa
        sys.path.insert(0, str(ROOT))
    for figure_id in FIGURES:
        doc = figure_document(figure_id)
        path = ROOT / "charts" / f"body_diagram_{figure_id}.json"
        write_json(doc, path)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
