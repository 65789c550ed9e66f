"""Questions: exit tickets, hinge questions and intelligent practice, marked on the spot in Python.

A lesson author gives a list of questions. Each is a (prompt, answer) pair, or one of the kinds
below when the question needs more. Pupils answer and press Check (or tap an option); the browser
sends the attempt and Python marks it with the kit's one answer reader (`maths.answers`). The answers
stay in a private attribute here: they reach the browser only when the teacher reveals them.

    Questions(
        [
            ("3 + (−2)", 1),                                           # the form read from the answer
            Ask("Write the total number of cards", "4d", form="expression"),
            Ask("How many pupils are in the class?", 28, units=["pupils"]),
            Choice("3/4 of 20", answer=15, wrong={5: "found 1/4, not 3/4", 60: "multiplied by 3 only"}),
            TrueFalse("−3 is greater than −2", False, reason="Show it on a number line."),
            SpotTheMistake("Expand 3(x + 4)", worked="3(x + 4) = 3x + 4", answer="3x + 12"),
            AlwaysSometimesNever("Adding a negative number makes the answer smaller.", "always"),
        ],
        title="Exit ticket",
        name="exit",
    )

A question's form (`maths.answers.FORMS`) says what a right answer looks like: "value", "expression"
(any way of writing it), "simplified" (collected), "factorised" (fully), "fraction" (simplest form),
"ratio", "simplest ratio", "text". Without `form=`, it is read from the answer: a number is a value, a
ratio such as "8:12" a ratio, an expression in one letter with brackets a factorised answer, one
without brackets a simplified one, anything else text.
"""

from __future__ import annotations

import math
import random
import re
import zlib
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, ClassVar

import traitlets as t

from maths.answers import FORMS, Answer, Judgement
from maths.numbers import NotANumber, OverZero, read_number, unify_minus
from maths.polynomial import ParseError, read
from maths.printing import written

from ._board import MAX_LABEL, Refused, _short, check_label, front_end, stylesheet
from ._protocol import Guarded, action

MAX_QUESTIONS = 40
MAX_PROMPT = 200
MAX_ATTEMPT = 60  # the front end's input holds no more; an answer must fit it too
MAX_TITLE = 80
MAX_CHECKS = 20  # checks of one question from one page: plenty for a pupil, too few for a script to search
MAX_OPTIONS = 6
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SNAPSHOT_VERSION = 1

RIGHT = Judgement(True).feedback
NOT_YET = Judgement(False).feedback
_EMPTY = "Type an answer, then press Check."
_RATIO = re.compile(r"\s*[^:∶]+(\s*[:∶]\s*[^:∶]+)+\s*")
# What the page draws for each kind of question: an answer box, or buttons to tap.
KINDS = ("answer", "choice", "true/false", "mistake", "always/sometimes/never")
_ASN = ("Always", "Sometimes", "Never")


# --- checking what authors give --------------------------------------------------------------


