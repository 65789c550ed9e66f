// Bar models (widgets/bar_model.py): tap parts to select them, then split, merge, label, brace,
// hide and reveal them from the toolbar; drag an unknown's end to draw it longer or shorter;
// drag a part to another place or row. Python solves the model and lays it out to scale.

const BAR_H = 84;

function shownValue(piece) {
  const value = piece.hidden ? "?" : String(piece.value);
  if (!piece.answer || piece.answer === value) return value;
  return value === "?" ? piece.answer : `${value} = ${piece.answer}`;
}

// A curly brace opening downwards, w wide: tips at y = 0, point at y = -24.
function braceH(w) {
  const m = w / 2;
  const k = Math.min(16, m / 2);
  return `M${-m} 0 Q${-m} -12 ${-m + k} -12 L${-k} -12 Q0 -12 0 -24 Q0 -12 ${k} -12 L${m - k} -12 Q${m} -12 ${m} 0`;
}

// A curly brace opening to the left, h tall: tips at x = 0, point at x = 24.
function braceV(h) {
  const m = h / 2;
  const k = Math.min(16, m / 2);
  return `M0 ${-m} Q12 ${-m} 12 ${-m + k} L12 ${-k} Q12 0 24 0 Q12 0 12 ${k} L12 ${m - k} Q12 ${m} 0 ${m}`;
}

// The end of an unknown's bar: drag it to draw the bar longer or shorter. It handles its own
// pointer (mouse, touch or pen), so the board does not also drag the bar, and commits once.
function resizeHandle(piece, w, h, board, bar) {
  const handle = svgEl("rect", { class: "bm-handle", x: w / 2 - 26, y: -h / 2 + 10, width: 22, height: h - 20, rx: 6 });
  handle.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.stopPropagation();
    event.preventDefault();
    const matrix = handle.ownerSVGElement && handle.ownerSVGElement.getScreenCTM();
    const perUnit = matrix ? Math.hypot(matrix.a, matrix.b) : 1; // screen pixels per board unit
    const startX = event.clientX;
    let width = w;
    handle.setPointerCapture(event.pointerId);
    const move = (e) => {
      e.stopPropagation();
      width = Math.max(24, w + (e.clientX - startX) / perUnit);
      bar.setAttribute("width", width);
      handle.setAttribute("x", -w / 2 + width - 26);
    };
    const finish = (e, keep) => {
      e.stopPropagation();
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.removeEventListener("pointercancel", cancel);
      if (keep && Math.abs(width - w) >= 2) {
        const drawn = Math.round(width * 100) / 100;
        board.commit(board.pieces().map((p) => (p.id === piece.id ? { ...p, w: drawn } : p)));
      } else {
        bar.setAttribute("width", w);
        handle.setAttribute("x", w / 2 - 26);
      }
    };
    const up = (e) => finish(e, true);
    const cancel = (e) => finish(e, false);
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
    handle.addEventListener("pointercancel", cancel);
  });
  return handle;
}

