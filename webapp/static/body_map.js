// Body map: mark the skin on the front and back figures, layer by layer, with a pointer or
// the keys.
//
// The browser only paints. After every stroke (or fill, undo, clear) it sends every layer's
// views as PNG data URLs with setStateValue("marks", ...); the server decodes the alpha
// channel (> 127 = painted) and computes every number with the bsa package. A share set
// with the keyboard goes as setStateValue("share", {part, share, layer, seq}); a choice of
// layer in the "Marking" switch as setStateValue("layer", {id, seq}).
//
// data (from Python, see webapp/body_map.py), sent as one JSON string in data.json:
//   figure, width, height   the figure id and the size of each view's label image [px]
//   rev                     bumped by the server when it replaces the marks (load, clear,
//                           new figure, a layer removed); marks sent back carry the rev
//                           they were drawn on
//   views                   [{id, title, svg, labels, order}]: the diagram SVG, the label
//                           image (grey PNG data URL: 0 outside, 1 + half index inside) and
//                           the halves in the order the arrow keys visit them (indices)
//   layers                  [{id, kind, title, short, style, colour, hatch}] in drawing
//                           order: "affected", "apply", "zone:<id>", "avoid:<reason>"
//   layer, layer_ack        the layer being marked, and the seq of the last choice of layer
//                           the server read (until it has read ours, ours stands)
//   reasons                 the do-not-apply reasons offered (the usual ones, then typed ones)
//   restore                 {layer: {view: PNG data URL or null}}: marks to draw when rev
//                           changes
//   names, parts            the 33 halves' display names and ids (label value - 1 -> name)
//   painted                 {half index: painted fraction} of the layer being marked
//   typed                   {half index: typed fraction} of the layer being marked: shown
//                           hatched with their share
//   layer_typed             {layer: {half index: typed fraction}}: every layer's typed
//                           shares, drawn as a tint of the half in the layer's look
//   shares                  [33 fractions]: each half's share of the layer being marked
//   total                   the total as the page shows it ("5.8%"), from the evaluation
//   empty                   true while nothing is painted or typed (the hint shows)
//   notice                  true while the age-change notice sits above the figure
//   unsaved                 true while marks or typed shares were neither saved as a visit
//                           nor downloaded as a session file (see pageGuards below)
//   words                   {key: text}: every text the map shows or reads out, in the page's
//                           language, "{name}" filled here (see "words" below)
//   reason_names            {reason: text}: the do-not-apply reasons in words (a usual one in
//                           the page's language, one typed by the user as typed)
//
// Structure: a view holds its label image, its diagram, one offscreen canvas per layer
// (view.layers[id]: {canvas, ctx, look}: the painted pixels, alpha = painted) and one
// visible canvas (view.display) where every layer is drawn in its look, in order. Every
// tool draws on the layer being marked (st.layer); send() reads every layer.
//
// Per-instance state lives on the component's root node, so running this function again
// when data changes only updates what changed.

const PAINT = [213, 94, 0]; // Okabe-Ito vermillion: the painted pixels' colour (alpha counts)
const TYPED = [0, 114, 178]; // Okabe-Ito blue
const UNDO_DEPTH = 20;
const SHARE_STEP = 0.1; // the + and - keys [fraction]
const AFFECTED = "affected";
const AVOID = "avoid:";
// How strongly each style is drawn over the figure (the printed map's looks, webapp/body_map.py)
const STYLE_ALPHA = { solid: 0.6, hatched: 0.95, outlined: 0.95 };
const RING = 3; // width of the outline of an outlined or hatched layer [canvas px]

// ------------------------------------------------------------------------- page guards
//
// Installed once per tab (the component may be mounted again); they keep nothing about the
// patient in the browser (no localStorage, no sessionStorage, no cookies).
//
// 1. Leaving or reloading the page with unsaved marks: the browser's own leave-page prompt
//    (a beforeunload listener), armed while the server says the marks are unsaved and at
//    once after a stroke here, disarmed when the server says they were saved or downloaded.
// 2. A prepared download is what the page showed when it was prepared. A field edited and
//    not yet left is sent to the server only when it loses the focus, which a click on a
//    download button does: the browser would hand over the file made before the edit. Such
//    a click is held back; the edit reaches the server, which drops the file if it differs.

const FIELD_TYPES = new Set(["text", "number", "search", "email", "tel", "url", "password", ""]);

function isField(el) {
  if (!el || !el.tagName) return false;
  if (el.tagName === "TEXTAREA") return true;
  if (el.isContentEditable) return true; // the date fields' segments
  if (el.tagName !== "INPUT") return false;
  if (el.getAttribute("role") === "combobox") return false; // a selectbox's filter
  return FIELD_TYPES.has(el.type);
}

function pageGuards() {
  if (window.__bsaGuards) return window.__bsaGuards;
  const g = { unsaved: false, edited: null, holdClick: false, inFlight: false, sawRun: false };
  window.__bsaGuards = g;
  window.addEventListener("beforeunload", (e) => {
    if (!g.unsaved) return;
    e.preventDefault();
    e.returnValue = ""; // some browsers show their prompt only when a value is set
  });
  const downloadButton = (e) => {
    for (const el of e.composedPath()) {
      if (el.getAttribute && el.getAttribute("data-testid") === "stDownloadButton") return el;
    }
    return null;
  };
  document.addEventListener("focusin", (e) => {
    if (isField(e.composedPath()[0])) g.edited = null;
  }, true);
  document.addEventListener("input", (e) => {
    const el = e.composedPath()[0];
    if (isField(el)) g.edited = el;
  }, true);
  document.addEventListener("keydown", (e) => {
    // Enter commits an input (Ctrl/Cmd+Enter a text area): the server gets the value now.
    const el = e.composedPath()[0];
    if (e.key === "Enter" && el === g.edited && (el.tagName !== "TEXTAREA" || e.ctrlKey || e.metaKey)) {
      g.edited = null;
      g.inFlight = true;
      g.sawRun = false;
    }
  }, true);
  document.addEventListener("focusout", (e) => {
    if (e.composedPath()[0] === g.edited && g.edited) {
      g.edited = null;
      g.inFlight = true; // sent now; the server's run that follows may drop the file
      g.sawRun = false;
    }
  }, true);
  document.addEventListener("pointerdown", (e) => {
    // Before the focus moves: is a field with an edit not yet sent about to lose it?
    g.holdClick = Boolean(downloadButton(e) && g.edited);
  }, true);
  document.addEventListener("click", (e) => {
    if (!downloadButton(e)) return;
    if (!g.holdClick && !g.inFlight) return;
    g.holdClick = false;
    g.inFlight = false;
    e.preventDefault();
    e.stopImmediatePropagation();
    notice(fmt((g.words && g.words.download_wait) || "download_wait"));
  }, true);
  const watch = () => {
    const app = document.querySelector("[data-testid=stApp]");
    if (!app) return false;
    new MutationObserver((records) => {
      // Changes come in batches: a short run may start and end within one.
      for (const r of records) if (r.oldValue === "running") g.sawRun = true;
      const stateNow = app.getAttribute("data-test-script-state");
      if (stateNow === "running") g.sawRun = true;
      else if (g.sawRun) g.inFlight = false;
    }).observe(app, {
      attributes: true,
      attributeOldValue: true,
      attributeFilter: ["data-test-script-state"],
    });
    return true;
  };
  if (!watch()) window.addEventListener("load", watch, { once: true });
  return g;
}