def _one_line(value: Any, what: str, most: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be text (a str), not {type(value).__name__}.")
    if not value.strip():
        raise ValueError(f"{what} is empty.")
    if len(value) > most:
        raise ValueError(f"{what} is {len(value)} characters long; at most {most} fit.")
    if _CONTROL.search(value):
        raise ValueError(f"{what} must be one line of text, with no line breaks or tabs.")
    return value.strip()


def _inferred_form(answer: Any) -> str:
    """The form a plain (prompt, answer) pair asks for, read from the answer as a teacher would."""
    if not isinstance(answer, str):
        return "value"
    try:
        read_number(answer)
        return "value"
    except OverZero:
        return "value"  # the answer reader says what is wrong with it
    except NotANumber:
        pass
    if _RATIO.fullmatch(answer):
        return "ratio"
    letters = {c for c in answer.lower() if c.isalpha()}
    if len(letters) != 1 or answer.strip() in letters:  # a lone letter other than x is a word ("b")
        return "simplified" if answer.strip().lower() == "x" else "text"
    try:
        read(unify_minus(answer), letters.pop())
    except ParseError:
        return "text"
    return "factorised" if "(" in answer else "simplified"


def _option(value: Any, what: str) -> str:
    """An option as the page shows it: a number written as a textbook prints it, or the author's text.

    A tapped option is sent as the attempt, so it must fit where an attempt does."""
    if isinstance(value, (int, Fraction, float)) and not isinstance(value, bool):
        return written(value)
    return _one_line(value, what, MAX_ATTEMPT)


class Ask:
    """One question with an answer box: a prompt, its answer, and the form a right answer takes.

    `form` is one of `maths.answers.FORMS` (read from the answer when not given); `units` are the words
    a number may carry in this question (["pupils"]); `letter` is the expression's letter when the
    answer has none of its own to say; `powers` reads x2 as x² (by default, when the answer has x²).
    """

    kind: ClassVar[str] = "answer"
    options: Sequence[str] = ()  # the options to tap, for a question answered by tapping

    def __init__(
        self,
        prompt: str,
        answer: Any,
        form: str | None = None,
        *,
        units: Sequence[str] = (),
        letter: str | None = None,
        powers: bool | None = None,
    ) -> None:
        self.prompt, self.answer, self.form = prompt, answer, form
        self.units = list(units) if not isinstance(units, str) else units  # a lone str is refused in _build
        self.letter, self.powers = letter, powers
        self.misconceptions: dict[str, str] = {}  # teacher-only: an option's text -> what choosing it shows
        self.worked = ""
        self.reason = ""

    def _build(self, n: int) -> None:
        """Check what the author gave, naming question n and the fix; make the answer to judge by."""
        what, answer = f"The answer to question {n}", self.answer
        self.prompt = _one_line(self.prompt, f"The prompt of question {n}", MAX_PROMPT)
        if isinstance(answer, str):
            _one_line(answer, what, MAX_ATTEMPT)
        elif isinstance(answer, bool) or not isinstance(answer, (int, Fraction, float)):
            raise TypeError(f"{what} must be an int, a Fraction, a float or a str; got {type(answer).__name__}.")
        elif isinstance(answer, float) and not math.isfinite(answer):
            raise ValueError(f"{what} must be a finite number; got {answer}.")
        if self.form is None:
            self.form = _inferred_form(answer)
        elif self.form not in FORMS:
            raise ValueError(f"The form of question {n} must be one of {', '.join(FORMS)}; got {_short(self.form)}.")
        self._answer = _made_answer(what, answer, self.form, units=self.units, letter=self.letter, powers=self.powers)

    def judge(self, attempt: str) -> Judgement:
        """Mark a pupil's attempt: right or not, and what to change."""
        return self._answer.judge(attempt)

    @property
    def written(self) -> str:
        """The answer as a textbook prints it, for Reveal answers."""
        return self._answer.written

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.prompt!r:.60})"


def _made_answer(what: str, *args: Any, **kwargs: Any) -> Answer:
    try:
        answer = Answer(*args, **kwargs)
    except (TypeError, ValueError) as why:
        raise type(why)(f"{what}: {why}.") from None
    if len(answer.written) > MAX_ATTEMPT:
        raise ValueError(f"{what} is too long to type in the answer box (at most {MAX_ATTEMPT} characters).")
    return answer


