// The teacher's dashboard: draws what the class socket says, and sends the teacher's choices.
// Every number and result here is the server's; this page only lays them out.
(function () {
  const $ = (selector) => document.querySelector(selector);
  const make = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const pupils = new Map(); // id -> {label, name, connected, section}
  const boards = new Map(); // board -> Map(pupil id -> svg)
  let results = [];
  let board = ""; // the board whose thumbnails are shown
  let names = false; // names on this screen only; the projected screen shows "Pupil 3"
  let picked = []; // at most two pupils, for the whiteboard
  let socket = null;

  const who = (id) => {
    const pupil = pupils.get(id);
    if (!pupil) return "A pupil";
    return names ? pupil.name : pupil.label;
  };
  const picture = (svg) => "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function drawTabs() {
    const tabs = $(".mp-dash-tabs");
    tabs.replaceChildren();
    if (!board && boards.size) board = Array.from(boards.keys()).sort()[0];
    for (const name of Array.from(boards.keys()).sort()) {
      const tab = make("button", "mp-dash-tab", name);
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", String(name === board));
      tab.setAttribute("aria-pressed", String(name === board));
      tab.addEventListener("click", () => {
        board = name;
        picked = [];
        drawTabs();
        drawGrid();
      });
      tabs.append(tab);
    }
  }

  function card(id) {
    const pupil = pupils.get(id);
    const node = make("button", "mp-dash-pupil");
    node.type = "button";
    node.dataset.pupil = String(id);
    node.setAttribute("aria-pressed", String(picked.includes(id)));
    const line = make("span", "mp-dash-who");
    line.append(make("span", "mp-dash-name", who(id)));
    const where = pupil && pupil.connected ? (pupil.section ? `section ${pupil.section}` : "here") : "away";
    line.append(make("span", pupil && pupil.connected ? "" : "mp-dash-off", where));
    node.append(line);
    const svg = (boards.get(board) || new Map()).get(id);
    if (svg) {
      const img = make("img");
      img.alt = `${who(id)}'s board`;
      img.src = picture(svg);
      node.append(img);
    } else node.append(make("span", "mp-dash-empty", "Not started"));
    node.addEventListener("click", () => {
      picked = picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id].slice(-2);
      drawGrid();
    });
    return node;
  }

  function drawGrid() {
    const grid = $(".mp-dash-grid");
    grid.replaceChildren(...Array.from(pupils.keys(), card));
    $('[data-act="show"]').disabled = !picked.length || !board;
  }

  function drawRoster() {
    const list = $(".mp-dash-roster");
    list.replaceChildren();
    let here = 0;
    for (const [id, pupil] of pupils) {
      if (pupil.connected) here += 1;
      const state = pupil.connected ? (pupil.section ? `section ${pupil.section}` : "joined") : "away";
      list.append(make("li", "", `${who(id)}: ${state}`));
    }
    $(".mp-dash-count").textContent = `(${here} here of ${pupils.size})`;
  }

  function drawResults() {
    const list = $(".mp-dash-results");
    list.replaceChildren();
    if (!results.length) list.append(make("li", "", "No answers checked yet."));
    for (const q of results) {
      const item = make("li");
      const right = q.right.length;
      const wrong = q.wrong.length;
      const untried = Math.max(pupils.size - right - wrong, 0);
      item.append(make("div", "", `${q.board}, question ${q.item + 1}: ${right} right, ${wrong} not yet, ${untried} not tried`));
      const bar = make("div", "mp-dash-bar");
      const total = Math.max(pupils.size, right + wrong, 1);
      const part = (cls, n) => {
        const span = make("span", cls);
        span.style.width = `${(100 * n) / total}%`;
        return span;
      };
      bar.append(part("mp-right", right), part("mp-wrong", wrong));
      item.append(bar);
      if (q.said.length) {
        const said = q.said.map(([answer, n]) => `“${answer}” ×${n}`).join(", ");
        item.append(make("div", "mp-dash-said", `Commonest wrong: ${said}`));
      }
      list.append(item);
    }
  }

  function setPressed(act, on) {
    $(`[data-act="${act}"]`).setAttribute("aria-pressed", String(on));
  }

  function heard(message) {
    if (message.type === "roster") {
      pupils.clear();
      for (const pupil of message.pupils) pupils.set(pupil.id, pupil);
      drawRoster();
      drawGrid();
      drawResults();
    } else if (message.type === "board") {
      if (!boards.has(message.board)) {
        boards.set(message.board, new Map());
        drawTabs();
      }
      boards.get(message.board).set(message.pupil, message.svg);
      if (message.board === board) {
        const old = document.querySelector(`.mp-dash-pupil[data-pupil="${message.pupil}"]`);
        if (old) old.replaceWith(card(message.pupil));
        else drawGrid();
      }
    } else if (message.type === "section") {
      const pupil = pupils.get(message.pupil);
      if (pupil) pupil.section = message.section;
      drawRoster();
    } else if (message.type === "results") {
      results = message.questions;
      drawResults();
    } else if (message.type === "pace") {
      setPressed("hold", message.hold);
      setPressed("pause", message.paused);
    } else if (message.type === "refused") {
      $(".mp-dash-status").textContent = message.message;
    }
  }

  function connect() {
    socket = new WebSocket(new URL("socket", location.href).href.replace(/^http/, "ws"));
    socket.addEventListener("open", () => ($(".mp-dash-status").textContent = ""));
    socket.addEventListener("message", (event) => heard(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      $(".mp-dash-status").textContent = "Lost touch with the classroom server: trying again…";
      setTimeout(connect, 2000);
    });
  }

  $('[data-act="hold"]').addEventListener("click", (e) => send({ type: "pace", hold: e.currentTarget.getAttribute("aria-pressed") !== "true" }));
  $('[data-act="pause"]').addEventListener("click", (e) => send({ type: "pause", paused: e.currentTarget.getAttribute("aria-pressed") !== "true" }));
  $('[data-act="names"]').addEventListener("click", () => {
    names = !names;
    setPressed("names", names);
    drawRoster();
    drawGrid();
  });
  $('[data-act="show"]').addEventListener("click", () => send({ type: "show", board, pupils: picked }));
  $('[data-act="clear"]').addEventListener("click", () => send({ type: "show", board: "", pupils: [] }));
  connect();
})();
