"""Reading pages in tests as a browser would: the forms it would submit, the words it shows."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    """What a browser would send for each POST form on a page: {name: [values]}."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = {} if a.get("method", "get").lower() == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._form.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form.setdefault(self._textarea, []).append("".join(self._text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            fallback = [self._options[0][0]] if self._options else []
            self._form.setdefault(self._select, []).extend(chosen[:1] or fallback)
            self._select = None
        elif tag == "form":
            self._form = None


def form_data(response: Any, index: int = -1) -> dict[str, Any]:
    """The POST form of a page (the last one unless told) as the browser would submit it, less
    the CSRF token: one value per name, a list where a name has several."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    assert reader.forms, "The page has no form to submit."
    return {
        name: values[0] if len(values) == 1 else values
        for name, values in reader.forms[index].items()
        if name != "csrfmiddlewaretoken"
    }


def text(response: Any) -> str:
    return response.content.decode()


def shows(response: Any, words: str) -> bool:
    """The page shows these words (as escaped in HTML)."""
    return html.escape(words) in text(response)
