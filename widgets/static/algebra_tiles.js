// Algebra tiles (widgets/algebra_tiles.py): x², x and 1 tiles, positive or negative.
// A tap flips a tile's sign; "Rotate" turns the selected x strips a quarter turn; a tile
// dropped on one of the same shape and the other sign makes a zero pair, and both leave.
// Every piece of mathematics (the expression, the rectangle, the equation) comes from Python.

const TILE_NAMES = { x2: "x²", x: "x", 1: "1" };
const TILE_WORDS = { x2: "x squared", x: "x", 1: "one" };

function drawTile(piece, [w, h]) {
  const negative = piece.sign === -1;
  const tile = svgEl("g", { class: `at-tile at-${piece.kind} ${negative ? "negative" : "positive"}` });
  tile.append(svgEl("rect", { x: -w / 2, y: -h / 2, width: w, height: h }));
  if (negative && piece.kind !== "1") tile.append(svgEl("rect", { class: "at-mark", x: -w / 2 + 6, y: -h / 2 + 6, width: w - 12, height: h - 12 }));
  tile.append(svgEl("text", {}, (negative ? MINUS : "") + TILE_NAMES[piece.kind]));
  return tile;
}

const flipTile = (piece) => ({ ...piece, sign: -piece.sign });
const describeTile = (piece) =>
  `${piece.sign === 1 ? "positive" : "negative"} ${TILE_WORDS[piece.kind]} tile` +
  (piece.kind === "x" ? (piece.rot === 90 ? ", standing up" : ", lying down") : "");

const tileKinds = Object.fromEntries(
  Object.keys(TILE_NAMES).map((kind) => [kind, { draw: drawTile, act: flipTile, describe: describeTile }]),
);

function changeSelected(board, change) {
  const chosen = board.selected();
  if (chosen.size) board.commit(board.pieces().map((p) => (chosen.has(p.id) ? change(p) : p)));
}

export default {
  render({ model, el }) {
    const adding = [
      ["x²", "x^2", "x squared"],
      [`${MINUS}x²`, "-x^2", "negative x squared"],
      ["x", "x", "x"],
      [`${MINUS}x`, "-x", "negative x"],
      ["1", "1", "one"],
      [`${MINUS}1`, "-1", "negative one"],
    ].map(([label, term, words]) => ({
      label: `+ ${label}`,
      title: `Add a ${words} tile`,
      run: (board) => board.send("add", { term }),
    }));
    const tools = [
      ...adding,
      { label: "± Flip", title: "Flip the selected tiles: positive to negative", run: (b) => changeSelected(b, flipTile) },
      {
        label: "⟳ Rotate",
        title: "Turn the selected x tiles a quarter turn",
        run: (b) => changeSelected(b, (p) => (p.kind === "x" ? { ...p, rot: p.rot === 90 ? 0 : 90 } : p)),
      },
      { label: "Zero pairs off", title: "Take every zero pair off the mat", run: (b) => b.send("cancel_zero_pairs") },
    ];
    const bothTitle = "Both sides mode: new tiles go on both sides of the equation";
    if (model.get("mode") === "equation") {
      tools.push(
        { label: "Both sides", title: bothTitle, run: (b) => b.send("toggle_both_sides") },
        { label: "Split into groups", title: "Share each side into equal groups, one for each x", run: (b) => b.send("split") },
      );
    }
    const unmount = mountBoard({
      model,
      el,
      kinds: tileKinds,
      tools,
      onDrop: leaveAsZeroPairs,
    });
    const both = [...el.querySelectorAll(".mn-tool")].find((b) => b.title === bothTitle);
    const showBoth = () => {
      if (!both) return;
      const on = !!model.get("both_sides");
      both.textContent = `Both sides: ${on ? "on" : "off"}`;
      both.setAttribute("aria-pressed", String(on));
      both.classList.toggle("at-on", on);
    };
    model.on("change:both_sides", showBoth);
    showBoth();
    return () => {
      model.off("change:both_sides", showBoth);
      unmount();
    };
  },
};
