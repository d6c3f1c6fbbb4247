"""What the tests of edit pages served from the cache (`mshtgov.pages.cached_edit_page`) share: the edit form's
values as a browser would post them, read off the page the reader was served (a hit draws no `form` into the
response's context)."""

from html.parser import HTMLParser

FORM_START = '<form method="post" novalidate'


class _Values(HTMLParser):
    """Each field of the first form on the page with its values as drawn: text and hidden inputs, checked boxes
    and radios, selected options, textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        if tag == "option" and self._select is not None:
            if "selected" in a:
                self.values[self._select].append(a.get("value") or "")
        elif "name" not in a or "disabled" in a:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            values = self.values.setdefault(a["name"], [])
            if kind not in {"checkbox", "radio"}:
                values.append(a.get("value") or "")
            elif "checked" in a:
                values.append(a.get("value") or "on")
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(a["name"], [])
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = [""]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._done = True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":  # its first newline is the template's, as a browser reads it
            self.values[self._textarea][0] = self.values[self._textarea][0].removeprefix("\n")
            self._textarea = None


def posted_values(html: str, **changes) -> dict:
    """The edit form's values as drawn on `html` (the page's other form is the header's sign-out), as the test
    client posts them, with `changes` in place of the values drawn."""
    parser = _Values()
    parser.feed(html[html.index(FORM_START) :])
    data = {name: values if len(values) != 1 else values[0] for name, values in parser.values.items() if values}
    data.update(changes)
    return data
