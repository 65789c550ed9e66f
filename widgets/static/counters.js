// Two-sided counters (widgets/counters.py): a tap flips a counter, and a counter dropped
// on one of the other sign makes a zero pair, and both leave the board.

const counterKinds = {
  counter: {
    draw(piece, [w]) {
      const face = svgEl("g", { class: `counter ${piece.sign === 1 ? "positive" : "negative"}` });
      face.append(svgEl("circle", { r: w / 2 }), svgEl("text", {}, piece.sign === 1 ? "+" : MINUS));
      return face;
    },
    act: (piece) => ({ ...piece, sign: -piece.sign }),
    describe: (piece) => (piece.sign === 1 ? "positive counter, plus one" : "negative counter, minus one"),
  },
};

// Each moved counter that lands on a counter of the other sign takes it off with it.
function leaveAsZeroPairs(pieces, movedIds, size) {
  const gone = new Set();
  for (const moved of pieces.filter((p) => movedIds.has(p.id))) {
    const partner = pieces.find(
      (p) =>
        !movedIds.has(p.id) &&
        !gone.has(p.id) &&
        p.sign === -moved.sign &&
        Math.hypot(p.x - moved.x, p.y - moved.y) < size * 0.8,
    );
    if (partner) gone.add(partner.id).add(moved.id);
  }
  return pieces.filter((p) => !gone.has(p.id));
}

export default {
  render({ model, el }) {
    return mountBoard({
      model,
      el,
      kinds: counterKinds,
      onDrop: (pieces, movedIds) => leaveAsZeroPairs(pieces, movedIds, model.get("sizes").counter[0]),
      tools: [
        { label: "+1", title: "Add a positive counter", run: (board) => board.send("add", { sign: 1 }) },
        { label: `${MINUS}1`, title: "Add a negative counter", run: (board) => board.send("add", { sign: -1 }) },
        { label: "Zero pairs off", title: "Take every zero pair off the board", run: (board) => board.send("cancel_zero_pairs") },
      ],
    });
  },
};