const barKinds = {
  row: {
    draw(piece, [w]) {
      const g = svgEl("g", { class: "bm-row" });
      g.append(svgEl("text", { class: "bm-row-name", x: w / 2 }, piece.label || ""));
      return g;
    },
    describe: (piece) => `row ${piece.label || ""}`,
  },
  segment: {
    draw(piece, [w, h], board) {
      const unknown = typeof piece.value === "string";
      const classes = ["bm-segment", unknown ? "bm-unknown" : "bm-known"];
      if (piece.shaded) classes.push("bm-shaded");
      if (piece.hidden) classes.push("bm-hidden");
      const g = svgEl("g", { class: classes.join(" ") });
      const bar = svgEl("rect", { class: "bm-bar", x: -w / 2, y: -h / 2, width: w, height: h });
      g.append(bar, svgEl("text", { class: "bm-value" }, shownValue(piece)));
      if (unknown) g.append(resizeHandle(piece, w, h, board, bar));
      return g;
    },
    describe: (piece) =>
      `${typeof piece.value === "string" ? "unknown" : "known"} part ${piece.hidden ? "hidden" : shownValue(piece)}`,
  },
  brace: {
    draw(piece, [w]) {
      const g = svgEl("g", { class: "bm-brace" });
      g.append(svgEl("path", { d: braceH(w), transform: "translate(0 30)" }));
      g.append(svgEl("text", { class: "bm-brace-value", y: -6 }, shownValue(piece)));
      return g;
    },
    describe: (piece) => `brace, ${piece.hidden ? "hidden" : shownValue(piece)}`,
  },
  total: {
    draw(piece, [w, h]) {
      if (h <= w) return barKinds.brace.draw(piece, [w, h]);
      const g = svgEl("g", { class: "bm-brace bm-total" });
      g.append(svgEl("path", { d: braceV(h), transform: `translate(${-w / 2} 0)` }));
      g.append(svgEl("text", { class: "bm-brace-value bm-side", x: -w / 2 + 36 }, shownValue(piece)));
      return g;
    },
    describe: (piece) => `total, ${piece.hidden ? "hidden" : shownValue(piece)}`,
  },
  difference: {
    draw(piece, [w]) {
      const g = svgEl("g", { class: "bm-difference" });
      g.append(
        svgEl("line", { x1: -w / 2 + 4, x2: w / 2 - 4, y1: 0, y2: 0 }),
        svgEl("line", { x1: -w / 2 + 2, x2: -w / 2 + 2, y1: -22, y2: 22 }),
        svgEl("line", { x1: w / 2 - 2, x2: w / 2 - 2, y1: -22, y2: 22 }),
        svgEl("text", { class: "bm-brace-value", y: -30 }, shownValue(piece)),
      );
      return g;
    },
    describe: (piece) => `difference, ${piece.hidden ? "hidden" : shownValue(piece)}`,
  },
};