function notice(text) {
  // Outside the page's React tree: a short line at the bottom of the window.
  let box = document.getElementById("bsa-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "bsa-notice";
    box.setAttribute("role", "status");
    box.style.cssText =
      "position:fixed;left:50%;bottom:1.5rem;transform:translateX(-50%);max-width:36rem;" +
      "background:#262730;color:#fff;padding:0.6rem 1rem;border-radius:0.5rem;" +
      "font:0.9rem sans-serif;z-index:100000;box-shadow:0 2px 8px rgba(0,0,0,0.3)";
    document.body.append(box);
  }
  box.textContent = text;
  box.hidden = false;
  clearTimeout(box.__timer);
  box.__timer = setTimeout(() => {
    box.hidden = true;
  }, 6000);
}

function decodePng(dataUrl) {
  // Decode without a network request (a data: URL fetch would show up as one) and without
  // colour management, so grey levels in the label image come back exactly.
  const comma = dataUrl.indexOf(",");
  const bin = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const blob = new Blob([bytes], { type: "image/png" });
  return createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
}


function makeCanvas(w, h, cls) {
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  if (cls) c.className = cls;
  return c;
}

const SVG_NS = "http://www.w3.org/2000/svg";

// ------------------------------------------------------------------------- words
//
// The map holds no words of its own: every text comes from Python in the page's language
// (data.words, webapp/body_map.py map_words). A "{name}" in a text is filled here. The
// HTML's elements name their texts: data-w (the text; after data-icon and a space, or after
// a space with data-w-space="before"), data-w-label (aria-label), data-w-title,
// data-w-placeholder, and data-w-template (a text whose "{slot}" is the child element with
// data-w-slot="slot"). Texts are always set as text, never as HTML.

function fmt(text, values) {
  // Each "{name}" once, left to right: a value that holds braces is not read again.
  return String(text).replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? String(values[k]) : m));
}

function word(st, key, values) {
  const text = st.words[key];
  return fmt(text === undefined ? key : text, values);
}

function withAttr(root, attr) {
  return [root, ...root.querySelectorAll(`[${attr}]`)].filter((el) => el.hasAttribute(attr));
}

function fillTemplate(st, el) {
  if (!el.__slots) {
    el.__slots = {};
    for (const c of el.querySelectorAll("[data-w-slot]")) el.__slots[c.dataset.wSlot] = c;
  }
  const text = word(st, el.dataset.wTemplate);
  const nodes = [];
  const re = /\{(\w+)\}/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) nodes.push(document.createTextNode(text.slice(last, m.index)));
    nodes.push(el.__slots[m[1]] || document.createTextNode(m[0]));
    last = re.lastIndex;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  el.replaceChildren(...nodes);
}

function applyWords(st, words) {
  // Only when the words change (the page's language was switched): every text anew.
  const key = JSON.stringify(words || {});
  if (key === st.wordsKey) return;
  const switched = st.wordsKey !== null;
  st.wordsKey = key;
  st.wordsRev += 1;
  st.words = words || {};
  pageGuards().words = st.words;
  const root = st.root;
  for (const el of withAttr(root, "data-w")) {
    const before = el.dataset.icon ? `${el.dataset.icon} ` : el.dataset.wSpace === "before" ? " " : "";
    el.textContent = before + word(st, el.dataset.w);
  }
  for (const [attr, name] of [["data-w-label", "aria-label"], ["data-w-title", "title"],
    ["data-w-placeholder", "placeholder"]]) {
    for (const el of withAttr(root, attr)) el.setAttribute(name, word(st, el.getAttribute(attr)));
  }
  for (const el of withAttr(root, "data-w-template")) fillTemplate(st, el);
  if (switched) status(st, ""); // a line in the other language would stay until the next one
}

function nameView(st, view, title) {
  // The figure's caption and the name of its list of regions.
  view.title = title;
  if (view.cap.textContent !== title) view.cap.textContent = title;
  const label = word(st, "keys_label", { view: title });
  if (view.keys.getAttribute("aria-label") !== label) view.keys.setAttribute("aria-label", label);
}


// ------------------------------------------------------------------------- set-up

function isTouchScreen() {
  return Boolean(
    (window.matchMedia && window.matchMedia("(any-pointer: coarse)").matches) ||
      navigator.maxTouchPoints > 0,
  );
}

function init(root) {
  const st = {
    root,
    tool: "paint",
    finger: "scroll",
    shown: "front",
    brush: 24,
    figure: null,
    rev: null,
    seq: 0,
    instance: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    views: {},
    order: [],
    undo: [],
    urls: {}, // {layer: {view: data URL or null}} as last sent (undefined: not encoded yet)
    names: [],
    parts: [],
    painted: {},
    typed: {},
    shares: [],
    total: null,
    loading: null,
    setStateValue: null,
    layers: [], // the layer specs, in drawing order
    layer: AFFECTED,
    layerSent: null, // seq of our last choice of layer
    reason: "eyes",
    reasons: [],
    layerTyped: {},
    reasonNames: {},
    switchKey: null,
    legendKey: null,
    words: {},
    wordsKey: null,
    wordsRev: 0,
  };
  setTouch(st, isTouchScreen());
  root.querySelectorAll(".bm-tool").forEach((b) => {
    b.addEventListener("click", () => setTool(st, b.dataset.tool));
  });
  root.querySelectorAll(".bm-touch").forEach((b) => {
    b.addEventListener("click", () => setFinger(st, b.dataset.finger, true));
  });
  root.querySelectorAll(".bm-show").forEach((b) => {
    b.addEventListener("click", () => showView(st, b.dataset.show));
  });
  const brush = root.querySelector(".bm-brush");
  brush.addEventListener("input", () => {
    st.brush = Number(brush.value);
    root.querySelector(".bm-brush-value").textContent = brush.value;
  });
  root.querySelector(".bm-undo").addEventListener("click", () => undo(st));
  root.querySelector(".bm-clear").addEventListener("click", () => clearLayer(st));
  root.querySelector(".bm-layer").addEventListener("change", (e) => {
    const value = e.target.value;
    chooseLayer(st, value === "avoid" ? AVOID + st.reason : value, true);
  });
  root.querySelector(".bm-reason").addEventListener("change", (e) => {
    st.reason = e.target.value;
    const own = root.querySelector(".bm-reason-own");
    own.hidden = st.reason !== "other";
    chooseLayer(st, AVOID + st.reason, true);
  });
  root.querySelector(".bm-reason-text").addEventListener("change", (e) => {
    const text = e.target.value.trim();
    if (!text) return;
    e.target.value = "";
    root.querySelector(".bm-reason-own").hidden = true;
    st.reason = text;
    chooseLayer(st, AVOID + text, true);
  });
  root.addEventListener("keydown", (e) => {
    if (e.target && ["INPUT", "SELECT"].includes(e.target.tagName)) return;
    if ((e.ctrlKey || e.metaKey) && e.key === "z") {
      undo(st);
      e.preventDefault();
    } else if (e.ctrlKey || e.metaKey || e.altKey) {
      return;
    } else if (e.key === "p") setTool(st, "paint");
    else if (e.key === "e") setTool(st, "erase");
    else if (e.key === "f") setTool(st, "fill");
  });
  const bar = root.querySelector(".bm-bar");
  if (window.ResizeObserver) {
    // The figure takes the height the window leaves under the bar (body_map.css).
    new ResizeObserver(() => {
      root.style.setProperty("--bm-bar-h", `${Math.round(bar.offsetHeight)}px`);
    }).observe(bar);
  }
  return st;
}

