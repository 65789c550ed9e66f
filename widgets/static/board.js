// The board engine shared by every manipulative: drawing, drag and drop by mouse, touch
// and pen, snapping, selection, keyboard, undo and redo, toolbar, readout, autosave.
// The browser owns the hand; Python owns the mathematics. This module computes no maths and
// holds no rule: it draws what Python describes (each piece's look, the guides, the toolbar),
// moves and removes pieces, and sends the whole piece list to Python when a gesture ends.
// Anything that creates a value or a structure (a tap's flip, a zero pair, a split, a label)
// is an action Python carries out, sent with the pupil's raw words.
//
// This module is the whole front end of a manipulative with no special gesture. One that has
// one (the bar model's resize handle) imports mountBoard and passes `gesture(board, svg)`.

const SVG_NS = "http://www.w3.org/2000/svg";
const TAP_PX = 8; // a press that moves less than this, in screen pixels, is a tap
const EDGE_SNAP = 14; // board units within which an edge snaps to a neighbour's edge
const HISTORY_LIMIT = 200;

export function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text; // text, never markup
  return node;
}

export function htmlEl(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

// Where a piece of size [w, h] goes when the hand puts its centre at (x, y): on the board, and on
// a grid's points when the board has a grid. The grid's points are `origin` plus whole steps (a
// board whose columns are a step wide puts its points at the columns' middles, not their edges).
export function place([w, h], x, y, { width, height, grid, origin = [0, 0] }) {
  if (grid > 0) {
    const step = (v, half, size, o) =>
      clamp(Math.round((v - o) / grid), Math.ceil((half - o) / grid), Math.floor((size - half - o) / grid)) * grid + o;
    return [step(x, w / 2, width, origin[0]), step(y, h / 2, height, origin[1])];
  }
  return [clamp(x, w / 2, width - w / 2), clamp(y, h / 2, height - h / 2)];
}

// Edge-to-edge snapping for boards without a grid: the smallest nudge, on each axis, that lays an
// edge of a moved piece against or in line with an edge of a piece that stayed (within EDGE_SNAP).
export function nudge(moved, others, sizeOf) {
  let best = [EDGE_SNAP + 1, EDGE_SNAP + 1];
  for (const m of moved) {
    const [mw, mh] = sizeOf(m);
    for (const o of others) {
      const [ow, oh] = sizeOf(o);
      const nearX = Math.abs(m.y - o.y) < (mh + oh) / 2 + EDGE_SNAP;
      const nearY = Math.abs(m.x - o.x) < (mw + ow) / 2 + EDGE_SNAP;
      for (const [axis, near, mine, theirs] of [[0, nearX, mw, ow], [1, nearY, mh, oh]]) {
        if (!near) continue;
        const c = axis === 0 ? o.x : o.y;
        const p = axis === 0 ? m.x : m.y;
        for (const target of [c - (mine + theirs) / 2, c + (mine + theirs) / 2, c - (theirs - mine) / 2, c + (theirs - mine) / 2]) {
          if (Math.abs(target - p) < Math.abs(best[axis])) best[axis] = target - p;
        }
      }
    }
  }
  return best.map((d) => (Math.abs(d) <= EDGE_SNAP ? d : 0));
}

// A manipulative's own gesture: one pointer followed from a press on `handle` until it is let go.
// move(e) on each move; end(e, kept) at the end (kept is false when the gesture was cancelled).
// The board's own drag and lasso never see these events.
export function follow(handle, event, move, end) {
  event.stopPropagation();
  event.preventDefault();
  handle.setPointerCapture(event.pointerId);
  const onMove = (e) => {
    e.stopPropagation();
    move(e);
  };
  const finish = (e, kept) => {
    e.stopPropagation();
    handle.removeEventListener("pointermove", onMove);
    handle.removeEventListener("pointerup", up);
    handle.removeEventListener("pointercancel", cancel);
    end(e, kept);
  };
  const up = (e) => finish(e, true);
  const cancel = (e) => finish(e, false);
  handle.addEventListener("pointermove", onMove);
  handle.addEventListener("pointerup", up);
  handle.addEventListener("pointercancel", cancel);
}

// The attributes each shape of a look may carry (widgets/_look.py describes the vocabulary).
const SHAPES = {
  rect: ["x", "y", "width", "height", "rx"],
  circle: ["cx", "cy", "r"],
  line: ["x1", "y1", "x2", "y2"],
  path: ["d"],
  text: ["x", "y"],
  group: [],
};

// One shape of a look, as Python described it, drawn as SVG: the same description to_svg() writes.
export function drawShape(node) {
  const kind = node && SHAPES[node.shape] ? node.shape : null;
  if (!kind) return svgEl("g");
  const attrs = {};
  for (const key of SHAPES[kind]) if (key in node) attrs[key] = node[key];
  if (typeof node.class === "string") attrs.class = node.class;
  if (kind === "group") {
    if (Array.isArray(node.at)) attrs.transform = `translate(${Number(node.at[0])} ${Number(node.at[1])})`;
    const g = svgEl("g", attrs);
    for (const child of node.children || []) g.append(drawShape(child));
    return g;
  }
  return svgEl(kind, attrs, kind === "text" ? String(node.text ?? "") : undefined);
}

// --- autosave: each board kept in this browser, so a reload or a lost kernel loses no work ------
// A board's pieces are written to localStorage after every change that reaches the model (a
// gesture, an undo, an answer from Python), keyed by the page (one lesson) and the board's name,
// or its place among the page's outputs when it has none. A board at its start keeps nothing.
// When the page comes back, each board offers its saved pieces to Python once, as any change
// from the browser: Python checks them, and a refusal puts Python's state back (saved in turn).

const AUTOSAVE_KEY = "mastery-notebooks/board/v1"; // the payload's version is in the key and the payload
const AUTOSAVE_VERSION = 1;
// Keys offered once in this page already (shared by every manipulative's module): a board shown
// again, or run again in JupyterLab, starts as Python made it.
const offered = (globalThis[Symbol.for("mastery-notebooks/autosave")] ??= new Set());

// JSON with each object's keys sorted, so equal pieces compare equal however they were built.
export function canonical(value) {
  return JSON.stringify(value, (key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

// A short fingerprint of a text (cyrb53): enough to tell one starting arrangement from another.
export function fingerprint(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

// localStorage may be missing, disabled, full or private: then nothing is kept, and the board works.
function storage() {
  try {
    return globalThis.localStorage || null;
  } catch {
    return null;
  }
}

// When the store is full, the oldest half of the boards saved by this kit make room; then try once more.
function writeOrMakeRoom(store, key, text) {
  try {
    store.setItem(key, text);
    return;
  } catch {}
  try {
    const ours = [];
    for (let i = 0; i < store.length; i++) {
      const k = store.key(i);
      if (k && k.startsWith(AUTOSAVE_KEY) && k !== key) {
        let at = 0;
        try {
          at = Number(JSON.parse(store.getItem(k)).at) || 0;
        } catch {}
        ours.push([at, k]);
      }
    }
    ours.sort((a, b) => a[0] - b[0]);
    for (const [, k] of ours.slice(0, Math.ceil(ours.length / 2))) store.removeItem(k);
    store.setItem(key, text);
  } catch {}
}

function autosaver(model, el, root) {
  let key = null;
  const start = () => canonical(model.get("_start") || []);

  // The board's slot in the page: its name, else its place among the outputs around it.
  function keyOf() {
    if (key) return key;
    const name = model.get("name");
    let slot = name ? `name:${name}` : null;
    if (!slot) {
      if (!el.isConnected) return null;
      const scope = el.closest(".jp-Notebook") || document;
      const output = el.closest(".jp-OutputArea-output");
      const place = output
        ? [...scope.querySelectorAll(".jp-OutputArea-output")].indexOf(output)
        : [...scope.querySelectorAll(".mn-board")].indexOf(root);
      slot = `place:${place}`;
    }
    key = `${AUTOSAVE_KEY} ${JSON.stringify([location.pathname, slot])}`;
    return key;
  }

  function forget() {
    const store = storage();
    const k = keyOf();
    try {
      if (store && k) store.removeItem(k);
    } catch {}
  }

  function save(list) {
    const store = storage();
    const k = keyOf();
    if (!store || !k) return;
    const first = start();
    if (canonical(list) === first) return forget(); // back at the start: nothing to keep
    writeOrMakeRoom(store, k, JSON.stringify({ v: AUTOSAVE_VERSION, start: fingerprint(first), at: Date.now(), pieces: list }));
  }

  // The saved pieces for this board, once per page; null when there are none to offer.
  function saved(current) {
    const store = storage();
    const k = keyOf();
    if (!store || !k || offered.has(k)) return null;
    offered.add(k);
    let entry = null;
    try {
      const text = store.getItem(k);
      if (text === null) return null;
      entry = JSON.parse(text);
    } catch {}
    // Python checks every piece; here only what the engine needs to draw without failing.
    const drawable =
      Array.isArray(entry?.pieces) &&
      entry.pieces.length <= ((model.get("limits") || {}).pieces || 0) && // Python's own limit
      entry.pieces.every((p) => p && typeof p === "object" && !Array.isArray(p));
    if (!drawable || entry.v !== AUTOSAVE_VERSION) {
      forget(); // unreadable: nothing to offer, ever
      return null;
    }
    // Saved for another starting arrangement (the lesson was edited, or in JupyterLab another
    // notebook shares the address): not this board's work. It stays until this board saves.
    if (entry.start !== fingerprint(start())) return null;
    return canonical(entry.pieces) === canonical(current) ? null : entry.pieces;
  }

  return { save, forget, saved, placed: () => keyOf() !== null };
}

export function mountBoard({ model, el, gesture = null }) {
  const root = htmlEl("div", "mn-board");
  const toolbar = htmlEl("div", "mn-toolbar");
  toolbar.setAttribute("role", "toolbar");
  const stage = htmlEl("div", "mn-stage");
  const svg = svgEl("svg", { class: "mn-svg", role: "application", tabindex: -1 });
  const background = svgEl("rect", { class: "mn-bg", rx: 12 });
  const guideLayer = svgEl("g", { class: "mn-guides" });
  const pieceLayer = svgEl("g", { class: "mn-pieces" });
  const dragLayer = svgEl("g", { class: "mn-dragging" });
  const lasso = svgEl("rect", { class: "mn-lasso", visibility: "hidden" });
  const inkLayer = svgEl("g", { class: "mn-ink-layer" }); // the pen's strokes, above the pieces
  svg.append(background, guideLayer, pieceLayer, inkLayer, dragLayer, lasso);
  stage.append(svg);
  const readout = htmlEl("div", "mn-readout");
  const headline = htmlEl("div", "mn-headline");
  const spoken = htmlEl("div", "mn-spoken"); // what a screen reader says after each change: Python's words
  spoken.setAttribute("aria-live", "polite");
  const facts = htmlEl("div", "mn-facts");
  const message = htmlEl("div", "mn-message");
  message.setAttribute("role", "status");
  let hint = ""; // the hand's own word (which pieces a tool needs); never Python's message
  readout.append(headline, facts);
  const body = htmlEl("div", "mn-body");
  body.append(stage, readout);
  root.append(toolbar, message, body, spoken);
  root.setAttribute("role", "group");
  el.append(root);
  const autosave = autosaver(model, el, root);

  const elements = new Map(); // piece id -> its <g>
  const selected = new Set();
  const gestures = new Map(); // pointerId -> a drag or a lasso under way
  let history = [];
  let at = -1; // index in history of what the board shows
  let tidying = false; // a commit went to Python, which may answer with it tidied (laid out, snapped)

  const pieces = () => model.get("pieces") || [];
  // What a manipulative's drawing and tools may use: the pieces, the selection, a way to
  // commit a new piece list (one gesture), and a way to ask Python for an action.
  const board = {
    model,
    pieces,
    selected: () => new Set(selected),
    commit: (list) => commit(list),
    send: (action, details = {}) => {
      tidying = false;
      if (hint) {
        hint = "";
        drawReadout();
      }
      try {
        model.send({ action, ...details });
      } catch {
        hint = "The board will answer when the lesson is connected again."; // Python is away: nothing is lost
        drawReadout();
      }
    },
  };
  const lookOf = (piece) => (model.get("looks") || [])[(model.get("look_of") || {})[piece.id]];
  const sizeOf = (piece) => {
    const [kw, kh] = (model.get("sizes") || {})[piece.kind] || [40, 40];
    const [w, h] = [Number.isFinite(piece.w) ? piece.w : kw, Number.isFinite(piece.h) ? piece.h : kh]; // a piece may carry its own size
    return piece.rot === 90 || piece.rot === 270 ? [h, w] : [w, h]; // a quarter turn swaps width and height
  };
  const byId = (id) => pieces().find((p) => p.id === id);

  // --- drawing -----------------------------------------------------------------------------

  function drawGuides() {
    guideLayer.replaceChildren(...(model.get("backdrop") || []).map(drawShape));
  }

  function drawFrame() {
    const w = model.get("width");
    const h = model.get("height");
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    background.setAttribute("width", w);
    background.setAttribute("height", h);
    drawGuides();
  }

  function drawPiece(piece) {
    let node = elements.get(piece.id);
    if (!node) {
      node = svgEl("g", { class: "mn-piece", tabindex: 0, role: "button" });
      node.dataset.id = piece.id;
      elements.set(piece.id, node);
      pieceLayer.append(node);
    }
    const drawn = lookOf(piece);
    const [w, h] = sizeOf(piece);
    const key = `${w} ${h} ${JSON.stringify(drawn)}`;
    if (node.dataset.look !== key) {
      const halo = svgEl("rect", { class: "mn-halo", x: -w / 2 - 6, y: -h / 2 - 6, width: w + 12, height: h + 12, rx: 10 });
      node.replaceChildren(halo, ...drawn.shapes.map(drawShape));
      node.setAttribute("aria-label", drawn.name);
      node.dataset.look = key;
    }
    node.setAttribute("transform", `translate(${piece.x} ${piece.y})`);
    node.classList.toggle("mn-selected", selected.has(piece.id));
    return node;
  }

  function render() {
    const list = pieces().filter((p) => lookOf(p)); // a piece Python has not drawn yet waits for its look
    const live = new Set(list.map((p) => p.id));
    let lostFocus = null; // the place of a focused piece that left the board, to keep the keyboard near it
    for (const [id, node] of elements) {
      if (!live.has(id)) {
        if (node.contains(document.activeElement)) lostFocus = lastPlace.get(id) || null;
        node.remove();
        elements.delete(id);
        selected.delete(id);
      }
    }
    for (const p of list) lastPlace.set(p.id, p);
    const dragged = draggedIds();
    const order = list.map((p) => (dragged.has(p.id) ? elements.get(p.id) : drawPiece(p)));
    const inLayer = order.filter((node) => node && node.parentNode === pieceLayer);
    if (inLayer.some((node, i) => pieceLayer.children[i] !== node)) {
      const focused = document.activeElement;
      pieceLayer.append(...inLayer); // the list's order is the z-order
      if (focused && focused !== document.activeElement && inLayer.includes(focused)) focused.focus();
    }
    if (lostFocus) keepKeyboardNear(lostFocus);
    updateButtons(); // a removed piece is no longer selected: Remove may have nothing to remove
    drawReadout();
  }

  // When the focused piece leaves (a zero pair made by an arrow key, a split), the keyboard stays
  // in the board, on the piece nearest to where it was, or on the board itself.
  const lastPlace = new Map();
  function keepKeyboardNear(place) {
    let nearest = null;
    for (const p of pieces()) {
      const d = Math.hypot(p.x - place.x, p.y - place.y);
      if (elements.has(p.id) && (!nearest || d < nearest.d)) nearest = { id: p.id, d };
    }
    (nearest ? elements.get(nearest.id) : svg).focus();
  }

  function drawReadout() {
    const r = model.get("readout") || {};
    headline.textContent = r.headline || "";
    if (spoken.textContent !== (r.words || "")) spoken.textContent = r.words || "";
    root.setAttribute("aria-label", r.words ? `Board: ${r.words}` : "Board");
    svg.setAttribute("aria-label", "The board's pieces: Tab to a piece, arrows move it, Enter taps it");
    facts.replaceChildren();
    if (r.waiting && !(model.get("teacher_only") || []).includes("reveal_readout")) {
      // The board keeps its mathematics to itself until someone asks: Python sent none of it.
      const show = htmlEl("button", "mn-tool mn-show-maths", "Show the maths");
      show.type = "button";
      show.addEventListener("click", () => board.send("reveal_readout"));
      facts.append(show);
    }
    for (const [name, value] of r.facts || []) {
      const row = htmlEl("div", "mn-fact");
      row.append(htmlEl("span", "mn-fact-name", name), htmlEl("span", "mn-fact-value", value));
      facts.append(row);
    }
    const why = hint || model.get("message") || "";
    message.textContent = why;
    message.hidden = !why;
  }

  // --- history: undo and redo keep whole piece lists, in the browser -------------------------

  function remember() {
    const now = JSON.stringify(pieces());
    if (history[at] === now) return;
    if (tidying && history[at - 1] === now) {
      // Python refused what was committed and put the board back: that change is not history. (After
      // an action, such as a second tap that undoes the first, the same list is a step of its own.)
      at -= 1;
      history.length = at + 1;
    } else if (tidying && at >= 0) {
      history[at] = now; // Python tidied what was committed: the tidy list is that step
      history.length = at + 1;
    } else {
      history = history.slice(0, at + 1);
      history.push(now);
      if (history.length > HISTORY_LIMIT) history.shift();
      at = history.length - 1;
    }
    updateButtons();
  }

  function commit(list) {
    tidying = false;
    if (hint) {
      hint = "";
      drawReadout();
    }
    model.set("pieces", list); // the change handler below records it and draws it
    tidying = true;
    model.save_changes(); // one message per gesture, never one per pointer move
    render(); // also when nothing changed, to settle a drag that came back where it began
  }

  function travel(step) {
    const target = at + step;
    if (target < 0 || target >= history.length) return;
    at = target;
    tidying = false;
    model.set("pieces", JSON.parse(history[at]));
    model.save_changes();
    render();
    updateButtons();
  }

  // --- moving pieces -------------------------------------------------------------------------

  function toBoard(event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const matrix = svg.getScreenCTM();
    return matrix ? point.matrixTransform(matrix.inverse()) : { x: 0, y: 0 };
  }

  const frame = () => ({
    width: model.get("width"),
    height: model.get("height"),
    grid: model.get("grid"),
    origin: model.get("grid_origin") || [0, 0],
  });
  const placeWithin = (piece, x, y) => place(sizeOf(piece), x, y, frame());
  const edgeNudge = (moved, others) => nudge(moved, others, sizeOf);

  function moveBy(ids, dx, dy) {
    const list = pieces();
    const moving = list.filter((p) => ids.has(p.id));
    let moved = moving.map((p) => {
      const [x, y] = placeWithin(p, p.x + dx, p.y + dy);
      return { ...p, x, y };
    });
    if (!(model.get("grid") > 0)) {
      const [nx, ny] = edgeNudge(moved, list.filter((p) => !ids.has(p.id)));
      moved = moved.map((p) => {
        const [x, y] = placeWithin(p, p.x + nx, p.y + ny);
        return { ...p, x, y };
      });
    }
    // Moved pieces come to the top, in the order they had.
    return [...list.filter((p) => !ids.has(p.id)), ...moved];
  }

  // Shift+arrow beside a piece it touches, on a board without a grid: the move that puts the piece just
  // past that neighbour (a bar's part changes places with the next in one press; three steps would not
  // reach past a wide part, and the layout would put it back).
  function hopPast(piece, dx, dy) {
    const [w, h] = sizeOf(piece);
    for (const other of pieces()) {
      if (other.id === piece.id) continue;
      const [ow, oh] = sizeOf(other);
      const gap = dx ? (other.x - piece.x) * dx - (w + ow) / 2 : (other.y - piece.y) * dy - (h + oh) / 2;
      const beside = dx ? Math.abs(other.y - piece.y) < (h + oh) / 2 : Math.abs(other.x - piece.x) < (w + ow) / 2;
      if (beside && Math.abs(gap) <= 1) return dx ? [dx * (w + ow + gap), 0] : [0, dy * (h + oh + gap)];
    }
    return null;
  }

  function draggedIds() {
    const ids = new Set();
    for (const g of gestures.values()) if (g.type === "drag") for (const id of g.ids) ids.add(id);
    return ids;
  }

  // A tap: Python's action for the pieces it names (a flip), else the piece is selected (touch has no shift).
  function act(id, before = selected) {
    const piece = byId(id);
    if (!piece) return;
    if ((model.get("taps") || []).includes(piece.kind)) return board.send("tap", { id });
    const next = new Set(before);
    next.has(id) ? next.delete(id) : next.add(id);
    setSelection(next);
  }

  function remove(ids) {
    if (!ids.size) return;
    commit(pieces().filter((p) => !ids.has(p.id)));
    for (const id of ids) selected.delete(id);
  }

  function setSelection(ids) {
    selected.clear();
    for (const id of ids) selected.add(id);
    for (const [id, node] of elements) node.classList.toggle("mn-selected", selected.has(id));
    updateButtons();
  }

  // --- the pen: strokes drawn by the hand, kept by Python as annotation ------------------------------

  let mode = "hand"; // "hand" moves pieces; "pen" draws; "eraser" rubs out a stroke
  function drawInk() {
    inkLayer.replaceChildren(...(model.get("overlay") || []).map(drawShape));
  }
  function beginStroke(event, start) {
    const path = svgEl("path", { class: "mn-ink mn-ink-live" }); // the hand's feedback; Python's stroke replaces it
    inkLayer.append(path);
    gestures.set(event.pointerId, { type: "ink", points: [[start.x, start.y]], path });
  }
  function rubOut(at) {
    board.send("erase", { x: Math.round(at.x * 10) / 10, y: Math.round(at.y * 10) / 10 });
  }

  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    const node = event.target.closest(".mn-piece");
    const start = toBoard(event);
    const onPiece = node && elements.get(node.dataset.id) === node;
    // A pen draws wherever it starts off the pieces, with no tool chosen; on a piece it moves it.
    if (mode === "pen" || (event.pointerType === "pen" && mode === "hand" && !onPiece)) {
      beginStroke(event, start);
    } else if (mode === "eraser") {
      gestures.set(event.pointerId, { type: "eraser", last: start });
      rubOut(start);
    } else if (onPiece) {
      const id = node.dataset.id;
      if (draggedIds().has(id)) return; // another finger holds it
      if (event.shiftKey || event.ctrlKey || event.metaKey) {
        const next = new Set(selected);
        next.has(id) ? next.delete(id) : next.add(id);
        setSelection(next);
        event.preventDefault();
        return;
      }
      const ids = selected.has(id) ? new Set([...selected].filter((s) => !draggedIds().has(s))) : new Set([id]);
      const before = new Set(selected);
      if (!selected.has(id)) setSelection([]);
      gestures.set(event.pointerId, { type: "drag", id, ids, before, start, sx: event.clientX, sy: event.clientY, layer: null });
    } else {
      gestures.set(event.pointerId, { type: "lasso", start, sx: event.clientX, sy: event.clientY });
    }
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });

  svg.addEventListener("pointermove", (event) => {
    const g = gestures.get(event.pointerId);
    if (!g) return;
    const far = Math.hypot(event.clientX - g.sx, event.clientY - g.sy) >= TAP_PX;
    const now = toBoard(event);
    if (g.type === "ink") {
      const [lx, ly] = g.points[g.points.length - 1];
      if (Math.hypot(now.x - lx, now.y - ly) < 2) return; // a still pen adds nothing
      g.points.push([now.x, now.y]);
      g.path.setAttribute("d", "M" + g.points.map(([x, y]) => `${x} ${y}`).join(" L"));
      return;
    }
    if (g.type === "eraser") {
      if (Math.hypot(now.x - g.last.x, now.y - g.last.y) >= 20) {
        g.last = now;
        rubOut(now);
      }
      return;
    }
    if (g.type === "drag") {
      if (!g.layer && far) {
        // Lift the dragged pieces into a layer of their own: one transform per frame moves them all.
        g.layer = svgEl("g", { class: "mn-lifted" });
        dragLayer.append(g.layer);
        for (const id of g.ids) if (elements.has(id)) g.layer.append(elements.get(id));
      }
      if (g.layer) g.layer.setAttribute("transform", `translate(${now.x - g.start.x} ${now.y - g.start.y})`);
    } else if (far || g.shown) {
      g.shown = true;
      lasso.setAttribute("visibility", "visible");
      lasso.setAttribute("x", Math.min(g.start.x, now.x));
      lasso.setAttribute("y", Math.min(g.start.y, now.y));
      lasso.setAttribute("width", Math.abs(now.x - g.start.x));
      lasso.setAttribute("height", Math.abs(now.y - g.start.y));
    }
  });

  function endGesture(event, cancelled) {
    const g = gestures.get(event.pointerId);
    if (!g) return;
    gestures.delete(event.pointerId);
    const end = toBoard(event);
    if (g.type === "ink") {
      if (cancelled) return void g.path.remove();
      const most = model.get("limits").points;
      const every = Math.ceil(g.points.length / most); // a long stroke is thinned to what Python keeps
      const points = g.points.filter((_, i) => i % every === 0 || i === g.points.length - 1).slice(-most);
      board.send("ink", { points: points.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10]) });
      return;
    }
    if (g.type === "eraser") return;
    if (g.type === "drag") {
      if (g.layer) {
        for (const node of [...g.layer.children]) pieceLayer.append(node);
        g.layer.remove();
      }
      if (cancelled) return render();
      if (!g.layer) return act(g.id, g.before); // a tap: the piece's own action, such as a flip
      const moved = moveBy(g.ids, end.x - g.start.x, end.y - g.start.y);
      commit(moved); // what the drop means (a zero pair, another row, the nearest free point) is Python's
    } else {
      lasso.setAttribute("visibility", "hidden");
      if (cancelled) return;
      const [x0, x1] = [Math.min(g.start.x, end.x), Math.max(g.start.x, end.x)];
      const [y0, y1] = [Math.min(g.start.y, end.y), Math.max(g.start.y, end.y)];
      const inside = g.shown ? pieces().filter((p) => p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1) : [];
      setSelection(inside.map((p) => p.id));
    }
  }

  svg.addEventListener("pointerup", (event) => endGesture(event, false));
  svg.addEventListener("pointercancel", (event) => endGesture(event, true));

  // --- keyboard: Tab between pieces, arrows move, Enter acts, Delete removes -----------------

  let keyMove = null; // ids moved by arrow keys, sent to Python when the key is let go
  const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  root.addEventListener("keydown", (event) => {
    const node = event.target.closest && event.target.closest(".mn-piece");
    const id = node && node.dataset.id;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === "z") {
      travel(event.shiftKey ? 1 : -1);
    } else if (mod && event.key.toLowerCase() === "y") {
      travel(1);
    } else if (mod && event.key.toLowerCase() === "a" && svg.contains(event.target)) {
      setSelection(pieces().map((p) => p.id));
    } else if (event.key === "Escape") {
      setSelection([]);
    } else if (!id) {
      return;
    } else if (ARROWS[event.key]) {
      const step = (model.get("grid") || 10) * (event.shiftKey ? 3 : 1);
      const ids = selected.has(id) ? new Set(selected) : new Set([id]);
      const [dx, dy] = ARROWS[event.key];
      const hop = event.shiftKey && ids.size === 1 && !(model.get("grid") > 0) ? hopPast(byId(id), dx, dy) : null;
      keyMove = ids;
      model.set("pieces", hop ? moveBy(ids, ...hop) : moveBy(ids, dx * step, dy * step)); // sent when the key is let go
      render();
      node.focus();
    } else if (event.key === "Enter") {
      act(id);
    } else if (event.key === " ") {
      const next = new Set(selected);
      next.has(id) ? next.delete(id) : next.add(id);
      setSelection(next);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      const ids = selected.has(id) ? new Set(selected) : new Set([id]);
      const rest = pieces().filter((p) => !ids.has(p.id));
      const next = rest[Math.min(pieces().findIndex((p) => p.id === id), rest.length - 1)];
      remove(ids);
      (next ? elements.get(next.id) : svg).focus(); // keep the keyboard in the board
    } else {
      return;
    }
    event.preventDefault();
  });

  root.addEventListener("keyup", (event) => {
    if (keyMove && ARROWS[event.key]) {
      keyMove = null;
      commit(pieces());
    }
  });

  // --- toolbar: the buttons Python declares, then the engine's own -----------------------------

  function button(label, title, run) {
    const b = htmlEl("button", "mn-tool", label);
    b.type = "button";
    b.title = title;
    b.setAttribute("aria-label", title.startsWith(label) ? title : `${label}: ${title}`); // says what it shows
    b.addEventListener("click", () => run(board));
    return b;
  }

  // A tool sends its action with the selected pieces it needs (Python names the kinds) and, if it
  // asks a question, the pupil's words exactly as typed: Python reads them and says why it refuses.
  async function useTool(spec, from) {
    const details = { ...(spec.args || {}) };
    if (spec.select) {
      const chosen = pieces()
        .filter((p) => selected.has(p.id) && spec.select.kinds.includes(p.kind))
        .sort((a, b) => a.x - b.x);
      const most = spec.select.most ?? Infinity;
      if (chosen.length < (spec.select.least ?? 1) || chosen.length > most) {
        hint = spec.select.hint || "";
        return drawReadout();
      }
      details.ids = chosen.map((p) => p.id);
      if (spec.ask && spec.ask.field && chosen.length && chosen[0][spec.ask.field] !== undefined) {
        details[spec.ask.arg] = String(chosen[0][spec.ask.field]);
      }
    }
    if (spec.ask) {
      const words = await ask(spec.ask.question, details[spec.ask.arg] ?? spec.ask.initial ?? "", from);
      if (words === null) return;
      details[spec.ask.arg] = words;
    }
    board.send(spec.action, details);
  }

  // A small question above the board: built from elements, never from markup.
  function ask(question, initial, from) {
    return new Promise((resolve) => {
      for (const old of root.querySelectorAll(".mn-ask")) old.remove();
      const form = htmlEl("form", "mn-ask");
      const label = htmlEl("label", "mn-ask-question", question);
      const input = htmlEl("input", "mn-ask-input");
      input.value = initial;
      input.maxLength = model.get("limits").text; // Python's limit, never a copy
      input.autocomplete = "off";
      label.append(input);
      const ok = htmlEl("button", "mn-tool", "OK");
      ok.type = "submit";
      const cancel = htmlEl("button", "mn-tool", "Cancel");
      cancel.type = "button";
      form.append(label, ok, cancel);
      root.insertBefore(form, message);
      const done = (answer) => {
        form.remove();
        (from && from.isConnected ? from : svg).focus(); // the keyboard goes back where it was
        resolve(answer);
      };
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        done(input.value);
      });
      cancel.addEventListener("click", () => done(null));
      input.addEventListener("keydown", (e) => {
        e.stopPropagation(); // typing is not a board shortcut
        if (e.key === "Escape") done(null);
      });
      input.focus();
      input.select();
    });
  }

  const ownTools = htmlEl("span", "mn-own-tools");
  ownTools.setAttribute("role", "group");
  ownTools.setAttribute("aria-label", "Tools");
  function drawTools() {
    const specs = model.get("tools") || [];
    const key = JSON.stringify(specs);
    if (ownTools.dataset.key === key) return;
    ownTools.dataset.key = key;
    const focusedAt = [...ownTools.children].indexOf(document.activeElement);
    ownTools.replaceChildren(
      ...specs.map((spec) => {
        const b = button(spec.label, spec.title, () => useTool(spec, b));
        if (typeof spec.pressed === "boolean") {
          b.setAttribute("aria-pressed", String(spec.pressed));
          b.classList.toggle("mn-on", spec.pressed);
        }
        return b;
      }),
    );
    if (focusedAt >= 0 && ownTools.children[focusedAt]) ownTools.children[focusedAt].focus();
  }
  toolbar.setAttribute("aria-label", "Board tools");
  toolbar.append(ownTools, htmlEl("span", "mn-spacer"));
  const removeButton = button("Remove", "Remove the selected pieces (Delete)", () => remove(new Set(selected)));
  const undoButton = button("↶ Undo", "Undo (Ctrl+Z)", () => travel(-1));
  const redoButton = button("↷ Redo", "Redo (Ctrl+Shift+Z)", () => travel(1));
  const resetButton = button("Reset", "Put the board back as it started", () => {
    autosave.forget(); // a reload after Reset shows the start, even if Python's answer never comes
    board.send("reset");
  });
  toolbar.append(removeButton, undoButton, redoButton, resetButton);
  const inkTools = htmlEl("span", "mn-ink-tools");
  inkTools.setAttribute("role", "group");
  inkTools.setAttribute("aria-label", "Pen");
  const modeButtons = {};
  for (const [name, label, title] of [
    ["pen", "✎ Pen", "Write on the board with the pen"],
    ["eraser", "Eraser", "Rub out a stroke of ink"],
  ]) {
    const b = button(label, title, () => setMode(mode === name ? "hand" : name));
    b.setAttribute("aria-pressed", "false");
    modeButtons[name] = b;
    inkTools.append(b);
  }
  inkTools.append(button("Clear ink", "Take all the ink off the board", () => board.send("clear_ink")));
  toolbar.insertBefore(inkTools, removeButton); // Reset stays last, next to the board for the keyboard
  function setMode(next) {
    mode = next;
    for (const [name, b] of Object.entries(modeButtons)) {
      b.setAttribute("aria-pressed", String(mode === name));
      b.classList.toggle("mn-on", mode === name);
    }
    root.classList.toggle("mn-writing", mode !== "hand");
  }

  function updateButtons() {
    undoButton.disabled = at <= 0;
    redoButton.disabled = at >= history.length - 1;
    removeButton.disabled = selected.size === 0;
  }

  // --- keeping up with Python ------------------------------------------------------------------

  const onPieces = () => {
    if (keyMove) return;
    remember();
    render();
    autosave.save(pieces());
  };
  const onFrame = () => {
    drawFrame();
    render();
  };
  const onLooks = () => {
    if (!keyMove) render();
  };
  model.on("change:pieces", onPieces);
  model.on("change:readout change:message change:teacher_only", drawReadout);
  model.on("change:looks change:look_of", onLooks);
  model.on("change:tools", drawTools);
  model.on("change:width change:height change:backdrop change:sizes", onFrame);
  model.on("change:overlay change:message", drawInk); // Python's strokes replace the hand's, kept or refused
  const ungesture = gesture ? gesture(board, svg) : null;

  drawTools();
  drawInk();
  drawFrame();
  remember();
  render();

  // Once, now that Python's state is here: offer the saved pieces (when they differ) as a change.
  // A board not yet in the page (JupyterLab places it after drawing) waits a few frames for its place.
  let frames = 0;
  let waiting = 0;
  const restore = () => {
    if (!autosave.placed() && frames++ < 120) return void (waiting = requestAnimationFrame(restore));
    if (history.length !== 1) return; // the board changed meanwhile: what is on it now wins
    const list = autosave.saved(pieces());
    if (list) commit(list);
  };
  restore();

  return () => {
    cancelAnimationFrame(waiting);
    model.off("change:pieces", onPieces);
    model.off("change:readout change:message", drawReadout);
    model.off("change:looks change:look_of", onLooks);
    model.off("change:tools", drawTools);
    model.off("change:width change:height change:backdrop change:sizes", onFrame);
    model.off("change:overlay change:message", drawInk);
    if (ungesture) ungesture();
    root.remove();
  };
}

export default { render: ({ model, el }) => mountBoard({ model, el }) };