class Choice(Ask):
    """Multiple choice, for a hinge question: the right answer and the wrong options, shown as buttons.

    `wrong` is a list of wrong options, or a dict from each wrong option to the misconception choosing it
    shows (for the teacher only: `Questions.diagnosis`). The options are shuffled by `seed` (by default a
    seed made from the prompt), so every screen in the class shows the same order; `shuffle=False`
    keeps the right answer first and the wrong ones in the order given.
    """

    kind: ClassVar[str] = "choice"

    def __init__(
        self,
        prompt: str,
        answer: Any,
        wrong: Sequence[Any] | Mapping[Any, str],
        *,
        seed: int | None = None,
        shuffle: bool = True,
    ) -> None:
        super().__init__(prompt, answer, "choice")
        self._wrong, self._seed, self._shuffle = wrong, seed, shuffle

    def _build(self, n: int) -> None:
        what = f"Question {n}"
        self.prompt = _one_line(self.prompt, f"The prompt of question {n}", MAX_PROMPT)
        wrong = self._wrong
        if isinstance(wrong, (str, bytes)) or not isinstance(wrong, (Sequence, Mapping)):
            raise TypeError(f"{what}'s wrong options must be a list, or a dict of option: misconception.")
        right = _option(self.answer, f"The answer to question {n}")
        options = [right] + [_option(w, f"A wrong option of question {n}") for w in wrong]
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise ValueError(f"{what} needs 1 to {MAX_OPTIONS - 1} wrong options; got {len(options) - 1}.")
        if len({"".join(unify_minus(o).split()).casefold() for o in options}) != len(options):
            raise ValueError(f"{what} shows the same option twice: make each option different.")
        if isinstance(wrong, Mapping):
            for key, said in wrong.items():
                if not isinstance(said, str):
                    raise TypeError(f"{what}: the misconception of option {_short(key)} must be text.")
            self.misconceptions = {_option(k, ""): v.strip() for k, v in wrong.items() if v.strip()}
        if self._shuffle:
            seed = self._seed if self._seed is not None else zlib.crc32(self.prompt.encode())
            random.Random(seed).shuffle(options)
        self.options = options
        self._answer = _made_answer(f"The answer to question {n}", options.index(right), "choice", options=options)


class _Statement(Ask):
    """A statement judged by tapping an option, with a prompt for the pupil's reason (shown, not marked)."""

    def __init__(self, statement: str, answer: Any, reason: str) -> None:
        super().__init__(statement, answer)
        self.reason = reason

    def _build(self, n: int) -> None:
        self.prompt = _one_line(self.prompt, f"The statement of question {n}", MAX_PROMPT)
        self.reason = _one_line(self.reason, f"The reason prompt of question {n}", MAX_PROMPT)
        self._answer, self._chosen = self._judged_by(f"The answer to question {n}")

    def _judged_by(self, what: str) -> tuple[Answer, int]:
        """The answer to judge by, and which of the options it is."""
        raise NotImplementedError

    @property
    def written(self) -> str:
        return self.options[self._chosen]


class TrueFalse(_Statement):
    """A statement to mark true or false, with a prompt for the pupil's reason (shown, not marked)."""

    kind: ClassVar[str] = "true/false"
    options = ("True", "False")

    def __init__(self, statement: str, answer: bool, *, reason: str = "Explain how you know.") -> None:
        super().__init__(statement, answer, reason)

    def _judged_by(self, what: str) -> tuple[Answer, int]:
        return _made_answer(what, self.answer, "true/false"), self.options.index(str(self.answer))


class AlwaysSometimesNever(_Statement):
    """A statement that is always, sometimes or never true, with a prompt for the pupil's reason."""

    kind: ClassVar[str] = "always/sometimes/never"
    options = _ASN

    def __init__(self, statement: str, answer: str, *, reason: str = "Give an example, or say why not.") -> None:
        super().__init__(statement, answer, reason)

    def _judged_by(self, what: str) -> tuple[Answer, int]:
        said = self.answer.strip().casefold() if isinstance(self.answer, str) else None
        if said not in [a.casefold() for a in self.options]:
            raise ValueError(f"{what} must be 'always', 'sometimes' or 'never'.")
        answer = _made_answer(what, said, "choice", options=self.options)
        return answer, answer.choice