function setTouch(st, touch) {
  st.touch = touch;
  st.root.dataset.touch = touch ? "1" : "0";
  setFinger(st, st.finger, false);
}

function setTool(st, tool) {
  st.tool = tool;
  st.root.querySelectorAll(".bm-tool").forEach((b) => {
    b.setAttribute("aria-pressed", String(b.dataset.tool === tool));
  });
  st.root.dataset.tool = tool;
}

function setFinger(st, finger, say) {
  st.finger = finger;
  st.root.dataset.finger = finger;
  st.root.querySelectorAll(".bm-touch").forEach((b) => {
    b.setAttribute("aria-pressed", String(b.dataset.finger === finger));
  });
  if (say) {
    status(st, word(st, finger === "mark" ? "finger_marks" : "finger_scrolls"));
  }
}

function showView(st, id) {
  st.shown = id;
  st.root.querySelectorAll(".bm-show").forEach((b) => {
    b.setAttribute("aria-pressed", String(b.dataset.show === id));
  });
  for (const v of Object.values(st.views)) v.box.dataset.away = v.id === id ? "0" : "1";
}

function status(st, text) {
  const el = st.root.querySelector(".bm-status");
  if (el.textContent !== (text || "")) el.textContent = text || "";
}

// ------------------------------------------------------------------------- layers
//
// The "Marking" switch: the affected skin, the treatment area, do not apply (with a reason)
// or a zone. Our own choice stands until the server has read it (data.layer_ack), so a
// run that started before it cannot switch back; after that the server's word counts (it
// may change the layer itself: a zone added, the treatment area switched on, a load).

function specOf(st, id) {
  return st.layers.find((l) => l.id === id) || null;
}

function layerTitle(st, id) {
  const spec = specOf(st, id);
  if (spec) return spec.title;
  if (id.startsWith(AVOID)) {
    return word(st, "avoid_title", { reason: reasonName(st, id.slice(AVOID.length)) });
  }
  return id;
}

function reasonName(st, reason) {
  return st.reasonNames[reason] || reason; // one typed by the user stays as typed
}

function chooseLayer(st, id, fromUser) {
  st.layer = id;
  if (id.startsWith(AVOID)) st.reason = id.slice(AVOID.length);
  for (const view of Object.values(st.views)) layerOf(view, id);
  st.root.dataset.layer = id;
  updateSwitch(st);
  drawTyped(st);
  if (fromUser) {
    const copied = id === "apply" && !specOf(st, "apply");
    st.seq += 1;
    st.layerSent = `${st.instance}-${st.seq}`;
    st.setStateValue("layer", { id, seq: st.layerSent });
    status(st, copied
      ? word(st, "marking_copied")
      : word(st, "marking_layer", { layer: layerTitle(st, id) }));
  }
}

function layerOf(view, id) {
  // The canvas of one layer of a view, made empty when first needed.
  let layer = view.layers[id];
  if (!layer) {
    const canvas = makeCanvas(view.w, view.h);
    layer = { id, canvas, ctx: canvas.getContext("2d", { willReadFrequently: true }),
              look: makeCanvas(view.w, view.h), dirty: true };
    view.layers[id] = layer;
  }
  return layer;
}

function current(view, st) {
  return layerOf(view, st.layer);
}

function syncLayers(st) {
  // Canvases for the layers the server has (and the one being marked); others dropped.
  const keep = new Set(st.layers.map((l) => l.id));
  keep.add(st.layer);
  for (const view of Object.values(st.views)) {
    for (const id of Object.keys(view.layers)) {
      if (!keep.has(id)) delete view.layers[id];
    }
    for (const id of keep) layerOf(view, id).dirty = true;
  }
  for (const id of Object.keys(st.urls)) if (!keep.has(id)) delete st.urls[id];
}

function option(value, text) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text; // text typed by a user stays text
  return o;
}

function updateSwitch(st) {
  const select = st.root.querySelector(".bm-layer");
  const reason = st.root.querySelector(".bm-reason");
  const key = JSON.stringify([st.layers.map((l) => [l.id, l.title]), st.reasons, st.reasonNames,
    st.wordsRev]);
  if (key !== st.switchKey) {
    st.switchKey = key;
    select.textContent = "";
    select.append(option(AFFECTED, word(st, "affected")));
    select.append(option("apply", word(st, "apply")));
    select.append(option("avoid", word(st, "avoid")));
    for (const l of st.layers) if (l.kind === "zone") select.append(option(l.id, l.title));
    reason.textContent = "";
    for (const r of st.reasons) {
      reason.append(option(r, r === "other" ? word(st, "other_reason") : reasonName(st, r)));
    }
  }
  const avoid = st.layer.startsWith(AVOID);
  select.value = avoid ? "avoid" : st.layer;
  if (avoid) {
    const r = st.layer.slice(AVOID.length);
    if (![...reason.options].some((o) => o.value === r)) reason.append(option(r, reasonName(st, r)));
    reason.value = r;
  }
  st.root.querySelector(".bm-reason-label").hidden = !avoid;
  if (!avoid) st.root.querySelector(".bm-reason-own").hidden = true;
  const spec = specOf(st, st.layer) || { style: "hatched", colour: "#2b211d", hatch: "xxxx" };
  drawSwatch(st.root.querySelector(".bm-current-swatch"), spec);
  st.root.dataset.layer = st.layer;
}

