"""One regular expression for a long list of literal words or names.

A plain alternation ``a|b|c ...`` of hundreds of names makes the regular
expression engine try every name at every position of a text. Written as a
trie (``s(?:ở (?:tài chính|y tế)|...)``) it tries one branch per character
and runs several times faster. At any position it still prefers the longest
name, as a longest-first alternation does.
"""
from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regular expression (no group captured) matching exactly the given words."""
    trie: dict = {}
    for w in set(words):
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}            # a word ends here
    return _emit(trie) if trie else "(?!)"


def _emit(node: dict) -> str:
    branches = [re.escape(ch) + _emit(node[ch]) for ch in sorted(k for k in node if k)]
    if not branches:
        return ""
    body = "(?:" + "|".join(branches) + ")"
    # a word may also end here: the longer words are tried first (greedy "?")
    return body + "?" if "" in node else body