// A small question above the board, for text: built from elements, never from markup.
function ask(el, question, initial = "") {
  return new Promise((resolve) => {
    const host = el.querySelector(".mn-board") || el;
    for (const old of host.querySelectorAll(".bm-ask")) old.remove();
    const form = htmlEl("form", "bm-ask");
    const label = htmlEl("label", "bm-ask-question", question);
    const input = htmlEl("input", "bm-ask-input");
    input.value = initial;
    input.maxLength = 40;
    input.autocomplete = "off";
    label.append(input);
    const ok = htmlEl("button", "mn-tool", "OK");
    ok.type = "submit";
    const cancel = htmlEl("button", "mn-tool", "Cancel");
    cancel.type = "button";
    form.append(label, ok, cancel);
    host.insertBefore(form, host.children[1] || null);
    const done = (answer) => {
      form.remove();
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

// What a pupil typed: digits are a number (Python checks it), anything else is a name or "?".
const typed = (text) => (/^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text.trim());

function freshId(list, stem) {
  const taken = new Set(list.map((p) => p.id));
  let n = 1;
  while (taken.has(`${stem}${n}`)) n += 1;
  return `${stem}${n}`;
}

function barTools(el) {
  const say = (board, why) => board.model.set("message", why); // shown here only; Python is not asked
  const chosen = (board, kinds) => {
    const ids = board.selected();
    return board.pieces().filter((p) => ids.has(p.id) && kinds.includes(p.kind));
  };
  const edit = (board, ids, change) =>
    board.commit(board.pieces().map((p) => (ids.has(p.id) ? { ...p, ...change(p) } : p)));
  return [
    {
      label: "Split",
      title: "Split the selected part into equal parts",
      run: async (board) => {
        const [seg, more] = chosen(board, ["segment"]);
        if (!seg || more) return say(board, "Tap one part of a bar, then Split.");
        const answer = await ask(el, "Split into how many equal parts?", "3");
        if (answer !== null) board.send("split", { id: seg.id, parts: typed(answer) });
      },
    },
    {
      label: "Merge",
      title: "Merge the selected parts into one",
      run: (board) => {
        const segs = chosen(board, ["segment"]);
        if (segs.length < 2) return say(board, "Tap two or more parts side by side, then Merge.");
        board.send("merge", { ids: segs.map((p) => p.id) });
      },
    },
    {
      label: "Label",
      title: "Write a label under the selected part",
      run: async (board) => {
        const segs = chosen(board, ["segment"]);
        if (!segs.length) return say(board, "Tap a part, then Label.");
        const answer = await ask(el, "Label:", segs[0].label || "");
        if (answer === null) return;
        const ids = new Set(segs.map((p) => p.id));
        edit(board, ids, () => ({ label: answer.trim() }));
      },
    },
    {
      label: "Value",
      title: "Give the selected part or brace a number, or a letter for an unknown",
      run: async (board) => {
        const items = chosen(board, ["segment", "brace", "total", "difference"]);
        if (!items.length) return say(board, "Tap a part or a brace, then Value.");
        const answer = await ask(el, "A number, or a letter for an unknown:", String(items[0].value));
        if (answer !== null) edit(board, new Set(items.map((p) => p.id)), () => ({ value: typed(answer) }));
      },
    },
    {
      label: "Brace",
      title: "Put a brace over the selected parts, with what they make",
      run: async (board) => {
        const segs = chosen(board, ["segment"]).sort((a, b) => a.x - b.x);
        if (!segs.length) return say(board, "Tap the parts side by side to go under the brace, then Brace.");
        const answer = await ask(el, "What do these parts make? (a number, a letter, or ?)", "?");
        if (answer === null) return;
        const list = board.pieces();
        const brace = {
          id: freshId(list, "brace"),
          kind: "brace",
          x: segs[0].x,
          y: segs[0].y,
          cover: segs.map((p) => p.id),
          value: typed(answer) || "?",
          w: 100,
          hidden: false,
          answer: null,
        };
        board.commit([...list, brace]);
      },
    },
    {
      label: "Hide",
      title: "Hide the values of the selected pieces (they show ?)",
      run: (board) => {
        const items = chosen(board, ["segment", "brace", "total", "difference"]);
        if (!items.length) return say(board, "Tap the values to hide, then Hide.");
        edit(board, new Set(items.map((p) => p.id)), () => ({ hidden: true }));
      },
    },
    {
      label: "Reveal",
      title: "Reveal the selected values, or the next hidden one",
      run: (board) => {
        let items = chosen(board, ["segment", "brace", "total", "difference"]).filter((p) => p.hidden);
        if (!items.length) items = board.pieces().filter((p) => p.hidden).slice(0, 1); // one by one
        if (!items.length) return say(board, "Nothing is hidden.");
        edit(board, new Set(items.map((p) => p.id)), () => ({ hidden: false }));
      },
    },
    {
      label: "Solution",
      title: "Show or hide the solution",
      run: (board) => board.send("toggle_solution"),
    },
  ];
}

// A part dropped near another row joins that row; Python puts it in its place.
function joinNearestRow(pieces, movedIds) {
  const rows = pieces.filter((p) => p.kind === "row");
  if (!rows.length) return pieces;
  const nearest = (y) => rows.reduce((best, r) => (Math.abs(r.y - y) < Math.abs(best.y - y) ? r : best));
  return pieces.map((p) => (movedIds.has(p.id) && p.kind === "segment" ? { ...p, row: nearest(p.y).row } : p));
}

export default {
  render({ model, el }) {
    const unmount = mountBoard({ model, el, kinds: barKinds, tools: barTools(el), onDrop: joinNearestRow });
    const root = el.querySelector(".mn-board");
    if (root) root.classList.add("bm-board");
    return unmount;
  },
};