function updateLegend(st) {
  // Each layer with marks (and the one being marked), in its look.
  const legend = st.root.querySelector(".bm-legend");
  const shown = st.layers.filter((l) => l.id === st.layer || hasMarks(st, l.id));
  const typed = Object.keys(st.typed).length > 0;
  const key = JSON.stringify([shown.map((l) => [l.id, l.short, l.colour, l.hatch, l.style]), typed,
    st.wordsRev]);
  if (key === st.legendKey) return;
  st.legendKey = key;
  legend.textContent = "";
  for (const l of shown) {
    const item = document.createElement("span");
    item.className = "bm-legend-item";
    const swatch = makeCanvas(16, 16, "bm-swatch");
    swatch.setAttribute("aria-hidden", "true");
    drawSwatch(swatch, l);
    item.append(swatch, document.createTextNode(l.short));
    legend.append(item);
  }
  if (typed) {
    const item = document.createElement("span");
    item.className = "bm-legend-item";
    const swatch = document.createElement("span");
    swatch.className = "bm-swatch bm-swatch-typed";
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, document.createTextNode(word(st, "typed_legend")));
    legend.append(item);
  }
}

function hasMarks(st, id) {
  if (st.layerTyped[id] && Object.keys(st.layerTyped[id]).length) return true;
  return Object.values(st.views).some((v) => v.layers[id] && v.layers[id].painted);
}

// ------------------------------------------------------------------------- looks

const TILES = {};

function hatchTile(hatch, colour) {
  // One tile of a hatch pattern: matplotlib's hatch names, as on the printed map (dark on
  // white: do not apply; "///": the affected skin), and the zones' textures of one
  // character (white on the zone's colour).
  const key = `${hatch}|${colour}`;
  if (TILES[key]) return TILES[key];
  const n = { "///": 14, xxxx: 12, "++++": 12, oo: 14, "\\\\\\\\": 10, "....": 8 }[hatch] || 12;
  const t = makeCanvas(n, n);
  const c = t.getContext("2d");
  c.strokeStyle = colour;
  c.fillStyle = colour;
  c.lineWidth = hatch === "///" ? 2 : 2.5;
  const line = (x0, y0, x1, y1) => {
    c.beginPath();
    c.moveTo(x0, y0);
    c.lineTo(x1, y1);
    c.stroke();
  };
  if (hatch === "///" || hatch === "xxxx") {
    line(-1, n + 1, n + 1, -1);
    line(-1, 1, 1, -1);
    line(n - 1, n + 1, n + 1, n - 1);
  }
  if (hatch === "xxxx" || hatch === "\\\\\\\\") {
    line(-1, -1, n + 1, n + 1);
    line(n - 1, -1, n + 1, 1);
    line(-1, n - 1, 1, n + 1);
  }
  if (hatch === "++++") {
    line(0, n / 2, n, n / 2);
    line(n / 2, 0, n / 2, n);
  }
  if (hatch === "oo") {
    c.beginPath();
    c.arc(n / 2, n / 2, n / 3.2, 0, Math.PI * 2);
    c.stroke();
  }
  if (hatch === "....") {
    c.beginPath();
    c.arc(n / 2, n / 2, 1.8, 0, Math.PI * 2);
    c.fill();
  }
  if (hatch.length === 1) {
    // a zone's texture
    c.lineWidth = 2.5;
    if (hatch === "|" || hatch === "+") line(n / 2, 0, n / 2, n);
    if (hatch === "-" || hatch === "+") line(0, n / 2, n, n / 2);
    if (hatch === "/") {
      line(-1, n + 1, n + 1, -1);
      line(-1, 1, 1, -1);
      line(n - 1, n + 1, n + 1, n - 1);
    }
    if (hatch === "\\") {
      line(-1, -1, n + 1, n + 1);
      line(n - 1, -1, n + 1, 1);
      line(-1, n - 1, 1, n + 1);
    }
    if (hatch === ".") {
      c.beginPath();
      c.arc(n / 2, n / 2, 2.2, 0, Math.PI * 2);
      c.fill();
    }
    if (hatch === "o") {
      c.beginPath();
      c.arc(n / 2, n / 2, n / 3.5, 0, Math.PI * 2);
      c.stroke();
    }
  }
  TILES[key] = t;
  return t;
}

function paintLook(ctx, spec, w, h, scale) {
  // Fill a whole canvas with a layer's look (masked to its shape afterwards).
  ctx.save();
  if (spec.style === "solid") {
    ctx.fillStyle = spec.colour;
    ctx.fillRect(0, 0, w, h);
    if (spec.hatch) {
      // a zone's white texture over its colour
      const pattern = ctx.createPattern(hatchTile(spec.hatch, "rgba(255,255,255,0.85)"), "repeat");
      if (scale !== 1 && pattern.setTransform) pattern.setTransform(new DOMMatrix().scale(scale));
      ctx.fillStyle = pattern;
      ctx.fillRect(0, 0, w, h);
    }
  } else {
    ctx.fillStyle = spec.style === "hatched" ? "rgba(255,255,255,0.75)" : "rgba(255,255,255,0.35)";
    ctx.fillRect(0, 0, w, h);
    const pattern = ctx.createPattern(hatchTile(spec.hatch || "xxxx", spec.colour), "repeat");
    if (scale !== 1 && pattern.setTransform) pattern.setTransform(new DOMMatrix().scale(scale));
    ctx.fillStyle = pattern;
    ctx.fillRect(0, 0, w, h);
  }
  ctx.restore();
}

function drawSwatch(canvas, spec) {
  const c = canvas.getContext("2d");
  const w = canvas.width;
  const h = canvas.height;
  c.clearRect(0, 0, w, h);
  c.globalAlpha = spec.style === "solid" ? STYLE_ALPHA.solid : 1;
  paintLook(c, spec, w, h, 0.6);
  c.globalAlpha = 1;
  if (spec.style !== "solid") {
    c.strokeStyle = spec.colour;
    c.lineWidth = 2;
    c.strokeRect(1, 1, w - 2, h - 2);
  }
}

function scratch(view, i) {
  // Working canvases of a view, made once (a stroke redraws its layer at every frame).
  view.scratch = view.scratch || [];
  if (!view.scratch[i]) view.scratch[i] = makeCanvas(view.w, view.h);
  const c = view.scratch[i].getContext("2d", { willReadFrequently: i === 0 });
  c.globalCompositeOperation = "source-over";
  c.clearRect(0, 0, view.w, view.h);
  return [view.scratch[i], c];
}

function shapeOf(st, view, layer) {
  // The layer's pixels, with its typed halves drawn whole (the more opaque the larger the
  // share): a typed share says how much of a half, not where.
  const typed = st.layerTyped[layer.id] || {};
  const keys = Object.keys(typed);
  if (!keys.length || !view.pixelsOf) return layer.canvas;
  const [shape, c] = scratch(view, 0);
  c.drawImage(layer.canvas, 0, 0);
  const img = c.getImageData(0, 0, view.w, view.h);
  const px = img.data;
  for (const key of keys) {
    const idx = view.pixelsOf[Number(key) + 1];
    if (!idx) continue;
    const alpha = typed[key] > 0 ? Math.round(255 * Math.min(1, 0.35 + 0.65 * typed[key])) : 0;
    for (let j = 0; j < idx.length; j++) px[idx[j] * 4 + 3] = alpha;
  }
  c.putImageData(img, 0, 0);
  return shape;
}

