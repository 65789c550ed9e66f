// Number lines (widgets/number_line.py): everything is the engine's (board.js), drawn as Python
// describes it, but one gesture of the hand: drag from a point's grip (or a jump's end) along the
// line to draw a jump. The arc follows the finger; when it is let go, Python is asked to add the
// jump, and Python decides where it lands (the nearest tick).

import { follow, mountBoard, svgEl } from "./board.js";

// An arc from (sx, y) to (ex, y), rising above the line: drawing only, no number of the line's.
export function arcPath(sx, y, ex) {
  const rise = Math.max(40, Math.min(160, Math.abs(ex - sx) / 3));
  return `M${sx} ${y} Q${(sx + ex) / 2} ${y - 2 * rise} ${ex} ${y}`;
}

// A point in the board's coordinates: given in an element's own coordinates, or (with no
// element) on the screen.
function inBoard(svg, element, x, y) {
  const board = svg.getScreenCTM();
  const inside = element ? element.getScreenCTM() : null;
  if (!board || (element && !inside)) return { x, y };
  const point = svg.createSVGPoint();
  point.x = x;
  point.y = y;
  return (inside ? point.matrixTransform(inside) : point).matrixTransform(board.inverse());
}

function jumps(board, svg) {
  const onDown = (event) => {
    const grip = event.target.closest && event.target.closest(".nl-grip");
    if (!grip || (event.button !== 0 && event.pointerType === "mouse")) return;
    const node = grip.closest(".mn-piece");
    const stem = grip.querySelector(".nl-stem");
    const piece = node && board.pieces().find((p) => p.id === node.dataset.id);
    if (!stem || !piece) return;
    const from = inBoard(svg, stem, Number(stem.getAttribute("x1")), Number(stem.getAttribute("y1")));
    const arc = svgEl("path", { class: "nl-drawing", d: arcPath(from.x, from.y, from.x) });
    svg.append(arc);
    let to = from.x;
    follow(
      grip,
      event,
      (e) => {
        to = inBoard(svg, null, e.clientX, e.clientY).x;
        arc.setAttribute("d", arcPath(from.x, from.y, to));
      },
      (e, kept) => {
        arc.remove(); // Python draws the jump
        if (kept && Math.abs(to - from.x) >= 4) board.send("jump_to", { id: piece.id, x: Math.round(to * 100) / 100 });
      },
    );
  };
  svg.addEventListener("pointerdown", onDown, true); // before the board's own drag
  return () => svg.removeEventListener("pointerdown", onDown, true);
}

export default {
  render({ model, el }) {
    const unmount = mountBoard({ model, el, gesture: jumps });
    const root = el.querySelector(".mn-board");
    if (root) root.classList.add("nl-board");
    return unmount;
  },
};
