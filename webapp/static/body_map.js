// Body map: paint affected skin on the front and back figures, with a pointer or the keys.
//
// The browser only paints. After every stroke (or fill, undo, clear) it sends each view's
// painted layer as a PNG data URL with setStateValue("marks", ...); the server decodes the
// alpha channel (> 127 = painted) and computes every number with the bsa package. A share
// set with the keyboard goes as setStateValue("share", {part, share, seq}).
//
// data (from Python, see webapp/body_map.py), sent as one JSON string in data.json:
//   figure, width, height   the figure id and the size of each view's label image [px]
//   rev                     bumped by the server when it replaces the marks (load, clear,
//                           new figure); marks sent back carry the rev they were drawn on
//   views                   [{id, title, svg, labels, order}]: the diagram SVG, the label
//                           image (grey PNG data URL: 0 outside, 1 + half index inside) and
//                           the halves in the order the arrow keys visit them (indices)
//   restore                 {view: PNG data URL or null}: marks to draw when rev changes
//   names, parts            the 33 halves' display names and ids (label value - 1 -> name)
//   painted                 {half index: painted fraction} as the server computed it
//   typed                   {half index: typed fraction}: shown hatched with their share
//   shares                  [33 fractions]: each half's share as the total counts it
//   total                   the total as the page shows it ("5.8%"), from the evaluation
//   empty                   true while nothing is painted or typed (the hint shows)
//   notice                  true while the age-change notice sits above the figure
//   unsaved                 true while marks or typed shares were neither saved as a visit
//                           nor downloaded as a session file (see pageGuards below)
//
// Structure: a view holds its label image, its diagram and its paint layer
// (view.layer: {id, canvas, ctx}); every tool draws on view.layer and send() reads it, so
// more layers can be added later as more entries of that kind.
//
// Per-instance state lives on the component's root node, so running this function again
// when data changes only updates what changed.

const PAINT = [213, 94, 0]; // Okabe-Ito vermillion: distinguishable with colour blindness
const TYPED = [0, 114, 178]; // Okabe-Ito blue
const UNDO_DEPTH = 20;
const SHARE_STEP = 0.1; // the + and - keys [fraction]

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
    notice("What you typed is being applied first. If the page then asks you to, prepare " +
      "the file again; otherwise click the download once more.");
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
    urls: {},
    names: [],
    parts: [],
    painted: {},
    typed: {},
    shares: [],
    total: null,
    loading: null,
    setStateValue: null,
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
  root.querySelector(".bm-clear").addEventListener("click", () => clearAll(st));
  root.addEventListener("keydown", (e) => {
    if (e.target && e.target.tagName === "INPUT") return;
    if ((e.ctrlKey || e.metaKey) && e.key === "z") {
      undo(st);
      e.preventDefault();
    } else if (e.ctrlKey || e.metaKey || e.altKey) {
      return;
    } else if (e.key === "p") setTool(st, "paint");
    else if (e.key === "e") setTool(st, "erase");
    else if (e.key === "f") setTool(st, "fill");
  });
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
    status(st, finger === "mark"
      ? "A finger now marks the figure; choose Scroll to move the page."
      : "A finger now scrolls the page; it does not mark the figure.");
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
    cap.textContent = v.title;
    const stack = document.createElement("div");
    stack.className = "bm-stack";
    stack.style.aspectRatio = `${w} / ${h}`;
    const svg = document.createElement("div");
    svg.className = "bm-svg";
    svg.innerHTML = v.svg; // our own package's SVG (trusted), never user text
    const layer = makeLayer(v, "marks", w, h);
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
    stack.append(svg, layer.canvas, typed, ring, cursor, keys);
    box.append(stack, cap);
    host.append(box);
    const view = {
      id: v.id,
      title: v.title,
      svgHtml: v.svg,
      box,
      svg,
      layer,
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
      w,
      h,
    };
    st.views[v.id] = view;
    st.order.push(v.id);
    attachPointer(st, view);
    attachKeys(st, view);
  }
  showView(st, st.views[st.shown] ? st.shown : st.order[0]);
  st.loading = Promise.all(data.views.map((v) => loadLabels(st.views[v.id], v.labels)));
  return st.loading;
}

