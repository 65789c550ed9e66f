// Timing inside the page, installed before any of the page's own scripts (Playwright's init script).
// Every time is performance.now(): milliseconds since this page's navigation began.
(() => {
  // Each visit is a pupil opening the lesson afresh: no board work kept from an earlier visit (autosave).
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith("mastery-notebooks/")) localStorage.removeItem(key);
  } catch {}
  const probe = {
    drawn: null, // when the selector given to waitDrawn first matched
    lastPointerUp: null, // the last pointerup anywhere, seen first (capture phase on window)
    changes: [], // readout changes: { t, text }
    frames: null, // frame timing while a drag is measured
  };
  window.__probe = probe;
  addEventListener("pointerup", () => (probe.lastPointerUp = performance.now()), true);

  // Where a round trip's time goes: the last websocket message sent, and the last one received (before
  // the page's own handler runs), so pointerup -> sent -> received -> readout changed.
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    probe.lastSend = performance.now();
    return send.call(this, data);
  };
  const Native = WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => (probe.lastMessage = performance.now()));
    }
  };

  // When the first widget is drawn: a MutationObserver from the start of the document.
  probe.waitDrawn = (selector) => {
    if (document.querySelector(selector)) return (probe.drawn = performance.now());
    const watch = new MutationObserver(() => {
      if (probe.drawn === null && document.querySelector(selector)) {
        probe.drawn = performance.now();
        watch.disconnect();
      }
    });
    watch.observe(document, { childList: true, subtree: true });
  };

  // A readout's text: each time it differs from before, the time and the new text.
  probe.watchText = (selector) => {
    const node = document.querySelector(selector);
    let last = node.textContent;
    probe.changes = [];
    new MutationObserver(() => {
      if (node.textContent !== last) {
        last = node.textContent;
        probe.changes.push({ t: performance.now(), text: last, sent: probe.lastSend, received: probe.lastMessage });
      }
    }).observe(node, { childList: true, subtree: true, characterData: true });
    return last;
  };

  // Frames while a drag runs. For each frame that handles a pointermove: the main thread's work, from the
  // event to the end of that frame's rendering (a message posted from requestAnimationFrame runs after
  // style, layout and paint). And the interval between frames, from requestAnimationFrame's timestamps.
  probe.startFrames = () => {
    const f = { work: [], intervals: [], moves: 0, on: true };
    let first = null;
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => f.work.push(performance.now() - event.data);
    f.onMove = () => {
      f.moves += 1;
      if (first !== null) return;
      first = performance.now();
      requestAnimationFrame(() => {
        channel.port2.postMessage(first);
        first = null;
      });
    };
    addEventListener("pointermove", f.onMove, true);
    let last = null;
    const tick = (t) => {
      if (!f.on) return;
      if (last !== null) f.intervals.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    probe.frames = f;
  };
  probe.stopFrames = () => {
    const f = probe.frames;
    f.on = false;
    removeEventListener("pointermove", f.onMove, true);
    return { work: f.work, intervals: f.intervals, moves: f.moves };
  };
})();
