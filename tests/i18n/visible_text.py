"""The text of an HTML page that a person sees or hears from a screen reader."""

from html.parser import HTMLParser

SKIPPED = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {
    "address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "label", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "select", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "a", "input", "textarea",
}  # fmt: skip
ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


class _Extractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang = None
        self.stack: list[tuple[str, bool]] = []  # (tag, shown in the page's language)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.title = []

    @property
    def hidden(self):
        return any(not shown for _tag, shown in self.stack)

    def _break(self):
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = attrs.get("lang")
        if tag in BLOCK:
            self._break()
        # A language switcher names each language in itself (lang="ru"): not a leak.
        own_language = attrs.get("lang") in (None, self.page_lang)
        shown = tag not in SKIPPED and own_language
        if not self.hidden and shown:
            for name in ATTRIBUTES:
                if attrs.get(name):
                    self.lines.append(" ".join(attrs[name].split()))
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.lines.append(" ".join(attrs["value"].split()))
        if tag not in VOID:
            self.stack.append((tag, shown))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in BLOCK or tag == "title":
            self._break()

    def handle_data(self, data):
        tags = [tag for tag, _shown in self.stack]
        if "head" in tags and "title" not in tags:
            return
        if not self.hidden:
            self.current.append(data)


def visible_lines(html: str) -> list[str]:
    """Each block of visible text as one line with collapsed white space, and the texts of the
    title, alt, placeholder and aria-label attributes and of submit buttons as lines of their own.
    Elements in another language than the page's (``lang="ru"`` on an Uzbek page) are left out."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    parser._break()
    return parser.lines