function makeLayer(v, id, w, h) {
  const canvas = makeCanvas(w, h, "bm-paint");
  canvas.dataset.view = v.id;
  canvas.dataset.layer = id;
  canvas.setAttribute("aria-hidden", "true"); // the regions are reached with the keys
  return { id, canvas, ctx: canvas.getContext("2d", { willReadFrequently: true }) };
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
  const r = view.layer.canvas.getBoundingClientRect();
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

function describe(st, k) {
  if (!k) return "Outside the body";
  const i = k - 1;
  const name = st.names[i] || `part ${i}`;
  const bits = [];
  const painted = st.painted[i];
  if (painted !== undefined) bits.push(`${percent(painted)} painted`);
  if (st.typed[i] !== undefined) bits.push(`typed share ${percent(st.typed[i])} is used`);
  return bits.length ? `${name}: ${bits.join(", ")}` : name;
}

// ------------------------------------------------------------------------- painting

function pushUndo(st, viewIds) {
  st.undo.push(viewIds.map((id) => {
    const v = st.views[id];
    return { id, image: v.layer.ctx.getImageData(0, 0, v.w, v.h) };
  }));
  if (st.undo.length > UNDO_DEPTH) st.undo.shift();
  updateUndoButton(st);
}

function updateUndoButton(st) {
  st.root.querySelector(".bm-undo").disabled = st.undo.length === 0;
}

function attachPointer(st, view) {
  const canvas = view.layer.canvas;
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
    const c = view.layer.ctx;
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
  };

  canvas.addEventListener("pointerdown", (e) => {
    if (!view.labels || e.button > 0 || drawing) return;
    if (e.pointerType === "touch" && !st.touch) setTouch(st, true);
    const p = moveCursor(e);
    if (e.pointerType === "touch" && st.finger !== "mark") {
      // The page scrolls; a finger never marks in this mode.
      status(st, `${describe(st, labelAt(view, p))}. A finger scrolls: choose \u261d Mark to mark with it.`);
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
    clipToBody(view);
    send(st, [view.id]);
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("pointerleave", () => {
    view.cursor.hidden = true;
  });
  canvas.addEventListener("pointerenter", (e) => moveCursor(e));
}

function clipToBody(view) {
  // Paint outside the body does not count; clip it away so the figure shows what counts.
  const c = view.layer.ctx;
  c.save();
  c.globalCompositeOperation = "destination-in";
  c.drawImage(view.silhouette, 0, 0);
  c.restore();
}

function paintedShare(view, k) {
  const idx = view.pixelsOf[k];
  const px = view.layer.ctx.getImageData(0, 0, view.w, view.h).data;
  let painted = 0;
  for (let j = 0; j < idx.length; j++) if (px[idx[j] * 4 + 3] > 127) painted++;
  return idx.length ? painted / idx.length : 0;
}

function setPart(st, view, k, on) {
  // Paint (on) or erase every pixel of one half, as one undoable change.
  const idx = view.pixelsOf[k];
  pushUndo(st, [view.id]);
  const img = view.layer.ctx.getImageData(0, 0, view.w, view.h);
  const px = img.data;
  for (let j = 0; j < idx.length; j++) {
    const o = idx[j] * 4;
    px[o] = PAINT[0];
    px[o + 1] = PAINT[1];
    px[o + 2] = PAINT[2];
    px[o + 3] = on ? 255 : 0;
  }
  view.layer.ctx.putImageData(img, 0, 0);
  send(st, [view.id]);
}

function fillPart(st, view, k) {
  if (!k) {
    status(st, "Outside the body: click inside a region to fill it.");
    return;
  }
  const empty = paintedShare(view, k) >= 0.5;
  setPart(st, view, k, !empty);
  status(st, `${st.names[k - 1] || "Region"}: ${empty ? "emptied" : "filled"}`);
}

function undo(st) {
  const entry = st.undo.pop();
  updateUndoButton(st);
  if (!entry) return;
  for (const { id, image } of entry) st.views[id].layer.ctx.putImageData(image, 0, 0);
  status(st, "Last change undone");
  send(st, entry.map((x) => x.id));
}

function clearAll(st) {
  if (!st.order.length) return;
  pushUndo(st, st.order);
  for (const id of st.order) {
    const v = st.views[id];
    v.layer.ctx.clearRect(0, 0, v.w, v.h);
  }
  status(st, "All marks cleared (Undo brings them back)");
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
  keys.setAttribute("aria-label", `${view.title} figure, regions`);
  keys.setAttribute("aria-describedby", "bm-keys-help");
  keys.addEventListener("focus", () => {
    showRing(st, view, true);
    if (!st.keysTold) {
      st.keysTold = true;
      status(st, "Arrow keys: next region. Space: fill or empty. + and \u2212: share in steps of 10%. Delete: empty.");
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
  const name = st.names[i] || `part ${i}`;
  const share = st.shares[i] || 0;
  const typed = st.typed[i] !== undefined ? " (typed share)" : "";
  return `${name}: ${percent(share)} marked${typed}`;
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
  const current = typed !== undefined ? typed : paintedShare(view, k);
  const on = current < 0.5;
  setPart(st, view, k, on);
  if (typed !== undefined) sendShare(st, i, null);
  status(st, `${st.names[i]}: ${on ? "filled" : "emptied"}`);
}

function keyEmpty(st, view, k) {
  const i = k - 1;
  if (paintedShare(view, k) > 0) setPart(st, view, k, false);
  if (st.typed[i] !== undefined) sendShare(st, i, null);
  status(st, `${st.names[i]}: emptied`);
}

function keyShare(st, view, k, direction) {
  const i = k - 1;
  const current = st.typed[i] !== undefined ? st.typed[i] : st.shares[i] || 0;
  const steps = current / SHARE_STEP;
  const next = direction > 0 ? Math.floor(steps + 1e-6) + 1 : Math.ceil(steps - 1e-6) - 1;
  const share = Math.max(0, Math.min(1, Math.round(next) * SHARE_STEP));
  const rounded = Math.round(share * 1000) / 1000;
  sendShare(st, i, rounded);
  status(st, `${st.names[i]}: typed share ${percent(rounded)}`);
}

function sendShare(st, i, share) {
  // Shown at once; the server's answer (data.typed, data.shares) confirms it.
  if (share === null) delete st.typed[i];
  else st.typed[i] = share;
  drawTyped(st);
  st.seq += 1;
  st.setStateValue("share", { part: st.parts[i], share, seq: `${st.instance}-${st.seq}` });
  pageGuards().unsaved = true;
}

// ------------------------------------------------------------------------- server

function send(st, changed) {
  for (const id of changed) st.urls[id] = st.views[id].layer.canvas.toDataURL("image/png");
  st.seq += 1;
  // seq is unique across remounts of the component (a new root starts counting again).
  const marks = { rev: st.rev, figure: st.figure, width: 0, height: 0, seq: `${st.instance}-${st.seq}` };
  for (const id of st.order) {
    marks.width = st.views[id].w;
    marks.height = st.views[id].h;
    if (!st.urls[id]) st.urls[id] = st.views[id].layer.canvas.toDataURL("image/png");
    marks[id] = st.urls[id];
  }
  st.root.dataset.sent = String(st.seq);
  pageGuards().unsaved = true; // until the server says otherwise
  st.setStateValue("marks", marks);
}

async function restore(st, masks) {
  st.undo = [];
  updateUndoButton(st);
  for (const id of st.order) {
    const v = st.views[id];
    v.layer.ctx.clearRect(0, 0, v.w, v.h);
    const url = masks && masks[id];
    if (url) {
      const bmp = await decodePng(url);
      v.layer.ctx.drawImage(bmp, 0, 0);
    }
    st.urls[id] = null;
  }
}

function drawTyped(st) {
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
  const guards = pageGuards();
  guards.unsaved = Boolean(data.unsaved);
  st.root.dataset.unsaved = guards.unsaved ? "1" : "0";
  st.root.dataset.notice = data.notice ? "1" : "0";
  st.names = data.names || [];
  st.parts = data.parts || [];
  st.painted = data.painted || {};
  st.typed = data.typed || {};
  st.shares = data.shares || [];
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