function renderLayer(st, view, spec) {
  // The layer in its look, on its own canvas (layer.look).
  const layer = layerOf(view, spec.id);
  const shape = shapeOf(st, view, layer);
  const c = layer.look.getContext("2d");
  c.globalCompositeOperation = "source-over";
  c.clearRect(0, 0, view.w, view.h);
  paintLook(c, spec, view.w, view.h, 1);
  c.globalCompositeOperation = "destination-in";
  c.drawImage(shape, 0, 0);
  if (spec.style !== "solid") {
    // An outline: the shape minus the shape shrunk by RING pixels.
    const [inner, ic] = scratch(view, 1);
    ic.drawImage(shape, 0, 0);
    ic.globalCompositeOperation = "destination-in";
    for (const [dx, dy] of [[RING, 0], [-RING, 0], [0, RING], [0, -RING]]) {
      ic.drawImage(shape, dx, dy);
    }
    const [ring, rc] = scratch(view, 2);
    rc.drawImage(shape, 0, 0);
    rc.globalCompositeOperation = "destination-out";
    rc.drawImage(inner, 0, 0);
    rc.globalCompositeOperation = "source-in";
    rc.fillStyle = spec.colour;
    rc.fillRect(0, 0, view.w, view.h);
    c.globalCompositeOperation = "source-over";
    c.drawImage(ring, 0, 0);
  }
  c.globalCompositeOperation = "source-over";
  layer.dirty = false;
}

function composite(st, view) {
  const c = view.display.getContext("2d");
  c.clearRect(0, 0, view.w, view.h);
  const specs = [...st.layers];
  if (!specOf(st, st.layer)) {
    // a do-not-apply area the server has not made yet
    specs.push({ id: st.layer, style: "hatched", colour: "#2b211d", hatch: "xxxx" });
  }
  const zones = specs.filter((s) => s.kind === "zone" && view.layers[s.id]);
  for (const spec of specs) {
    const layer = view.layers[spec.id];
    if (!layer) continue;
    if (layer.dirty) renderLayer(st, view, spec);
    let look = layer.look;
    if (spec.style === "solid" && spec.kind !== "zone" && zones.length) {
      // The area to treat shows each zone in the zone's own colour, not mixed with its own.
      const [cut, cc] = scratch(view, 3);
      cc.drawImage(layer.look, 0, 0);
      cc.globalCompositeOperation = "destination-out";
      for (const z of zones) cc.drawImage(view.layers[z.id].canvas, 0, 0);
      cc.globalCompositeOperation = "source-over";
      look = cut;
    }
    c.globalAlpha = STYLE_ALPHA[spec.style] || 0.6;
    c.drawImage(look, 0, 0);
  }
  c.globalAlpha = 1;
}

function redraw(st, view, id) {
  // The layer changed: draw it again, then the figure, at the next frame.
  if (id) layerOf(view, id).dirty = true;
  if (view.frame) return;
  view.frame = requestAnimationFrame(() => {
    view.frame = null;
    composite(st, view);
  });
}

function redrawAll(st) {
  for (const view of Object.values(st.views)) {
    for (const layer of Object.values(view.layers)) layer.dirty = true;
    redraw(st, view, null);
  }
}

// ------------------------------------------------------------------------- views

function buildViews(st, data) {
  const host = st.root.querySelector(".bm-views");
  host.textContent = "";
  st.views = {};
  st.order = [];
  st.undo = [];
  st.urls = {};
  updateUndoButton(st);
  const w = data.width;
  const h = data.height;
  for (const v of data.views) {
    const box = document.createElement("figure");
    box.className = "bm-view";
    box.dataset.view = v.id;
    const cap = document.createElement("figcaption");
    const stack = document.createElement("div");
    stack.className = "bm-stack";
    stack.style.aspectRatio = `${w} / ${h}`;
    const svg = document.createElement("div");
    svg.className = "bm-svg";
    svg.innerHTML = v.svg; // our own package's SVG (trusted), never user text
    const display = makeCanvas(w, h, "bm-paint");
    display.dataset.view = v.id;
    display.setAttribute("aria-hidden", "true"); // the regions are reached with the keys
    const typed = makeCanvas(w, h, "bm-typed");
    typed.setAttribute("aria-hidden", "true");
    const ring = document.createElementNS(SVG_NS, "svg");
    ring.setAttribute("class", "bm-ring");
    ring.setAttribute("viewBox", `0 0 ${w} ${h}`);
    ring.setAttribute("aria-hidden", "true");
    const cursor = document.createElement("div");
    cursor.className = "bm-cursor";
    cursor.hidden = true;
    const keys = document.createElement("div");
    keys.className = "bm-keys";
    stack.append(svg, display, typed, ring, cursor, keys);
    box.append(stack, cap);
    host.append(box);
    const view = {
      id: v.id,
      title: v.title,
      svgHtml: v.svg,
      box,
      cap,
      svg,
      display,
      layers: {},
      typed,
      ring,
      cursor,
      keys,
      order: (v.order || []).map((i) => i + 1), // label values, in key order
      focus: 0, // index into order
      labels: null, // Uint8Array (w * h): 0 outside, 1 + half index inside
      pixelsOf: null, // per label value: Int32Array of pixel indices
      centre: null, // per label value: [x, y]
      silhouette: null, // canvas, opaque inside the body
      frame: null,
      w,
      h,
    };
    st.views[v.id] = view;
    st.order.push(v.id);
    attachPointer(st, view);
    attachKeys(st, view);
    nameView(st, view, v.title);
  }
  showView(st, st.views[st.shown] ? st.shown : st.order[0]);
  st.loading = Promise.all(data.views.map((v) => loadLabels(st.views[v.id], v.labels)));
  return st.loading;
}

async function loadLabels(view, dataUrl) {
  const bmp = await decodePng(dataUrl);
  const c = makeCanvas(view.w, view.h);
  const cx = c.getContext("2d", { willReadFrequently: true });
  cx.drawImage(bmp, 0, 0);
  const rgba = cx.getImageData(0, 0, view.w, view.h).data;
  const n = view.w * view.h;
  const labels = new Uint8Array(n);
  const counts = new Int32Array(256);
  for (let i = 0; i < n; i++) {
    const v = rgba[i * 4];
    labels[i] = v;
    counts[v]++;
  }
  const pixelsOf = [];
  const fill = new Int32Array(256);
  for (let k = 0; k < 256; k++) pixelsOf.push(k === 0 ? null : new Int32Array(counts[k]));
  const sx = new Float64Array(256);
  const sy = new Float64Array(256);
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    if (k === 0) continue;
    pixelsOf[k][fill[k]++] = i;
    sx[k] += i % view.w;
    sy[k] += Math.floor(i / view.w);
  }
  const centre = [];
  for (let k = 0; k < 256; k++) centre.push(counts[k] ? [sx[k] / counts[k], sy[k] / counts[k]] : null);
  const sil = makeCanvas(view.w, view.h);
  const sctx = sil.getContext("2d");
  const img = sctx.createImageData(view.w, view.h);
  for (let i = 0; i < n; i++) if (labels[i]) img.data[i * 4 + 3] = 255;
  sctx.putImageData(img, 0, 0);
  view.labels = labels;
  view.pixelsOf = pixelsOf;
  view.centre = centre;
  view.silhouette = sil;
}

