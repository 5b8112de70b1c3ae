"""Read an HTML form the way a browser submits it, so that tests post complete admin forms
without listing every field (and keep working when fields are added)."""

from html.parser import HTMLParser


class FormValues(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.values.setdefault(name, []).append(attrs.get("value") or default)
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that follows <textarea>.
            value = self.values[self.textarea][0]
            self.values[self.textarea][0] = value.removeprefix("\r\n").removeprefix("\n")
            self.textarea = None


def form_values(html):
    """{name: value or [values]} of every field a browser would submit, as they are."""
    parser = FormValues()
    parser.feed(html)
    return {
        name: values[0] if len(values) == 1 else values
        for name, values in parser.values.items()
        if values
    }