class SpotTheMistake(Ask):
    """A worked line with a mistake in it: the pupil gives the corrected answer, in the form it asks for."""

    kind: ClassVar[str] = "mistake"

    def __init__(self, prompt: str, worked: str, answer: Any, form: str | None = None, **how: Any) -> None:
        """`how` is what an Ask takes besides: units, letter, powers."""
        super().__init__(prompt, answer, form, **how)
        self.worked = worked

    def _build(self, n: int) -> None:
        super()._build(n)
        self.worked = _one_line(self.worked, f"The worked line of question {n}", MAX_PROMPT)


def _items(items: Any) -> list[Ask]:
    if isinstance(items, (str, bytes, dict)) or not isinstance(items, (list, tuple)):
        raise TypeError(
            "Questions takes a list of questions: (prompt, answer) pairs such as [('3 + (\u22122)', 1)], "
            f"or Ask, Choice, TrueFalse, SpotTheMistake, AlwaysSometimesNever; got {type(items).__name__}."
        )
    if not 1 <= len(items) <= MAX_QUESTIONS:
        raise ValueError(f"Questions takes 1 to {MAX_QUESTIONS} questions; got {len(items)}.")
    questions = []
    for n, item in enumerate(items, 1):
        if isinstance(item, Ask):
            question = item
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            question = Ask(*item)
        else:
            raise TypeError(
                f"Question {n} must be a pair (prompt, answer), or Ask(prompt, answer, form) to name its form; "
                f"got {_short(item)}."
            )
        question._build(n)
        questions.append(question)
    return questions


# --- the widget ------------------------------------------------------------------------------