// Map a pointer event to canvas pixels; the canvas is drawn with object-fit: contain.
function toCanvas(view, e) {
  const r = view.display.getBoundingClientRect();
  const scale = Math.min(r.width / view.w, r.height / view.h);
  const ox = (r.width - view.w * scale) / 2;
  const oy = (r.height - view.h * scale) / 2;
  return { x: (e.clientX - r.left - ox) / scale, y: (e.clientY - r.top - oy) / scale, scale };
}

function labelAt(view, p) {
  if (!view.labels) return 0;
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  if (x < 0 || y < 0 || x >= view.w || y >= view.h) return 0;
  return view.labels[y * view.w + x];
}

function percent(f) {
  return `${Math.round(f * 100)}%`;
}

function partName(st, i) {
  return st.names[i] || word(st, "part", { number: i });
}

function describe(st, k) {
  if (!k) return word(st, "outside");
  const i = k - 1;
  const name = partName(st, i);
  const bits = [];
  const painted = st.painted[i];
  if (painted !== undefined) bits.push(word(st, "painted_share", { percent: percent(painted) }));
  if (st.typed[i] !== undefined) bits.push(word(st, "typed_used", { percent: percent(st.typed[i]) }));
  return bits.length ? word(st, "describe", { region: name, details: bits.join(", ") }) : name;
}

// ------------------------------------------------------------------------- painting

function pushUndo(st, viewIds) {
  const id = st.layer;
  st.undo.push({
    layer: id,
    views: viewIds.map((v) => {
      const view = st.views[v];
      return { id: v, image: layerOf(view, id).ctx.getImageData(0, 0, view.w, view.h) };
    }),
  });
  if (st.undo.length > UNDO_DEPTH) st.undo.shift();
  updateUndoButton(st);
}

function updateUndoButton(st) {
  st.root.querySelector(".bm-undo").disabled = st.undo.length === 0;
}

function attachPointer(st, view) {
  const canvas = view.display;
  let drawing = false;
  let last = null;
  let pointer = null; // the one pointer drawing (a second finger is ignored)

  const moveCursor = (e) => {
    const p = toCanvas(view, e);
    const d = st.brush * p.scale;
    const r = canvas.getBoundingClientRect();
    view.cursor.style.width = `${d}px`;
    view.cursor.style.height = `${d}px`;
    view.cursor.style.left = `${e.clientX - r.left - d / 2}px`;
    view.cursor.style.top = `${e.clientY - r.top - d / 2}px`;
    view.cursor.hidden = st.tool === "fill" || e.pointerType === "touch";
    return p;
  };

  const segment = (a, b) => {
    const layer = current(view, st);
    const c = layer.ctx;
    c.save();
    c.globalCompositeOperation = st.tool === "erase" ? "destination-out" : "source-over";
    c.strokeStyle = `rgb(${PAINT.join(",")})`;
    c.fillStyle = c.strokeStyle;
    c.lineWidth = st.brush;
    c.lineCap = "round";
    c.lineJoin = "round";
    c.beginPath();
    if (a.x === b.x && a.y === b.y) {
      c.arc(a.x, a.y, st.brush / 2, 0, Math.PI * 2);
      c.fill();
    } else {
      c.moveTo(a.x, a.y);
      c.lineTo(b.x, b.y);
      c.stroke();
    }
    c.restore();
    if (st.tool !== "erase") layer.painted = true;
    redraw(st, view, layer.id);
  };

  canvas.addEventListener("pointerdown", (e) => {
    if (!view.labels || e.button > 0 || drawing) return;
    if (e.pointerType === "touch" && !st.touch) setTouch(st, true);
    const p = moveCursor(e);
    if (e.pointerType === "touch" && st.finger !== "mark") {
      // The page scrolls; a finger never marks in this mode.
      status(st, word(st, "touch_scrolls", { where: describe(st, labelAt(view, p)) }));
      return;
    }
    e.preventDefault();
    if (st.tool === "fill") {
      fillPart(st, view, labelAt(view, p));
      return;
    }
    canvas.setPointerCapture(e.pointerId);
    pushUndo(st, [view.id]);
    drawing = true;
    pointer = e.pointerId;
    last = p;
    segment(p, p);
  });
  canvas.addEventListener("pointermove", (e) => {
    const p = moveCursor(e);
    if (!drawing) {
      if (e.pointerType !== "touch") status(st, describe(st, labelAt(view, p)));
      return;
    }
    if (e.pointerId !== pointer) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) {
      const q = toCanvas(view, ev);
      segment(last, q);
      last = q;
    }
  });
  const end = (e) => {
    if (!drawing || e.pointerId !== pointer) return;
    drawing = false;
    pointer = null;
    clipToBody(st, view);
    send(st, [view.id]);
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("pointerleave", () => {
    view.cursor.hidden = true;
  });
  canvas.addEventListener("pointerenter", (e) => moveCursor(e));
}

function clipToBody(st, view) {
  // Paint outside the body does not count; clip it away so the figure shows what counts.
  const layer = current(view, st);
  const c = layer.ctx;
  c.save();
  c.globalCompositeOperation = "destination-in";
  c.drawImage(view.silhouette, 0, 0);
  c.restore();
  redraw(st, view, layer.id);
}

function paintedShare(st, view, k) {
  const idx = view.pixelsOf[k];
  const px = current(view, st).ctx.getImageData(0, 0, view.w, view.h).data;
  let painted = 0;
  for (let j = 0; j < idx.length; j++) if (px[idx[j] * 4 + 3] > 127) painted++;
  return idx.length ? painted / idx.length : 0;
}

function setPart(st, view, k, on) {
  // Paint (on) or erase every pixel of one half of the layer being marked, as one
  // undoable change.
  const idx = view.pixelsOf[k];
  pushUndo(st, [view.id]);
  const layer = current(view, st);
  const img = layer.ctx.getImageData(0, 0, view.w, view.h);
  const px = img.data;
  for (let j = 0; j < idx.length; j++) {
    const o = idx[j] * 4;
    px[o] = PAINT[0];
    px[o + 1] = PAINT[1];
    px[o + 2] = PAINT[2];
    px[o + 3] = on ? 255 : 0;
  }
  layer.ctx.putImageData(img, 0, 0);
  if (on) layer.painted = true;
  redraw(st, view, layer.id);
  send(st, [view.id]);
}

