"""Rule data from ``rules/`` (installed as ``extract.rules``), loaded once.

Every string is normalised the way document text is, so a rule written
"hoá" still matches text written "hóa".
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .normalize import fold, normalize_text

# libyaml's safe loader where PyYAML was built with it: the same data, parsed
# about ten times faster (places.yaml alone cost a quarter second per process)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _norm(obj):
    if isinstance(obj, str):
        return normalize_text(obj)
    if isinstance(obj, list):
        return [_norm(x) for x in obj]
    if isinstance(obj, dict):
        return {_norm(k) if isinstance(k, str) else k: _norm(v) for k, v in obj.items()}
    return obj


# a checkout's own rules/ beside the package: an editable install maps extract.rules
# to the tree it was installed from, and a second worktree of the repository must
# read the rules it edits
_CHECKOUT_RULES = Path(__file__).resolve().parent.parent / "rules"


def rules_root():
    """Where rule files are read from: the checkout's rules/, else the installed data package."""
    if (_CHECKOUT_RULES / "units.yaml").is_file() and (_CHECKOUT_RULES / "__init__.py").is_file():
        return _CHECKOUT_RULES
    return resources.files("extract.rules")


@lru_cache(maxsize=None)
def load(name: str):
    """The parsed, normalised content of ``rules/<name>`` (.yaml or .jsonl)."""
    text = rules_root().joinpath(name).read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [_norm(json.loads(line)) for line in text.splitlines() if line.strip()]
    return _norm(yaml.load(text, Loader=_YAML_LOADER))


@lru_cache(maxsize=None)
def doc_type_names() -> list[tuple[str, str]]:
    """(name, abbr) pairs, longest name first."""
    pairs = []
    for entry in load("doc_types.yaml"):
        for name in entry.get("names") or []:
            pairs.append((name, entry["abbr"]))
    return sorted(pairs, key=lambda p: -len(p[0]))


@lru_cache(maxsize=None)
def doc_type_abbrs() -> dict[str, str]:
    """Folded abbreviation (and code alias) -> canonical abbreviation."""
    out = {}
    for entry in load("doc_types.yaml"):
        if not entry.get("names"):
            continue
        out[fold(entry["abbr"])] = entry["abbr"]
        for alias in entry.get("code_aliases") or []:
            out[fold(alias)] = entry["abbr"]
    return out


@lru_cache(maxsize=None)
def titled_type_names() -> list[str]:
    """Names of the types whose documents carry a name before their số (laws)."""
    return [n for entry in load("doc_types.yaml") if entry.get("titled") for n in entry.get("names") or []]


def type_by_name(name: str) -> str | None:
    return _types_by_folded_name().get(fold(name.strip()))


@lru_cache(maxsize=None)
def _types_by_folded_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for n, abbr in doc_type_names():
        out.setdefault(fold(n), abbr)
    return out


@lru_cache(maxsize=None)
def organizations() -> list[str]:
    data = load("organizations.yaml")
    names = [f"Sở {d}" for d in data["departments"]]
    names += [f"Bộ {m}" for m in data["ministries"]]
    names += list(data["bodies"])
    # longest first; names of one length in a fixed order, not the set's (it varies by run)
    return sorted(set(names), key=lambda n: (-len(n), n))


@lru_cache(maxsize=None)
def abbreviations() -> dict[str, str]:
    return dict(load("abbreviations.yaml"))


@lru_cache(maxsize=None)
def digest() -> str:
    """A short hash of every rule file and model: editing a rule is a new extractor version."""
    import hashlib

    h = hashlib.sha256()
    # the learned models are rule data too: retraining is a new extractor version
    for root in (rules_root(), resources.files("extract.models")):
        for entry in sorted(root.iterdir(), key=lambda p: p.name):
            if entry.name.endswith((".yaml", ".jsonl", ".json")):
                h.update(entry.name.encode())
                h.update(entry.read_bytes())
    return h.hexdigest()[:10]
