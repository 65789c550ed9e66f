// The classroom page: step through a lesson's sections, show them all, reveal, full screen,
// and say so calmly when the lesson loses its connection.
// Inlined by index.html.j2 after the last section, so every section is already in the page.
(function () {
  "use strict";
  const body = document.body;
  const root = document.documentElement;
  const bar = document.querySelector(".mn-bar");
  if (!bar) return;
  const sections = Array.from(document.querySelectorAll("section.mn-section:not(.mn-setup)"));
  const control = (name) => bar.querySelector(`[data-mn="${name}"]`);
  const previous = control("previous");
  const next = control("next");
  const all = control("all");
  const fullscreen = control("fullscreen");
  const lessons = control("lessons");
  const menu = document.getElementById("mn-lessons-menu");
  const count = bar.querySelector(".mn-indicator-count");
  const name = bar.querySelector(".mn-indicator-name");
  const done = bar.querySelector(".mn-progress-done");
  bar.classList.toggle("mn-single", sections.length < 2);
  let current = 0;
  let stepping = true; // one section at a time: the whiteboard's default

  // The bar may wrap on a narrow screen: the page starts below it, however tall it is.
  const barHeight = () => body.style.setProperty("--mn-bar-h", `${bar.offsetHeight}px`);
  new ResizeObserver(barHeight).observe(bar);
  barHeight();

  // Widgets drawn while hidden measure themselves again when they are shown.
  const resized = () => window.dispatchEvent(new Event("resize"));

  // Voila's page scrolls its body; a plain page scrolls the document. Both are handled.
  const scroller = () => (body.scrollHeight > body.clientHeight ? body : document.scrollingElement);
  const toTop = () => {
    body.scrollTop = 0;
    window.scrollTo(0, 0);
  };

  // --- One section, one screen: in stepping mode the teacher never scrolls. ---
  // A section's cells are grouped into blocks, each the words before a board and that board (the
  // words after the last board are the section's tail). Then the layout that shows the boards
  // largest while everything fits is chosen: blocks one under another, the words beside their
  // board, the blocks side by side, or (when several boards would be too small together) one block
  // at a time behind tabs. A board is sized from outside, as a whole: it is laid out at no less than
  // DESIGN px wide (its toolbar on a row or two, its readout beside the drawing) and zoomed down to
  // the room it has, so it keeps its proportions whatever it draws; a set of questions is only made
  // narrower. Only when nothing fits even with small boards is the whole section scaled down.
  const LAYOUTS = ["mn-fit-stack", "mn-fit-beside", "mn-fit-columns", "mn-fit-tabs"];
  const DESIGN = 900; // px: a board's narrowest layout
  const MIN_BOARD = 450; // px on screen: half its layout, so its 44 px buttons stay 22 px or more
  // Boards this wide side by side beat one at a time: 640 px, or a third of a large screen.
  const goodBoard = () => Math.max(640, 0.35 * window.innerWidth);
  const MARGIN = 12; // px kept free under the section's last line
  const WIDGET = ".mn-board, .mn-questions"; // what is sized like a board: a board, a set of questions
  const hasBoard = (cell) => cell.querySelector(WIDGET) !== null;
  const boardOutputs = (section) =>
    Array.from(section.querySelectorAll(".jp-OutputArea-child")).filter((child) => child.querySelector(WIDGET));
  const blocksOf = (section) => Array.from(section.querySelectorAll(":scope > .mn-blocks > .mn-block"));

  // Group once the boards are drawn; moving a cell keeps its widgets (and the focus, put back).
  function group(section) {
    const cells = Array.from(section.querySelectorAll(":scope .mn-cell")).filter(
      (cell) => cell.parentElement.closest(".mn-cell") === null,
    );
    const blocks = [];
    let words = [];
    for (const cell of cells) {
      if (hasBoard(cell)) {
        // Boards that follow each other share a block (a picture and the next step); each set of
        // questions is a block of its own, so two long sets can go side by side or behind tabs.
        const questions = cell.querySelector(".mn-board") === null;
        const last = blocks[blocks.length - 1];
        if (last && !words.length && !questions && !last.questions) last.boards.push(cell);
        else blocks.push({ words, boards: [cell], questions });
        words = [];
      } else words.push(cell);
    }
    const key = blocks.map((b) => `${b.words.length}:${b.boards.length}`).join(",") + `|${words.length}`;
    if (section.dataset.mnBlocks === key) return blocks.length;
    const focused = document.activeElement;
    const make = (tag, className, attributes = {}) => {
      const node = document.createElement(tag);
      node.className = className;
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      return node;
    };
    let tabs = section.querySelector(":scope > .mn-tabs");
    if (!tabs) {
      tabs = make("div", "mn-tabs", { role: "tablist", "aria-label": "Boards" });
      tabs.hidden = true;
      section.append(tabs);
    }
    const holder = section.querySelector(":scope > .mn-blocks") || make("div", "mn-blocks");
    const tail = section.querySelector(":scope > .mn-tail") || make("div", "mn-tail");
    holder.replaceChildren(
      ...blocks.map((block, i) => {
        const node = make("div", "mn-block", { id: `${section.id}-board-${i + 1}` });
        const text = make("div", "mn-block-text");
        const boards = make("div", "mn-block-boards");
        text.append(...block.words);
        boards.append(...block.boards);
        node.append(text, boards);
        return node;
      }),
    );
    const choose = (i) => {
      section.dataset.tab = String(i);
      fit();
    };
    tabs.replaceChildren(
      ...blocks.map((block, i) => {
        const tab = make("button", "mn-bar-button mn-tab", { type: "button", role: "tab", "aria-controls": `${section.id}-board-${i + 1}` });
        tab.textContent = `Part ${i + 1}`;
        tab.addEventListener("click", () => choose(i));
        // Left and right arrows move along the tabs, as in any tab list.
        tab.addEventListener("keydown", (event) => {
          const by = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
          if (!by || event.ctrlKey || event.metaKey || event.altKey) return;
          event.preventDefault();
          const next = (i + by + blocks.length) % blocks.length;
          choose(next);
          tabs.children[next].focus();
        });
        return tab;
      }),
    );
    tail.append(...words);
    section.append(tabs, holder, tail);
    section.dataset.mnBlocks = key;
    if (focused && focused !== document.activeElement && document.contains(focused)) focused.focus({ preventScroll: true });
    return blocks.length;
  }

  // The lowest point of the section's content on the page (not the screen), whatever its own minimum height.
  const contentBottom = (section) =>
    scroller().scrollTop +
    Math.max(...Array.from(section.children, (child) => (child.hidden ? 0 : child.getBoundingClientRect().bottom)));

  // One block at a time (tabbed) or all of them. The words after the last board go with the last tab.
  function showTabs(section, on) {
    const tabs = section.querySelector(":scope > .mn-tabs");
    const tail = section.querySelector(":scope > .mn-tail");
    const blocks = blocksOf(section);
    const chosen = Math.min(Number(section.dataset.tab) || 0, Math.max(blocks.length - 1, 0));
    if (tabs) tabs.hidden = !on;
    if (tail) tail.hidden = on && chosen !== blocks.length - 1;
    blocks.forEach((block, i) => {
      block.hidden = on && i !== chosen;
      if (on) block.setAttribute("role", "tabpanel");
      else block.removeAttribute("role");
    });
    if (tabs) {
      Array.from(tabs.children).forEach((tab, i) => tab.setAttribute("aria-selected", String(i === chosen)));
    }
  }

  function unfit(section) {
    section.classList.remove("mn-fit", ...LAYOUTS);
    section.style.removeProperty("--mn-board-w");
    section.style.transform = "";
    showTabs(section, false);
    for (const child of boardOutputs(section)) child.style.width = child.style.zoom = "";
  }

  // Every board of the section shown `width` px wide at most (less where its column is narrower).
  function sizeBoards(section, width) {
    section.style.setProperty("--mn-board-w", `${width}px`);
    const outputs = boardOutputs(section).filter((child) => child.offsetParent !== null);
    for (const child of outputs) child.style.width = child.style.zoom = "";
    const rooms = outputs.map((child) => Math.min(width, child.parentElement.clientWidth));
    outputs.forEach((child, i) => {
      // Questions only narrow: their type follows their width down to a floor, their boxes stay 44 px.
      const layout = child.querySelector(".mn-board") ? Math.max(rooms[i], DESIGN) : rooms[i];
      child.style.width = `${layout}px`;
      child.style.zoom = String(rooms[i] / layout);
    });
    return outputs.length ? Math.min(...rooms) : 0;
  }

  function apply(section, layout) {
    section.classList.remove(...LAYOUTS);
    section.classList.add(...layout.split(" "));
    showTabs(section, layout.includes("mn-fit-tabs"));
  }

  function fit() {
    sections.forEach(unfit);
    if (!stepping || !sections.length) return;
    const section = sections[current];
    const room = window.innerHeight - MARGIN + scroller().scrollTop;
    const blocks = group(section);
    section.classList.add("mn-fit");
    const layouts = blocks ? ["mn-fit-stack", "mn-fit-beside"] : ["mn-fit-stack"];
    if (blocks > 1) layouts.push("mn-fit-columns", "mn-fit-tabs mn-fit-stack", "mn-fit-tabs mn-fit-beside");
    const full = section.clientWidth;
    let together = null; // the best layout showing every board: { layout, width, shown }
    let alone = null; // the best showing one block at a time
    let least = null; // the layout that overflows least with the smallest usable boards
    for (const layout of layouts) {
      apply(section, layout);
      // From the whole width down, a tenth at a time, to the first that fits.
      for (let width = full; ; width = Math.floor(width * 0.9)) {
        const shown = sizeBoards(section, Math.max(width, MIN_BOARD));
        const bottom = contentBottom(section);
        if (bottom <= room) {
          const found = { layout, width: Math.max(width, MIN_BOARD), shown };
          if (layout.includes("tabs")) alone = alone && alone.shown >= shown ? alone : found;
          else together = together && together.shown >= shown ? together : found;
          break;
        }
        if (!shown || width <= MIN_BOARD) {
          if (!least || bottom < least.bottom) least = { layout, width: MIN_BOARD, bottom };
          break;
        }
      }
    }
    const best =
      together && (together.shown >= goodBoard() || !alone || together.shown >= alone.shown) ? together : alone || together;
    if (best) {
      apply(section, best.layout);
      sizeBoards(section, best.width);
      return;
    }
    // Nothing fits with usable boards: the smallest usable boards, and the whole section scaled down.
    apply(section, least.layout);
    sizeBoards(section, least.width);
    const top = section.getBoundingClientRect().top + scroller().scrollTop;
    const zoom = (room - top) / (contentBottom(section) - top);
    // A transform, not zoom: the questions and boards size their type by their width, which zoom would keep.
    if (zoom < 1) section.style.transform = `scale(${Math.floor(zoom * 100) / 100})`;
  }

  // Boards are drawn after the page loads, readouts change, and a window can change size: fit again
  // once per frame at most. Fitting changes sizes too, but settles: the same content gives the same fit.
  let fitting = false;
  const refit = () => {
    if (fitting) return;
    fitting = true;
    requestAnimationFrame(() => {
      fit();
      fitting = false;
    });
  };
  const watcher = new ResizeObserver(refit);
  sections.forEach((section) => section.querySelectorAll(".mn-cell").forEach((cell) => watcher.observe(cell)));
  window.addEventListener("resize", refit);

  function fromHash() {
    const match = /^#section-(\d+)$/.exec(window.location.hash);
    const n = match ? Number(match[1]) - 1 : 0;
    return Math.min(Math.max(n, 0), Math.max(sections.length - 1, 0));
  }

  function show(index, scroll) {
    if (!sections.length) return;
    current = Math.min(Math.max(index, 0), sections.length - 1);
    sections.forEach((section, i) => section.classList.toggle("mn-current", i === current));
    const section = sections[current];
    count.textContent = `${current + 1} / ${sections.length}`;
    name.textContent = section.dataset.heading || "";
    done.style.width = `${((current + 1) / sections.length) * 100}%`;
    previous.disabled = current === 0;
    next.disabled = current === sections.length - 1;
    const hash = `#section-${current + 1}`; // a reload comes back here
    if (window.location.hash !== hash) history.replaceState(null, "", hash);
    if (scroll) {
      if (stepping) toTop();
      else section.scrollIntoView({ block: "start" });
    }
    resized();
  }

  const step = (by) => show(current + by, true);

  function setStepping(on) {
    stepping = on;
    body.classList.toggle("mn-stepping", on);
    all.setAttribute("aria-pressed", String(!on));
    all.textContent = on ? "Show all" : "One section";
    show(current, true);
  }

  // In Show all, the section at the top of the screen is the current one, for the bar and the hash.
  let pending = false;
  function follow() {
    if (stepping || pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const line = bar.getBoundingClientRect().bottom + 8;
      const s = scroller();
      let at = 0;
      sections.forEach((section, i) => {
        if (section.getBoundingClientRect().top <= line) at = i;
      });
      if (s.scrollTop > 0 && s.scrollTop + s.clientHeight >= s.scrollHeight - 2) at = sections.length - 1;
      if (at !== current) show(at, false);
    });
  }
  document.addEventListener("scroll", follow, { capture: true, passive: true });

  previous.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));
  all.addEventListener("click", () => setStepping(!stepping));

  // Full screen where the browser allows it (not every tablet does).
  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else root.requestFullscreen().catch(() => {});
  }
  if (root.requestFullscreen && document.fullscreenEnabled !== false) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", toggleFullscreen);
    document.addEventListener("fullscreenchange", () => {
      fullscreen.textContent = document.fullscreenElement ? "Exit full screen" : "Full screen";
      resized();
    });
  }

  // The lessons menu: opens under its button, closes on a tap elsewhere or Escape.
  function openMenu(open) {
    if (!lessons) return;
    menu.hidden = !open;
    lessons.setAttribute("aria-expanded", String(open));
  }
  if (lessons) {
    lessons.addEventListener("click", () => openMenu(menu.hidden));
    document.addEventListener("pointerdown", (event) => {
      if (!menu.hidden && !lessons.parentElement.contains(event.target)) openMenu(false);
    });
  }

  // Reveal: the cell stays covered until the teacher taps; Hide covers it again.
  for (const cell of document.querySelectorAll(".mn-cell[data-revealed]")) {
    const reveal = cell.querySelector(".mn-reveal-button");
    const hide = cell.querySelector(".mn-hide-button");
    reveal.addEventListener("click", () => {
      cell.dataset.revealed = "true";
      reveal.setAttribute("aria-expanded", "true");
      hide.focus();
      resized();
    });
    hide.addEventListener("click", () => {
      cell.dataset.revealed = "false";
      reveal.setAttribute("aria-expanded", "false");
      reveal.focus();
    });
  }

  // A finger swiped sideways across a section's words or margin steps too; on a board it is the board's.
  let swipe = null;
  document.addEventListener("pointerdown", (event) => {
    const inSection = event.target instanceof Element && event.target.closest(".mn-section");
    const onWidget = inSection && event.target.closest(".jp-OutputArea-output, button, a, input");
    swipe = stepping && event.pointerType === "touch" && inSection && !onWidget ? event : null;
  });
  document.addEventListener("pointerup", (event) => {
    if (!swipe || event.pointerId !== swipe.pointerId) return;
    const dx = event.clientX - swipe.clientX;
    const dy = event.clientY - swipe.clientY;
    const quick = event.timeStamp - swipe.timeStamp < 800;
    swipe = null;
    if (quick && Math.abs(dx) > 120 && Math.abs(dx) > 2 * Math.abs(dy)) step(dx < 0 ? 1 : -1);
  });
  document.addEventListener("pointercancel", () => (swipe = null));

  // Keys: PageDown/PageUp always step (a presenter's clicker sends them); arrows and "f" only
  // when the keyboard is not in a widget or a text box, where those keys belong to the widget.
  const OWN_KEYS = ".mn-tabs, .jp-OutputArea-output, .jupyter-widgets, .mn-board, input, textarea, select, [contenteditable]";
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && lessons && !menu.hidden) {
      openMenu(false);
      lessons.focus();
      return;
    }
    const inWidget = event.target instanceof Element && event.target.closest(OWN_KEYS);
    let act = null;
    if (event.key === "PageDown") act = () => step(1);
    else if (event.key === "PageUp") act = () => step(-1);
    else if (inWidget) return;
    else if (event.key === "ArrowRight") act = () => step(1);
    else if (event.key === "ArrowLeft") act = () => step(-1);
    else if ((event.key === "f" || event.key === "F") && !fullscreen.hidden) act = toggleFullscreen;
    if (!act) return;
    event.preventDefault();
    act();
  });

  window.addEventListener("hashchange", () => show(fromHash(), true));

  // A lost connection: the lesson's kernel is gone (shut down, or died and came back empty) or the
  // server cannot be reached. The page asks the server about its kernel every few seconds (never per
  // frame) and listens to the kernel's own status when Voila shares it. Boards keep their pieces in
  // this browser (widgets/static/board.js), so Reconnect reloads the page: a fresh kernel, the same boards.
  const lost = document.querySelector(".mn-lost");
  const lostText = lost && lost.querySelector(".mn-lost-text");
  const reconnect = lost && lost.querySelector(".mn-lost-button");
  let config = {};
  try {
    config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
  } catch {}
  if (lost && typeof config.kernelId === "string" && config.kernelId) {
    const base = typeof config.baseUrl === "string" ? config.baseUrl : "/";
    const kernelUrl = new URL(`${base.replace(/\/?$/, "/")}api/kernels/${encodeURIComponent(config.kernelId)}`, location.origin).href;
    const ask = () => fetch(kernelUrl, { cache: "no-store", credentials: "same-origin" });
    let failures = 0;
    let isLost = false;
    let poll = 0;
    let leaving = false; // a reload or another page: Voila closes the kernel's connection on the way out
    window.addEventListener("beforeunload", () => (leaving = true));

    const lose = () => {
      if (isLost || leaving) return;
      isLost = true;
      clearInterval(poll);
      lost.hidden = false;
      body.classList.add("mn-lost-shown");
      resized(); // a board fitted to the screen makes room for the banner
    };

    // A 404: the server no longer has this kernel. No answer twice in a row: the server is out of reach.
    async function check() {
      if (isLost) return;
      try {
        const answer = await ask();
        if (answer.status === 404) return lose();
        failures = answer.ok ? 0 : failures + 1;
      } catch {
        failures += 1;
      }
      if (failures >= 2) lose();
    }

    // Voila's kernel connection, once its app has started: "dead" and a restart (the kernel died and
    // came back without the lesson's boards) are known at once, not at the next question.
    function watchKernel() {
      const kernel = window.jupyterapp && window.jupyterapp.widgetManager && window.jupyterapp.widgetManager.kernel;
      if (!kernel || !kernel.statusChanged || !kernel.connectionStatusChanged) return false;
      kernel.statusChanged.connect((_, status) => {
        if (status === "dead" || status === "autorestarting" || status === "restarting") lose();
      });
      kernel.connectionStatusChanged.connect((_, status) => {
        if (status === "disconnected") check();
      });
      return true;
    }
    // Voila's app starts after this script: look for it four times a second (no request) until it is there.
    let looks = 0;
    const looking = setInterval(() => (watchKernel() || ++looks > 240) && clearInterval(looking), 250);

    poll = setInterval(() => document.hidden || check(), 5000);
    document.addEventListener("visibilitychange", () => document.hidden || check());
    window.addEventListener("online", () => check());
    window.addEventListener("offline", () => {
      check();
      setTimeout(check, 1500);
    });
    check();

    // Reconnect: when the server answers at all, reload; the boards come back from this browser.
    const resizeLost = () => body.style.setProperty("--mn-lost-h", `${lost.offsetHeight}px`);
    new ResizeObserver(resizeLost).observe(lost);
    reconnect.addEventListener("click", async () => {
      reconnect.disabled = true;
      reconnect.textContent = "Reconnecting\u2026";
      try {
        await ask();
        window.location.reload();
      } catch {
        lostText.textContent = "Still no connection. Check that the lesson is still running on the classroom computer, then press Reconnect.";
        reconnect.disabled = false;
        reconnect.textContent = "Reconnect";
      }
    });
  }

  for (const button of [previous, next, all]) button.disabled = false;
  current = fromHash();
  setStepping(true);
})();