function fillPart(st, view, k) {
  if (!k) {
    status(st, word(st, "fill_outside"));
    return;
  }
  const empty = paintedShare(st, view, k) >= 0.5;
  setPart(st, view, k, !empty);
  status(st, word(st, empty ? "emptied" : "filled",
    { region: st.names[k - 1] || word(st, "region"), layer: layerTitle(st, st.layer) }));
}

function undo(st) {
  const entry = st.undo.pop();
  updateUndoButton(st);
  if (!entry) return;
  const known = entry.layer === st.layer || specOf(st, entry.layer);
  if (!known) return; // a layer removed meanwhile
  for (const { id, image } of entry.views) {
    const view = st.views[id];
    const layer = layerOf(view, entry.layer);
    layer.ctx.putImageData(image, 0, 0);
    layer.painted = true; // checked when sent
    redraw(st, view, entry.layer);
  }
  status(st, word(st, "undone", { layer: layerTitle(st, entry.layer) }));
  send(st, entry.views.map((x) => x.id), entry.layer);
}

function clearLayer(st) {
  if (!st.order.length) return;
  pushUndo(st, st.order);
  for (const id of st.order) {
    const v = st.views[id];
    const layer = current(v, st);
    layer.ctx.clearRect(0, 0, v.w, v.h);
    layer.painted = false;
    redraw(st, v, layer.id);
  }
  status(st, word(st, "cleared", { layer: layerTitle(st, st.layer) }));
  send(st, st.order);
}

// ------------------------------------------------------------------------- keyboard
//
// Each view is a listbox (one tab stop) whose options are its regions, in the order of
// data.views[].order (head to feet, the patient's right before left); the active one is
// outlined on the figure and announced by name and share (aria-activedescendant).

function attachKeys(st, view) {
  const keys = view.keys;
  keys.tabIndex = 0;
  keys.setAttribute("role", "listbox");
  keys.setAttribute("aria-describedby", "bm-keys-help");
  keys.addEventListener("focus", () => {
    showRing(st, view, true);
    if (!st.keysTold) {
      st.keysTold = true;
      status(st, word(st, "keys_told"));
    }
  });
  keys.addEventListener("blur", () => showRing(st, view, false));
  keys.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !view.labels || !view.order.length) return;
    const k = view.order[view.focus];
    let handled = true;
    switch (e.key) {
      case "ArrowDown":
      case "ArrowRight":
        moveFocus(st, view, view.focus + 1);
        break;
      case "ArrowUp":
      case "ArrowLeft":
        moveFocus(st, view, view.focus - 1);
        break;
      case "Home":
        moveFocus(st, view, 0);
        break;
      case "End":
        moveFocus(st, view, view.order.length - 1);
        break;
      case " ":
      case "Enter":
        keyFill(st, view, k);
        break;
      case "+":
      case "=":
      case "PageUp":
        keyShare(st, view, k, +1);
        break;
      case "-":
      case "_":
      case "PageDown":
        keyShare(st, view, k, -1);
        break;
      case "Delete":
      case "Backspace":
        keyEmpty(st, view, k);
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  });
}

function buildOptions(st, view) {
  // Rebuilt when the names or shares change; the ids stay the same.
  view.keys.textContent = "";
  view.order.forEach((k, j) => {
    const o = document.createElement("div");
    o.id = `bm-${view.id}-${k}`;
    o.className = "bm-sr";
    o.setAttribute("role", "option");
    o.setAttribute("aria-selected", String(j === view.focus));
    o.textContent = optionText(st, k);
    view.keys.append(o);
  });
  if (view.order.length) {
    view.keys.setAttribute("aria-activedescendant", `bm-${view.id}-${view.order[view.focus]}`);
  }
}

function optionText(st, k) {
  const i = k - 1;
  const share = st.shares[i] || 0;
  return word(st, st.typed[i] !== undefined ? "option_typed" : "option",
    { region: partName(st, i), percent: percent(share) });
}

function updateOptions(st) {
  for (const view of Object.values(st.views)) {
    if (view.keys.childElementCount !== view.order.length) {
      buildOptions(st, view);
      continue;
    }
    view.order.forEach((k, j) => {
      const o = view.keys.children[j];
      const text = optionText(st, k);
      if (o.textContent !== text) o.textContent = text;
    });
  }
}

function moveFocus(st, view, j) {
  const n = view.order.length;
  view.focus = Math.max(0, Math.min(n - 1, j));
  view.order.forEach((k, m) => {
    const o = view.keys.children[m];
    if (o) o.setAttribute("aria-selected", String(m === view.focus));
  });
  view.keys.setAttribute("aria-activedescendant", `bm-${view.id}-${view.order[view.focus]}`);
  showRing(st, view, true);
}

function showRing(st, view, on) {
  const ring = view.ring;
  ring.textContent = "";
  if (!on || !view.order.length) return;
  const k = view.order[view.focus];
  const part = view.svg.querySelector(`path.part[data-part="${st.parts[k - 1]}"]`);
  if (!part) return;
  for (const cls of ["bm-ring-halo", "bm-ring-line"]) {
    const p = document.createElementNS(SVG_NS, "path");
    p.setAttribute("d", part.getAttribute("d"));
    p.setAttribute("class", cls);
    ring.append(p);
  }
}

function keyFill(st, view, k) {
  const i = k - 1;
  const typed = st.typed[i];
  const now = typed !== undefined ? typed : paintedShare(st, view, k);
  const on = now < 0.5;
  setPart(st, view, k, on);
  if (typed !== undefined) sendShare(st, i, null);
  status(st, word(st, on ? "filled" : "emptied",
    { region: st.names[i], layer: layerTitle(st, st.layer) }));
}

function keyEmpty(st, view, k) {
  const i = k - 1;
  if (paintedShare(st, view, k) > 0) setPart(st, view, k, false);
  if (st.typed[i] !== undefined) sendShare(st, i, null);
  status(st, word(st, "emptied", { region: st.names[i], layer: layerTitle(st, st.layer) }));
}

function keyShare(st, view, k, direction) {
  const i = k - 1;
  const now = st.typed[i] !== undefined ? st.typed[i] : st.shares[i] || 0;
  const steps = now / SHARE_STEP;
  const next = direction > 0 ? Math.floor(steps + 1e-6) + 1 : Math.ceil(steps - 1e-6) - 1;
  const share = Math.max(0, Math.min(1, Math.round(next) * SHARE_STEP));
  const rounded = Math.round(share * 1000) / 1000;
  sendShare(st, i, rounded);
  status(st, word(st, "typed_status",
    { region: st.names[i], percent: percent(rounded), layer: layerTitle(st, st.layer) }));
}

function sendShare(st, i, share) {
  // Shown at once; the server's answer (data.typed, data.shares) confirms it.
  if (share === null) delete st.typed[i];
  else st.typed[i] = share;
  drawTyped(st);
  st.seq += 1;
  st.setStateValue("share", {
    part: st.parts[i], share, layer: st.layer, seq: `${st.instance}-${st.seq}`,
  });
  pageGuards().unsaved = true;
}

