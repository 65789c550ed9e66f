// Bar models (widgets/bar_model.py): everything is the engine's (board.js), drawn as Python
// describes it, but one gesture of the hand: drag the end of an unknown's bar (its handle, which
// Python draws only where the model does not fix the length) to draw it longer or shorter.
// The bar follows the finger; when it is let go, Python is asked to draw the unknown that long.

import { follow, mountBoard } from "./board.js";

function resizeHandles(board, svg) {
  const onDown = (event) => {
    const handle = event.target.closest && event.target.closest(".bm-handle");
    if (!handle || (event.button !== 0 && event.pointerType === "mouse")) return;
    const node = handle.closest(".mn-piece");
    const bar = node && node.querySelector(".bm-bar");
    const piece = node && board.pieces().find((p) => p.id === node.dataset.id);
    if (!bar || !piece) return;
    const matrix = svg.getScreenCTM();
    const perUnit = matrix ? Math.hypot(matrix.a, matrix.b) : 1; // screen pixels per board unit
    const startX = event.clientX;
    const w = piece.w;
    const left = Number(bar.getAttribute("x"));
    const grip = Number(handle.getAttribute("width"));
    let width = w;
    const show = (wide) => {
      bar.setAttribute("width", wide);
      handle.setAttribute("x", left + wide - grip);
    };
    follow(
      handle,
      event,
      (e) => {
        width = Math.max(grip, w + (e.clientX - startX) / perUnit);
        show(width);
      },
      (e, kept) => {
        show(w); // Python draws the answer
        if (kept && Math.abs(width - w) >= 2) board.send("draw", { id: piece.id, w: Math.round(width * 100) / 100 });
      },
    );
  };
  svg.addEventListener("pointerdown", onDown, true); // before the board's own drag
  return () => svg.removeEventListener("pointerdown", onDown, true);
}

export default {
  render({ model, el }) {
    const unmount = mountBoard({ model, el, gesture: resizeHandles });
    const root = el.querySelector(".mn-board");
    if (root) root.classList.add("bm-board");
    return unmount;
  },
};