class Questions(Guarded):
    """Questions, each answered in a box or by tapping an option, marked in Python; the answers stay here
    until reveal()."""

    _esm = front_end("questions.js")
    # The board palette (drawing.css), given to this widget's root, then its own layout.
    _css = stylesheet("drawing.css", "questions.css")  # the palette, then the questions' own look

    title = t.Unicode("").tag(sync=True)
    name = t.Unicode("").tag(sync=True)  # a stable key within a lesson, for autosave and capture
    prompts = t.List(t.Unicode()).tag(sync=True)
    kinds = t.List(t.Unicode()).tag(sync=True)  # per question, one of KINDS: how the page asks it
    options = t.List(t.List(t.Unicode())).tag(sync=True)  # per question, the buttons to tap ([] for a box)
    worked = t.List(t.Unicode()).tag(sync=True)  # per question, the worked line to spot the mistake in ("")
    reasons = t.List(t.Unicode()).tag(sync=True)  # per question, what to say about why ("" for none)
    attempts = t.List(t.Unicode()).tag(sync=True)  # the last attempt checked, per question ("" for none)
    results = t.List().tag(sync=True)  # per question: None (not tried), True, False
    feedback = t.List(t.Unicode()).tag(sync=True)  # what Python says about each last attempt
    answers = t.List(t.Unicode()).tag(sync=True)  # empty until reveal(); then each answer, written
    summary = t.Unicode("").tag(sync=True)  # the score line, such as "3 of 5 right"

    _state_traits: ClassVar[list[str]] = [
        "title",
        "name",
        "prompts",
        "kinds",
        "options",
        "worked",
        "reasons",
        "attempts",
        "results",
        "feedback",
        "answers",
        "summary",
        "message",
    ]
    _shown: ClassVar[tuple[str, ...]] = ("prompts", "kinds", "options", "worked", "reasons")
    _refusal = "The questions take answers only through their Check buttons."

    def __init__(self, items: list[Any], *, title: str = "", name: str = "") -> None:
        questions = _items(items)
        n = len(questions)
        self._setup(_shown_of(questions), questions, title, name, [""] * n, [None] * n)

    def _setup(
        self,
        shown: dict[str, list[Any]],
        questions: list[Ask] | None,
        title: str,
        name: str,
        attempts: list[str],
        results: list[bool | None],
    ) -> None:
        self._answers = questions  # private: never a trait, never in get_state()
        super().__init__(
            title=title,
            name=name,
            **shown,
            attempts=attempts,
            results=results,
            feedback=[{True: RIGHT, False: NOT_YET, None: ""}[r] for r in results],
        )
        self.summary = self._summary()

    @t.validate("title")
    def _check_title(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value == "":
            return value
        try:
            return _one_line(value, "The title", MAX_TITLE)
        except (TypeError, ValueError) as why:
            raise Refused(str(why)) from None

    @t.validate("name")
    def _check_name(self, proposal: dict[str, Any]) -> str:
        try:
            return check_label(proposal["value"])
        except Refused:
            raise Refused(f"A name must be text of at most {MAX_LABEL} characters on one line.") from None

    # --- what authors and teachers call ----------------------------------------------------

    @property
    def score(self) -> tuple[int, int]:
        """(right, tried): how many questions were answered right, of those tried."""
        return sum(r is True for r in self.results), sum(r is not None for r in self.results)

    def check(self, index: int, attempt: str) -> bool:
        """Check an attempt at question `index` (from 0), as the browser's Check button does.

        For a question with options, the attempt is the option's text (or its letter, or true/false).
        Updates results, feedback and the score. An empty attempt is not a try: it changes no result.
        """
        self._question(index)
        if not isinstance(attempt, str):
            raise TypeError(f"An attempt is text, as a pupil types it; got {type(attempt).__name__}.")
        if len(attempt) > MAX_ATTEMPT or _CONTROL.search(attempt):
            raise Refused(f"An answer is one line of at most {MAX_ATTEMPT} characters.")
        if self._answers is None:
            raise Refused("These questions were restored without their answers, so they cannot be checked.")
        attempt = attempt.strip()
        if attempt:
            judged = self._answers[index].judge(attempt)
            right, said, result = judged.right, judged.feedback, judged.right
            self.attempts = _replace(self.attempts, index, attempt)
        else:
            right, said, result = False, _EMPTY, self.results[index]
        self.results = _replace(self.results, index, result)
        self.feedback = _replace(self.feedback, index, said)
        self.summary = self._summary()
        return right

    def _question(self, index: int) -> None:
        """Refuse an index that names no question, saying which there are."""
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"A question's index is a whole number from 0; got {_short(index)}.")
        if not 0 <= index < len(self.prompts):
            raise Refused(f"There is no question {_short(index)}: these are questions 0 to {len(self.prompts) - 1}.")

    def diagnosis(self, index: int) -> str:
        """For the teacher: the misconception the last attempt at question `index` shows ("" for none named).

        A Choice names one for each wrong option given as a dict. Never sent to the browser.
        """
        self._question(index)
        if self._answers is None or self.results[index] is not False:
            return ""
        question, attempt = self._answers[index], self.attempts[index]
        for i, option in enumerate(question.options):
            if option in question.misconceptions and Answer(i, "choice", options=question.options).judge(attempt).right:
                return question.misconceptions[option]
        return ""

    def reveal(self) -> None:
        """Show every answer, beside each question (the teacher's Reveal answers button)."""
        if self._answers is None:
            raise Refused("These questions were restored without their answers, so there is nothing to reveal.")
        self.answers = [a.written for a in self._answers]

    def snapshot(self) -> dict[str, Any]:
        """What pupils see and did, as plain JSON (never the answers)."""
        snap = {"widget": type(self).__name__, "version": _SNAPSHOT_VERSION, "title": self.title, "name": self.name}
        snap.update({key: _plain(getattr(self, key)) for key in self._shown})
        snap.update({"attempts": list(self.attempts), "results": list(self.results)})
        return snap

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any], answers: list[Any] | None = None) -> Questions:
        """Questions restored from `snapshot()`. Without `answers` they show, but cannot check or reveal.

        `answers` gives each question's answer (as in a (prompt, answer) pair), or the question itself
        (an Ask, Choice, ...), one per prompt.
        """
        if not isinstance(snap, dict) or snap.get("widget") != cls.__name__:
            raise ValueError(f"This is not a snapshot of {cls.__name__}.")
        if snap.get("version") != _SNAPSHOT_VERSION:
            raise ValueError(f"Snapshot version {_short(snap.get('version'))} is not one this kit reads (it reads 1).")
        fields = {"widget", "version", "title", "name", "attempts", "results", *cls._shown}
        unknown = snap.keys() - fields
        if unknown:
            raise ValueError(f"A {cls.__name__} snapshot has no field {', '.join(sorted(map(_short, unknown)))}.")
        prompts = snap.get("prompts")
        if not isinstance(prompts, list):
            raise ValueError("A Questions snapshot needs its prompts, as a list of text.")
        if answers is None:
            shown, checked = _shown_from_snapshot(snap), None
        else:
            if not isinstance(answers, list) or len(answers) != len(prompts):
                raise ValueError(f"Give one answer for each of the {len(prompts)} prompts.")
            given = [a if isinstance(a, Ask) else (p, a) for p, a in zip(prompts, answers, strict=True)]
            checked = _items(given)
            shown = _shown_of(checked)
            if any(key in snap and snap[key] != shown[key] for key in cls._shown):
                raise ValueError("These answers belong to other questions than the snapshot's.")
        n = len(shown["prompts"])
        attempts, results = snap.get("attempts", [""] * n), snap.get("results", [None] * n)
        if not (isinstance(attempts, list) and len(attempts) == n and all(isinstance(a, str) for a in attempts)):
            raise ValueError(f"A Questions snapshot's attempts must be {n} pieces of text, one per prompt.")
        if any(len(a) > MAX_ATTEMPT or _CONTROL.search(a) for a in attempts):
            raise ValueError(f"Each attempt in a snapshot is one line of at most {MAX_ATTEMPT} characters.")
        if not (isinstance(results, list) and len(results) == n and all(r in (None, True, False) for r in results)):
            raise ValueError(f"A Questions snapshot's results must be {n} of null, true or false, one per prompt.")
        results = [None if r is None else bool(r) for r in results]
        questions = cls.__new__(cls)
        questions._setup(shown, checked, snap.get("title", ""), snap.get("name", ""), attempts, results)
        return questions

    def to_text(self) -> str:
        """The questions as plain text, for places where widgets do not run."""
        lines = [self.title] if self.title else []
        for n, prompt in enumerate(self.prompts):
            lines.append(f"{n + 1}. {prompt}")
            if self.worked[n]:
                lines.append(f"   {self.worked[n]}")
            if self.options[n]:
                lines.append("   " + "   ".join(f"{chr(97 + i)}) {o}" for i, o in enumerate(self.options[n])))
            if self.reasons[n]:
                lines.append(f"   {self.reasons[n]}")
            if self.answers:
                lines[-1] += f"    answer: {self.answers[n]}"
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle[0]["text/plain"] = self.to_text()
        return bundle

    def _summary(self) -> str:
        right, tried = self.score
        return f"{right} of {tried} right" if tried else "No answers checked yet"

    # --- the browser: it writes no trait, and may ask for two actions --------------------------

    @action(name="check")
    def _check_action(self, index: int, attempt: str) -> None:
        self._count_check(index, attempt)  # from a page, Check is no oracle for a script
        self.check(index, attempt)

    @action(name="reveal", teacher=True)
    def _reveal_action(self) -> None:
        self.reveal()

    def _record(self, action: str | None, args: dict[str, Any]) -> dict[str, Any] | None:
        if action != "check" or not args["attempt"].strip():
            return None  # an empty attempt is not a try
        index = args["index"]
        state = self.snapshot()
        return {
            "kind": "answer",
            "item": index,
            "answer": self.attempts[index],
            "right": self.results[index],
            "state": state,
        }

    def _restore(self, snap: Any) -> None:
        restored = Questions.from_snapshot(snap)  # every field checked; its answers stay ours
        if restored.prompts != self.prompts or restored.name != self.name:
            raise ValueError("This snapshot is of other questions.")
        with self.hold_sync():
            self.attempts, self.results = list(restored.attempts), list(restored.results)
            self.feedback = list(restored.feedback)
            self.summary = self._summary()

    def _kept(self) -> tuple[str, ...]:
        return tuple(self._state_traits)

    def _resent(self) -> set[str]:
        return set(self._state_traits)  # put every view back to the state Python kept

    def _count_check(self, index: int, attempt: str) -> None:
        """One more check of a question from the browser; refused past MAX_CHECKS, so Check is no oracle."""
        if not attempt.strip() or not 0 <= index < len(self.prompts):
            return  # not a try (check() says so, or refuses it)
        checks = self.__dict__.setdefault("_checks", [0] * len(self.prompts))
        if checks[index] >= MAX_CHECKS:
            raise Refused(f"This question has been checked {MAX_CHECKS} times on this page: ask your teacher.")
        checks[index] += 1


