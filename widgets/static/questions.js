// Questions (widgets/questions.py): exit tickets and intelligent practice.
// The browser owns the typing; Python owns the marking. This module never sees an answer until
// the teacher reveals them: it sends each attempt to Python and shows what Python says.

const MANY = 5; // from this many questions, two columns where the widget is wide enough

function htmlEl(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text; // text, never markup
  return node;
}

// Each view's inputs get ids of their own, for their labels. The count is the page's, not this
// module's: every widget loads its own copy of this module, so a module-level count would start
// again at 1 for each Questions of a lesson, and two widgets would share ids.
const VIEWS = Symbol.for("mastery-notebooks/questions-views");
const nextView = () => (globalThis[VIEWS] = (globalThis[VIEWS] || 0) + 1);

export default {
  render({ model, el }) {
    const view = nextView();
    // A named group, not a landmark: the lesson's section around it is the landmark, often of the same name.
    const root = htmlEl("div", "mn-questions");
    root.setAttribute("role", "group");
    const heading = htmlEl("h2", "mn-q-title");
    heading.id = `mn-q-${view}-title`;
    root.setAttribute("aria-labelledby", heading.id);
    const message = htmlEl("div", "mn-q-message");
    message.setAttribute("role", "status");
    const list = htmlEl("ol", "mn-q-list");
    const footer = htmlEl("div", "mn-q-footer");
    const score = htmlEl("div", "mn-q-score");
    score.setAttribute("aria-live", "polite");
    const reveal = htmlEl("button", "mn-q-button mn-q-reveal", "Reveal answers");
    reveal.type = "button";
    footer.append(score, reveal);
    root.append(heading, message, list, footer);
    el.append(root);

    let rows = []; // one per question: { input (null for options), buttons, options, verdict, answer, item }
    const get = (name, i) => (model.get(name) || [])[i];

    function check(i) {
      // Python marks it; until it answers, the old verdict stays, dimmed as out of date.
      model.send({ action: "check", index: i, attempt: rows[i].input.value });
    }

    function build() {
      const prompts = model.get("prompts") || [];
      list.replaceChildren();
      root.classList.toggle("mn-q-many", prompts.length >= MANY);
      rows = prompts.map((prompt, i) => {
        const item = htmlEl("li", "mn-q-item");
        const options = get("options", i) || [];
        const worked = get("worked", i) || "";
        const reason = get("reasons", i) || "";
        const number = htmlEl("span", "mn-q-number", `${i + 1}`);
        const feedback = htmlEl("div", "mn-q-feedback");
        feedback.setAttribute("aria-live", "polite");
        const verdict = htmlEl("span", "mn-q-verdict");
        const answer = htmlEl("span", "mn-q-answer");
        feedback.append(verdict, answer);
        const line = htmlEl("div", "mn-q-line");
        if (options.length) {
          // Options to tap: each a button, named by its text; the group is named by the question.
          const heading = htmlEl("div", "mn-q-prompt");
          heading.append(number, htmlEl("span", "mn-q-text", prompt));
          const group = htmlEl("div", "mn-q-options");
          group.setAttribute("role", "group");
          group.setAttribute("aria-label", `${i + 1}. ${prompt}`);
          const lettered = get("kinds", i) === "choice"; // a hinge question's options go by letter
          const buttons = options.map((option, k) => {
            const button = htmlEl("button", "mn-q-button mn-q-option");
            button.type = "button";
            if (lettered) {
              const letter = String.fromCharCode(97 + k);
              button.append(htmlEl("span", "mn-q-letter", letter));
              button.setAttribute("aria-label", `${letter}) ${option}`); // spoken as the answer is revealed
            }
            button.append(htmlEl("span", "mn-q-option-text", option));
            button.setAttribute("aria-pressed", "false");
            button.addEventListener("click", () => model.send({ action: "check", index: i, attempt: option }));
            return button;
          });
          group.append(...buttons);
          line.append(group, feedback);
          item.append(heading, line);
          if (reason) item.append(htmlEl("p", "mn-q-reason", reason));
          list.append(item);
          return { input: null, buttons, options, verdict, answer, item };
        }
        const id = `mn-q-${view}-${i}`;
        const label = htmlEl("label", "mn-q-prompt");
        label.htmlFor = id;
        label.append(number, htmlEl("span", "mn-q-text", prompt));
        // The worked line to spot the mistake in is part of the box's name, so a screen reader reads it too.
        if (worked) label.append(htmlEl("span", "mn-q-worked", worked));
        const input = htmlEl("input", "mn-q-input");
        Object.assign(input, { id, type: "text", inputMode: "text", autocomplete: "off", maxLength: 60, spellcheck: false });
        input.setAttribute("autocapitalize", "off");
        input.setAttribute("autocorrect", "off");
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter" && !event.isComposing) {
            event.preventDefault();
            check(i);
          }
        });
        input.addEventListener("input", () => markStale(i));
        const button = htmlEl("button", "mn-q-button mn-q-check", "Check");
        button.type = "button";
        button.setAttribute("aria-label", `Check answer ${i + 1}`);
        button.addEventListener("click", () => check(i));
        line.append(input, button, feedback);
        item.append(label, line);
        if (reason) item.append(htmlEl("p", "mn-q-reason", reason));
        list.append(item);
        input.value = get("attempts", i) || "";
        return { input, buttons: [], options, verdict, answer, item };
      });
      mark();
    }

    function markStale(i) {
      const row = rows[i];
      if (!row.input) return; // an option tapped is checked at once: it is never out of date
      const typed = row.input.value.trim();
      row.item.classList.toggle("mn-q-stale", typed !== "" && typed !== (get("attempts", i) || ""));
    }

    function mark() {
      const answers = model.get("answers") || [];
      rows.forEach((row, i) => {
        const result = get("results", i);
        row.item.classList.toggle("mn-q-right", result === true);
        row.item.classList.toggle("mn-q-wrong", result === false);
        row.verdict.textContent = get("feedback", i) || "";
        row.answer.textContent = answers.length ? `Answer: ${answers[i]}` : "";
        const attempt = get("attempts", i) || "";
        row.buttons.forEach((button, k) => button.setAttribute("aria-pressed", String(row.options[k] === attempt)));
        if (!row.input) return;
        // Python's copy of what was checked fills an empty box (a new view), never one being typed in.
        if (document.activeElement !== row.input || row.input.value === "") {
          if (row.input.value.trim() !== attempt) row.input.value = attempt;
        }
        markStale(i);
      });
      root.classList.toggle("mn-q-revealed", answers.length > 0);
      reveal.disabled = answers.length > 0;
      reveal.hidden = (model.get("teacher_only") || []).includes("reveal"); // a pupil's, in a class
      reveal.textContent = answers.length ? "Answers shown" : "Reveal answers";
      score.textContent = model.get("summary") || "";
    }

    function words() {
      const title = model.get("title") || "";
      heading.textContent = title;
      heading.hidden = !title;
      const why = model.get("message") || "";
      message.textContent = why;
      message.hidden = !why;
    }

    reveal.addEventListener("click", () => model.send({ action: "reveal" }));
    build();
    words();
    model.on("change:prompts change:options change:worked change:reasons", build);
    model.on("change:attempts change:results change:feedback change:answers change:summary change:teacher_only", mark);
    model.on("change:title change:message", words);
    return () => {
      model.off("change:prompts change:options change:worked change:reasons", build);
      model.off("change:attempts change:results change:feedback change:answers change:summary", mark);
      model.off("change:title change:message", words);
    };
  },
};
