// The class's dashboard: draws what the class socket says, and sends the teacher's choices (an observer's
// page sends only notes and replay requests: the server refuses anything else from it).
// Every number, result and grouping here is the server's; this page only lays them out.
(function () {
  const $ = (selector) => document.querySelector(selector);
  const make = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const button = (text, act) => {
    const node = make("button", "", text);
    node.type = "button";
    node.addEventListener("click", act);
    return node;
  };
  const observer = $("main").dataset.role === "observer";
  const pupils = new Map(); // id -> {label, name, connected, section}
  const boards = new Map(); // board -> Map(pupil id -> svg)
  const groups = new Map(); // board -> {groups: [{name, share, note, pupils}], none: [ids], note}
  let results = [];
  let notes = [];
  let sequence = { items: [], next: 0 };
  let board = ""; // the board whose thumbnails are shown
  let names = false; // names on this screen only; the projected screen shows "Pupil 3"
  let picked = []; // at most two pupils, for the whiteboard
  let replay = null; // {pupil, board, steps: [{at, svg}], at: index}
  let socket = null;

  const who = (id) => {
    const pupil = pupils.get(id);
    if (!pupil) return "A pupil";
    return names ? pupil.name : pupil.label;
  };
  const picture = (svg) => "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

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
      tab.setAttribute("aria-selected", String(name === board)); // a tab is selected, never pressed
      tab.addEventListener("click", () => {
        board = name;
        picked = [];
        drawTabs();
        drawGrid();
      });
      tabs.append(tab);
    }
  }

  // The responses a pupil's current board matches (the server's grouping), for the sequence's list.
  function responsesOf(id, name) {
    const grouped = groups.get(name);
    if (!grouped) return [];
    return grouped.groups.filter((g) => g.pupils.includes(id)).map((g) => g.name);
  }

  function card(id) {
    const pupil = pupils.get(id);
    const holder = make("div", "mp-dash-card");
    holder.dataset.pupil = String(id);
    const node = make("button", "mp-dash-pupil");
    node.type = "button";
    node.dataset.pupil = String(id);
    if (!observer) node.setAttribute("aria-pressed", String(picked.includes(id)));
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
      if (observer) {
        aboutSelect().value = `pupil:${id}`; // the note box is about this pupil now
        return;
      }
      picked = picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id].slice(-2);
      drawGrid();
    });
    holder.append(node);
    if (svg) {
      const acts = make("div", "mp-dash-card-acts");
      const again = button("Replay", () => send({ type: "history", pupil: id, board }));
      again.setAttribute("aria-label", `Replay ${who(id)}'s board`);
      acts.append(again);
      if (!observer) {
        const pick = button("Add to sequence", () => send({ type: "pick", board, pupil: id }));
        pick.setAttribute("aria-label", `Add to sequence: ${who(id)}'s board`);
        acts.append(pick);
      }
      holder.append(acts);
    }
    return holder;
  }

  function drawGrid() {
    const grid = $(".mp-dash-grid");
    const grouped = groups.get(board);
    if (!grouped || !grouped.groups.length) {
      grid.classList.remove("mp-dash-grouped");
      grid.replaceChildren(...Array.from(pupils.keys(), card));
    } else {
      // Under each anticipated response in sharing order, then "None of these"; pupils not yet on this board last.
      grid.classList.add("mp-dash-grouped");
      grid.replaceChildren();
      const placed = new Set();
      const section = (title, note, ids, cls) => {
        const part = make("section", `mp-dash-group ${cls || ""}`);
        part.dataset.group = title;
        const head = make("h3", "", title);
        head.append(make("span", "mp-dash-group-count", ` ${ids.length}`));
        part.append(head);
        if (note) part.append(make("p", "mp-dash-group-note", note));
        const cards = make("div", "mp-dash-group-cards");
        for (const id of ids) {
          placed.add(id);
          cards.append(card(id));
        }
        part.append(cards);
        grid.append(part);
      };
      for (const g of grouped.groups) section(g.name, g.note, g.pupils, "");
      section("None of these", "", grouped.none, "mp-dash-none");
      const rest = Array.from(pupils.keys()).filter((id) => !placed.has(id));
      if (rest.length) section("Not on this board yet", "", rest, "mp-dash-rest");
    }
    const show = $('[data-act="show"]');
    if (show) show.disabled = !picked.length || !board;
    drawAbout();
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

  function drawNotes() {
    const list = $(".mp-dash-notes");
    list.replaceChildren();
    if (!notes.length) list.append(make("li", "", "No notes yet."));
    for (const note of notes) {
      const item = make("li");
      const about = note.pupil !== null ? who(note.pupil) : note.group;
      item.append(make("span", "mp-dash-note-head", `${clock(note.at)} ${note.observer} on ${about}: `));
      item.append(make("span", "mp-dash-note-text", note.text));
      list.append(item);
    }
  }

  function drawSequence() {
    const list = $(".mp-dash-sequence");
    if (!list) return;
    list.replaceChildren();
    sequence.items.forEach((item, at) => {
      const row = make("li");
      if (at === sequence.next) row.classList.add("mp-dash-seq-next");
      if (at < sequence.next) row.classList.add("mp-dash-seq-done");
      const said = responsesOf(item.pupil, item.board);
      const text = `${who(item.pupil)}, ${item.board}${said.length ? ` (${said.join(", ")})` : ""}`;
      row.append(make("span", "mp-dash-seq-what", text));
      const up = button("↑", () => send({ type: "move", at, to: at - 1 }));
      up.setAttribute("aria-label", `Move ${who(item.pupil)} up`);
      up.disabled = at === 0;
      const down = button("↓", () => send({ type: "move", at, to: at + 1 }));
      down.setAttribute("aria-label", `Move ${who(item.pupil)} down`);
      down.disabled = at === sequence.items.length - 1;
      const out = button("✕", () => send({ type: "unpick", at }));
      out.setAttribute("aria-label", `Take ${who(item.pupil)} out of the sequence`);
      row.append(up, down, out);
      list.append(row);
    });
    if (!sequence.items.length) list.append(make("li", "mp-dash-seq-empty", "Add boards to discuss, in order."));
    $('[data-act="next"]').disabled = sequence.next >= sequence.items.length;
    const suggest = $('[data-act="suggest"]');
    const grouped = groups.get(board);
    suggest.hidden = !(grouped && grouped.groups.length);
  }

  function drawReplay() {
    const panel = $(".mp-dash-replay");
    panel.hidden = !replay;
    if (!replay) return;
    const steps = replay.steps;
    $("#mp-replay-h").textContent = `Replay: ${who(replay.pupil)}'s board “${replay.board}”`;
    const img = $(".mp-dash-replay-board");
    const at = $(".mp-dash-replay-at");
    if (!steps.length) {
      img.hidden = true;
      at.textContent = "Nothing recorded on this board yet.";
    } else {
      const step = steps[replay.at];
      img.hidden = false;
      img.src = picture(step.svg);
      img.alt = `${who(replay.pupil)}'s board at step ${replay.at + 1}`;
      at.textContent = `Step ${replay.at + 1} of ${steps.length}, ${clock(step.at)}`;
    }
    for (const [name, off] of [
      ["first", replay.at === 0],
      ["previous", replay.at === 0],
      ["next", replay.at >= steps.length - 1],
      ["last", replay.at >= steps.length - 1],
    ])
      $(`[data-step="${name}"]`).disabled = off;
  }

  // The note box (observers): about a pupil, or a group of the board shown.
  const aboutSelect = () => document.querySelector('.mp-dash-note [name="about"]');
  function drawAbout() {
    const select = aboutSelect();
    if (!select) return;
    const was = select.value;
    select.replaceChildren();
    const grouped = groups.get(board);
    const named = grouped && grouped.groups.length ? [...grouped.groups.map((g) => g.name), "None of these"] : [];
    const option = (value, text) => {
      const node = make("option", "", text);
      node.value = value;
      select.append(node);
    };
    option("group:The whole class", "The whole class");
    for (const name of named) option(`group:${name}`, `Group: ${name}`);
    for (const id of pupils.keys()) option(`pupil:${id}`, who(id));
    if (Array.from(select.options).some((o) => o.value === was)) select.value = was;
  }

  function setPressed(act, on) {
    const node = $(`[data-act="${act}"]`);
    if (node) node.setAttribute("aria-pressed", String(on));
  }

  function heard(message) {
    if (message.type === "roster") {
      pupils.clear();
      for (const pupil of message.pupils) pupils.set(pupil.id, pupil);
      drawRoster();
      drawGrid();
      drawResults();
      drawNotes();
      drawSequence();
    } else if (message.type === "board") {
      if (!boards.has(message.board)) {
        boards.set(message.board, new Map());
        drawTabs();
      }
      boards.get(message.board).set(message.pupil, message.svg);
      if (message.board === board) {
        const old = document.querySelector(`.mp-dash-card[data-pupil="${message.pupil}"]`);
        if (old) old.replaceWith(card(message.pupil));
        else drawGrid();
      }
    } else if (message.type === "groups") {
      groups.set(message.board, message);
      if (!boards.has(message.board)) {
        boards.set(message.board, new Map());
        drawTabs();
      }
      if (message.board === board) drawGrid();
      drawSequence();
    } else if (message.type === "study") {
      groups.clear(); // grouping is off: the boards as they come, and why
      $(".mp-dash-study").hidden = false;
      $(".mp-dash-study").textContent = message.note;
      drawGrid();
      drawSequence();
    } else if (message.type === "section") {
      const pupil = pupils.get(message.pupil);
      if (pupil) pupil.section = message.section;
      drawRoster();
    } else if (message.type === "results") {
      results = message.questions;
      drawResults();
    } else if (message.type === "notes") {
      notes = message.notes;
      drawNotes();
    } else if (message.type === "note") {
      notes.push(message.note);
      drawNotes();
    } else if (message.type === "sequence") {
      sequence = message;
      drawSequence();
    } else if (message.type === "history") {
      replay = { pupil: message.pupil, board: message.board, steps: message.steps, at: 0 };
      drawReplay();
    } else if (message.type === "observer") {
      const label = document.querySelector('.mp-dash-note [name="observer"]');
      if (label && !label.value) label.value = message.label;
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

  for (const [name, move] of [
    ["first", () => 0],
    ["previous", (r) => Math.max(r.at - 1, 0)],
    ["next", (r) => Math.min(r.at + 1, r.steps.length - 1)],
    ["last", (r) => r.steps.length - 1],
  ])
    $(`[data-step="${name}"]`).addEventListener("click", () => {
      replay.at = Math.max(move(replay), 0);
      drawReplay();
    });
  $('[data-step="close"]').addEventListener("click", () => {
    replay = null;
    drawReplay();
  });

  const option = (name) => $(`[data-opt="${name}"]`).checked;
  if (observer) {
    $(".mp-dash-note").addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.currentTarget;
      const [kind, ...rest] = form.elements.about.value.split(":");
      const about = rest.join(":");
      const message = { type: "note", text: form.elements.text.value, observer: form.elements.observer.value };
      if (kind === "pupil") message.pupil = Number(about);
      else message.group = about;
      send(message);
      form.elements.text.value = "";
    });
  } else {
    $('[data-act="hold"]').addEventListener("click", (e) => send({ type: "pace", hold: e.currentTarget.getAttribute("aria-pressed") !== "true" }));
    $('[data-act="pause"]').addEventListener("click", (e) => send({ type: "pause", paused: e.currentTarget.getAttribute("aria-pressed") !== "true" }));
    $('[data-act="names"]').addEventListener("click", () => {
      names = !names;
      setPressed("names", names);
      drawRoster();
      drawGrid();
      drawNotes();
      drawSequence();
    });
    $('[data-act="show"]').addEventListener("click", () => send({ type: "show", board, pupils: picked, named: option("named") }));
    $('[data-act="clear"]').addEventListener("click", () => send({ type: "show", board: "", pupils: [] }));
    $('[data-act="next"]').addEventListener("click", () => send({ type: "show_next", two: option("two"), named: option("named") }));
    $('[data-act="restart"]').addEventListener("click", () => send({ type: "restart" }));
    $('[data-act="suggest"]').addEventListener("click", () => send({ type: "suggest", board }));
  }
  drawNotes();
  drawSequence();
  drawReplay();
  connect();
})();