def _shown_of(questions: list[Ask]) -> dict[str, list[Any]]:
    """What the page shows of each question: never its answer."""
    return {
        "prompts": [q.prompt for q in questions],
        "kinds": [q.kind for q in questions],
        "options": [list(q.options) for q in questions],
        "worked": [q.worked for q in questions],
        "reasons": [q.reason for q in questions],
    }


def _shown_from_snapshot(snap: dict[str, Any]) -> dict[str, list[Any]]:
    """What a snapshot says the page showed, each part checked as an author's would be."""
    prompts = snap["prompts"]
    if not 1 <= len(prompts) <= MAX_QUESTIONS:
        raise ValueError(f"A Questions snapshot holds 1 to {MAX_QUESTIONS} prompts.")
    n = len(prompts)
    shown = {
        "prompts": [_one_line(p, f"Prompt {i + 1}", MAX_PROMPT) for i, p in enumerate(prompts)],
        "kinds": snap.get("kinds", ["answer"] * n),
        "options": snap.get("options", [[] for _ in range(n)]),
        "worked": snap.get("worked", [""] * n),
        "reasons": snap.get("reasons", [""] * n),
    }
    for key, value in shown.items():
        if not isinstance(value, list) or len(value) != n:
            raise ValueError(f"A Questions snapshot's {key} must be a list of {n}, one per prompt.")
    if any(k not in KINDS for k in shown["kinds"]):
        raise ValueError(f"A Questions snapshot's kinds must each be one of {', '.join(KINDS)}.")
    for key in ("worked", "reasons"):
        if not all(v == "" or _fits_line(v, MAX_PROMPT) for v in shown[key]):
            raise ValueError(f"A Questions snapshot's {key} must be one line of text each.")
    for options, kind in zip(shown["options"], shown["kinds"], strict=True):
        boxed = kind in ("answer", "mistake")
        if not isinstance(options, list) or (options == []) != boxed or len(options) > MAX_OPTIONS:
            raise ValueError("A Questions snapshot's options must be a list for each question that has them.")
        if not all(_fits_line(o, MAX_ATTEMPT) for o in options):
            raise ValueError("A Questions snapshot's options must be one line of text each.")
    return {key: _plain(value) for key, value in shown.items()}


def _fits_line(value: Any, most: int) -> bool:
    try:
        _one_line(value, "", most)
    except (TypeError, ValueError):
        return False
    return True


def _plain(value: Any) -> Any:
    """A trait's list (and lists inside it) as plain lists, for JSON."""
    return [_plain(v) for v in value] if isinstance(value, (list, tuple)) else value


def _replace(values: list[Any], index: int, value: Any) -> list[Any]:
    """A new list (so the change syncs) with one value replaced."""
    return [value if n == index else old for n, old in enumerate(values)]
