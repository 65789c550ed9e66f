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

export default {
  render({ model, el }) {
    return mountBoard({
      model,
      el,
      kinds: counterKinds,
      onDrop: leaveAsZeroPairs,
      tools: [
        { label: "+1", title: "Add a positive counter", run: (board) => board.send("add", { sign: 1 }) },
        { label: `${MINUS}1`, title: "Add a negative counter", run: (board) => board.send("add", { sign: -1 }) },
        { label: "Zero pairs off", title: "Take every zero pair off the board", run: (board) => board.send("cancel_zero_pairs") },
      ],
    });
  },
};
