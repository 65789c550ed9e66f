// A lesson page in a class: follows the class's pacing, says which section it shows, and on the
// teacher's whiteboard shows how to join and the pupils' boards the teacher chose. The server decides
// who is the teacher (it sends the join details to the teacher's pages only); this page decides nothing.
(function () {
  const given = document.getElementById("mn-class");
  let info = {};
  try {
    info = JSON.parse(given ? given.textContent : "{}") || {};
  } catch {}
  if (typeof info.socket !== "string" || !info.socket.startsWith("/")) return;
  const body = document.body;
  const make = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const picture = (svg) => "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  let socket = null;
  let teacher = false;
  let pace = { hold: false, section: 1, paused: false };

  const section = () => {
    const count = document.querySelector(".mn-indicator-count");
    const n = count ? parseInt(count.textContent, 10) : NaN;
    return Number.isFinite(n) ? n : 1;
  };
  const send = (message) => socket && socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));
  const say = () => send({ type: "section", section: section(), whiteboard: teacher });

  // "Eyes on me": the whole screen covered, the lesson kept as it was underneath.
  const cover = make("div", "mn-class-cover");
  cover.setAttribute("role", "alert");
  cover.hidden = true;
  cover.append(make("p", "mn-class-cover-text", "Eyes on your teacher"));
  body.append(cover);

  function follow() {
    cover.hidden = teacher || !pace.paused;
    body.classList.toggle("mn-held", !teacher && pace.hold);
    if (!teacher && pace.hold && section() !== pace.section) window.location.hash = `#section-${pace.section}`;
  }

  // On the whiteboard: how to join, and the boards chosen on the dashboard, large and anonymised.
  const join = make("aside", "mn-class-join");
  join.hidden = true;
  const shown = make("div", "mn-class-shown");
  shown.hidden = true;
  shown.setAttribute("role", "region");
  shown.setAttribute("aria-label", "Pupils' boards");
  body.append(join, shown);

  function drawJoin(message) {
    join.replaceChildren();
    const words = make("div", "mn-class-join-words");
    words.append(make("div", "mn-class-join-label", "Join at"), make("div", "mn-class-join-address", message.join));
    words.append(make("div", "mn-class-join-label", "Code"), make("div", "mn-class-join-code", message.code));
    join.append(words);
    if (message.qr) {
      const qr = make("img", "mn-class-join-qr");
      qr.alt = "QR code of the join address";
      qr.src = picture(message.qr);
      join.append(qr);
    }
    const hide = make("button", "mn-bar-button mn-class-join-hide", "Hide");
    hide.type = "button";
    hide.addEventListener("click", () => (join.hidden = true));
    join.append(hide);
    join.hidden = false;
  }

  function drawShown(message) {
    shown.replaceChildren();
    const boards = message.boards || [];
    shown.hidden = !boards.length;
    shown.dataset.count = String(boards.length);
    for (const board of boards) {
      const figure = make("figure", "mn-class-board");
      if (board.svg) {
        const img = make("img");
        img.alt = `${board.label}: a pupil's board`;
        img.src = picture(board.svg);
        figure.append(img);
      } else figure.append(make("div", "mn-class-board-empty", "Nothing on this board yet"));
      figure.append(make("figcaption", "", board.label));
      shown.append(figure);
    }
    // The anticipated response these boards show, when the teacher chose to name it.
    if (boards.length && message.response) shown.append(make("p", "mn-class-shown-response", message.response));
    const close = make("button", "mn-bar-button mn-class-shown-close", "Back to the lesson");
    close.type = "button";
    close.addEventListener("click", () => send({ type: "show", board: "", pupils: [] }));
    shown.append(close);
  }

  // On a pupil's own screen, the name they joined by (or were given): to join again on another device.
  const you = make("div", "mn-class-you");
  you.setAttribute("role", "status");
  you.hidden = true;
  body.append(you);

  function heard(message) {
    if (message.type === "you" && typeof message.name === "string") {
      you.textContent = `You are ${message.name}`;
      you.hidden = false;
    } else if (message.type === "class") {
      teacher = true;
      drawJoin(message);
      say();
    } else if (message.type === "pace") {
      pace = message;
      follow();
    } else if (message.type === "show") {
      drawShown(message);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${info.socket}`);
    socket.addEventListener("open", say);
    socket.addEventListener("message", (event) => {
      try {
        heard(JSON.parse(event.data));
      } catch {}
    });
    socket.addEventListener("close", () => setTimeout(connect, 3000));
  }

  // The section shown: told to the server when it changes (the stepper's count is the page's own).
  let last = 0;
  const count = document.querySelector(".mn-indicator-count");
  if (count)
    new MutationObserver(() => {
      if (section() === last) return;
      last = section();
      say();
      follow();
    }).observe(count, { childList: true, characterData: true, subtree: true });
  connect();
})();
