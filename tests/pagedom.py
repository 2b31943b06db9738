"""A document page read back as a tree (html.parser), strictly: a closing tag
that does not close the innermost open element fails, so badly nested marks
cannot pass. Serves the plain-HTML test and the browser's --dump-dom."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "input", "br", "img", "link", "hr", "wbr", "source"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)     # Node or str
    parent: "Node | None" = None

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self, skip=lambda n: False) -> str:
        return "".join(c if isinstance(c, str) else ("" if skip(c) else c.text(skip)) for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find_all(self, pred):
        return [n for n in self.walk() if pred(n)]

    def by_id(self, id_):
        return next((n for n in self.walk() if n.attrs.get("id") == id_), None)

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs), parent=self.stack[-1]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>: badly nested"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    b = _Builder()
    b.feed(html)
    b.close()
    assert [n.tag for n in b.stack] == ["#root"], f"unclosed: {[n.tag for n in b.stack[1:]]}"
    return b.root


def is_decoration(n: Node) -> bool:
    """What the page adds to the text: task badges and page markers."""
    return bool(n.classes & {"tag", "page-break"})


def pieces(root: Node, kind: str, attr: str) -> dict[int, str]:
    """Each item's highlighted text, its pieces joined: {index: text}."""
    out: dict[int, str] = {}
    text = root.by_id("text")
    for n in text.find_all(lambda n: {"hl", kind} <= n.classes):
        i = int(n.attrs[attr])
        out[i] = out.get(i, "") + n.text(is_decoration)
    return out
