"""Author and kernel content as safe HTML: lesson markdown sanitised, outputs shown as pictures or text.

Lessons travel between schools, so an author's markdown is never trusted: no script, no event handler,
nothing fetched from another computer (the classroom works offline). The lesson plan renders with
`markdown_html`; the classroom page's markdown cells are cleaned by `clean_markdown` before Voila renders them.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

import bleach
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

_BLEACH_TAGS = {
    *bleach.sanitizer.ALLOWED_TAGS,
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "pre", "span", "div", "img", "del", "s"),
    *("table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "dl", "dt", "dd", "details", "summary"),
    *("kbd", "mark", "figure", "figcaption", "input"),
}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "title", "alt", "id", "align", "colspan", "rowspan"):
        return True
    if tag == "a" and name == "href":
        return not value.strip().lower().startswith("data:")
    if tag == "img" and name == "src":
        return value.startswith("data:image/")  # a picture from the network would break the offline promise
    if tag == "img" and name in ("width", "height"):
        return True
    if tag == "input" and name in ("type", "checked", "disabled"):
        return True
    return False


class _PlanMarkdown(IPythonRenderer):
    """nbconvert's renderer, inlining a markdown image from the lesson's folder (its embed_images option
    also rewrites inline HTML, and breaks <b>bold</b> into <b></b>bold)."""

    def image(self, text: str, url: str, title: str | None = None) -> str:
        if not url.startswith("attachment:"):
            url = self._src_to_base64(url) or url  # None outside the lesson's folder: bleach drops it
        return super().image(text, url, title)


_NO_SOURCE = re.compile(r"<img\b(?![^>]*\bsrc=)[^>]*>")
# Elements whose content is code or another page, not words: dropped whole (bleach would keep their text).
_NOT_WORDS = re.compile(r"<(script|style|iframe|object|embed|template|noscript)\b.*?(</\1\s*>|$)", re.S | re.I)


def markdown_html(source: str, folder: Path, attachments: dict | None = None) -> str:
    """A markdown cell as safe HTML: the lesson's own pictures inlined, no script, nothing fetched."""
    renderer = _PlanMarkdown(escape=False, exclude_anchor_links=True, path=str(folder), attachments=attachments or {})
    try:
        rendered = MarkdownWithMath(renderer=renderer).render(source)
    except Exception:  # a missing attachment, say: show the text rather than nothing
        rendered = f"<pre>{html.escape(source)}</pre>"
    cleaned = bleach.clean(
        _NOT_WORDS.sub("", rendered),
        tags=_BLEACH_TAGS,
        attributes=_allowed_attribute,
        protocols=["http", "https", "mailto", "data"],
        strip=True,
    )
    return _NO_SOURCE.sub("", cleaned)  # a picture whose source was dropped would show as a broken one


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_html(output: dict[str, Any]) -> str:
    """One output of a code cell: a picture when there is one, else its text; never the output's own HTML."""
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stderr":
            return ""  # warnings and logs name server paths and lines of code: for the author, not the class
        return f'<pre class="mp-text">{html.escape(_text(output.get("text", "")))}</pre>'
    if kind == "error":
        return '<p class="mp-note">This cell stopped with an error when the plan was drawn.</p>'
    data = output.get("data", {})
    if "image/svg+xml" in data:
        svg = base64.b64encode(_text(data["image/svg+xml"]).encode()).decode()
        return f'<img class="mp-picture" alt="board" src="data:image/svg+xml;base64,{svg}">'
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            picture = "".join(_text(data[mime]).split())
            return f'<img class="mp-picture" alt="picture" src="data:{mime};base64,{picture}">'
    if "text/markdown" in data:
        return markdown_html(_text(data["text/markdown"]), Path("/nonexistent"))
    if "application/vnd.jupyter.widget-view+json" in data:
        return ""  # a widget with no picture of itself: nothing to print
    if "text/plain" in data:
        return f'<pre class="mp-text">{html.escape(_text(data["text/plain"]))}</pre>'
    return ""


def classroom_markdown(source: str, folder: Path, attachments: dict | None = None) -> str:
    """A markdown cell as the classroom page gets it: rendered and sanitised here, handed back as HTML.

    Voila renders markdown with nbconvert, which passes an author's HTML through. Giving it HTML that
    `markdown_html` has already cleaned (markdown leaves an HTML block as it is) means no author's
    script, handler or remote picture reaches a pupil's page, whatever template draws it.
    """
    safe = markdown_html(source, folder, attachments)
    # Markdown ends an HTML block at a blank line: keep it one block, a <pre>'s line breaks as references.
    safe = re.sub(r"<pre\b.*?</pre>", lambda found: found.group().replace("\n", "&#10;"), safe, flags=re.S)
    return re.sub(r"\n\s*\n", "\n", safe).strip()