// ------------------------------------------------------------------------- server

function encode(view, id) {
  // A layer's view as a PNG data URL; null for an empty layer other than the affected skin.
  const layer = layerOf(view, id);
  const px = layer.ctx.getImageData(0, 0, view.w, view.h).data;
  let any = false;
  for (let i = 3; i < px.length; i += 4) {
    if (px[i] > 127) {
      any = true;
      break;
    }
  }
  layer.painted = any;
  if (!any && id !== AFFECTED) return null;
  return layer.canvas.toDataURL("image/png");
}

function send(st, changed, id = st.layer) {
  st.urls[id] = st.urls[id] || {};
  for (const v of changed) st.urls[id][v] = encode(st.views[v], id);
  st.seq += 1;
  // seq is unique across remounts of the component (a new root starts counting again).
  const marks = { rev: st.rev, figure: st.figure, width: 0, height: 0, seq: `${st.instance}-${st.seq}`,
                  layers: {} };
  const ids = new Set([AFFECTED, ...st.layers.map((l) => l.id), st.layer]);
  for (const layerId of ids) {
    const urls = (st.urls[layerId] = st.urls[layerId] || {});
    const out = {};
    for (const v of st.order) {
      const view = st.views[v];
      marks.width = view.w;
      marks.height = view.h;
      if (urls[v] === undefined) urls[v] = encode(view, layerId);
      out[v] = urls[v];
    }
    if (layerId === AFFECTED) Object.assign(marks, out);
    else marks.layers[layerId] = out;
  }
  st.root.dataset.sent = String(st.seq);
  pageGuards().unsaved = true; // until the server says otherwise
  updateLegend(st);
  st.setStateValue("marks", marks);
}

async function restore(st, marks) {
  st.undo = [];
  updateUndoButton(st);
  st.urls = {};
  for (const id of st.order) {
    const v = st.views[id];
    for (const layer of Object.values(v.layers)) {
      layer.ctx.clearRect(0, 0, v.w, v.h);
      layer.painted = false;
      layer.dirty = true;
    }
  }
  for (const [layerId, urls] of Object.entries(marks || {})) {
    st.urls[layerId] = {};
    for (const id of st.order) {
      const v = st.views[id];
      const url = urls && urls[id];
      const layer = layerOf(v, layerId);
      if (url) {
        const bmp = await decodePng(url);
        layer.ctx.drawImage(bmp, 0, 0);
        layer.painted = true;
      }
      // What the server sent is what the browser holds: sent back as it is.
      st.urls[layerId][id] = url || (layerId === AFFECTED ? undefined : null);
    }
  }
}

function drawTyped(st) {
  // The typed shares of the layer being marked: hatched, with their percentage.
  for (const id of st.order) {
    const v = st.views[id];
    if (!v.labels) continue;
    const c = v.typed.getContext("2d");
    c.clearRect(0, 0, v.w, v.h);
    const keys = Object.keys(st.typed);
    if (!keys.length) continue;
    const img = c.createImageData(v.w, v.h);
    const px = img.data;
    const marked = [];
    for (const key of keys) {
      const k = Number(key) + 1;
      const idx = v.pixelsOf[k];
      if (!idx || !idx.length) continue;
      marked.push(k);
      for (let j = 0; j < idx.length; j++) {
        const i = idx[j];
        const x = i % v.w;
        const y = (i - x) / v.w;
        if ((x + y) % 10 < 3) {
          const o = i * 4;
          px[o] = TYPED[0];
          px[o + 1] = TYPED[1];
          px[o + 2] = TYPED[2];
          px[o + 3] = 230;
        }
      }
    }
    c.putImageData(img, 0, 0);
    c.font = "bold 22px sans-serif";
    c.textAlign = "center";
    c.textBaseline = "middle";
    c.lineWidth = 5;
    c.strokeStyle = "white";
    c.fillStyle = `rgb(${TYPED.join(",")})`;
    for (const k of marked) {
      const [x, y] = v.centre[k];
      const text = percent(st.typed[k - 1]);
      c.strokeText(text, x, y);
      c.fillText(text, x, y);
    }
  }
}

function showTotal(st, data) {
  const hint = st.root.querySelector(".bm-hint");
  hint.hidden = !data.empty;
  st.root.dataset.empty = data.empty ? "1" : "0";
  if (data.total === st.total) return;
  st.total = data.total;
  st.root.querySelector(".bm-total-value").textContent = data.total || "";
}

function update(st, data) {
  applyWords(st, data.words);
  const guards = pageGuards();
  guards.unsaved = Boolean(data.unsaved);
  st.root.dataset.unsaved = guards.unsaved ? "1" : "0";
  st.root.dataset.notice = data.notice ? "1" : "0";
  st.names = data.names || [];
  st.parts = data.parts || [];
  st.painted = data.painted || {};
  st.typed = data.typed || {};
  st.shares = data.shares || [];
  st.layers = data.layers || [];
  st.reasons = data.reasons || [];
  st.reasonNames = data.reason_names || {};
  st.layerTyped = data.layer_typed || {};
  // The server's layer counts once it has read our last choice (or we made none).
  const serverLayer = data.layer || AFFECTED;
  if (st.layerSent === null || data.layer_ack === st.layerSent) st.layer = serverLayer;
  showTotal(st, data);
  let ready = st.loading;
  const svgChanged =
    st.figure === data.figure &&
    data.views.some((v) => st.views[v.id] && st.views[v.id].svgHtml !== v.svg);
  if (st.figure !== data.figure || !ready) {
    st.figure = data.figure;
    st.rev = null;
    ready = buildViews(st, data);
  } else if (svgChanged) {
    for (const v of data.views) {
      const view = st.views[v.id];
      if (view && view.svgHtml !== v.svg) {
        view.svg.innerHTML = v.svg;
        view.svgHtml = v.svg;
      }
    }
  }
  for (const v of data.views) if (st.views[v.id]) nameView(st, st.views[v.id], v.title);
  syncLayers(st);
  chooseLayer(st, st.layer, false);
  updateOptions(st);
  const token = {};
  st.token = token;
  ready.then(async () => {
    if (st.token !== token) return;
    if (st.rev !== data.rev) {
      st.rev = data.rev;
      await restore(st, data.restore);
    }
    drawTyped(st);
    redrawAll(st);
    updateLegend(st);
    st.root.dataset.ready = "1";
    st.root.dataset.rev = String(st.rev);
    st.root.dataset.figure = st.figure;
  });
}

export default function (component) {
  const { parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".bm");
  if (!root || !component.data || typeof component.data.json !== "string") return;
  const data = JSON.parse(component.data.json);
  if (!root.__bsa) root.__bsa = init(root);
  const st = root.__bsa;
  st.setStateValue = setStateValue;
  update(st, data);
}
