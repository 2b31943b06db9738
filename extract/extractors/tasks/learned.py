"""The learned half of "is this item a task": a logistic regression over what
the rules already know of an item (its place, why a rule took or refused it,
the unit it names, its opening words), trained on the gold annotations.

The rules find the items and say where each unit's name ends; they refuse
what they must (an empty line, a quotation) and the model decides the rest:
it may keep an item a soft rule refused ("no heading of work above it") and
drop one a rule took. Trained by ``python -m extract.train_tasks``; the
weights ship as ``extract/models/tasks.json`` and are applied here with no
library (a dot product), so extraction needs neither scikit-learn nor a
network.
"""
from __future__ import annotations

import json
import math
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

import regex

from ...normalize import fold

MODEL = "tasks.json"

# Refusals the model may not overturn: no text, or text that is not the
# document's own (a quotation of another text, a form's blanks).
HARD = frozenset(["empty", "quoted", "too short", "form blank"])

_WORD = regex.compile(r"\w+")
_DEADLINE = regex.compile(r"(?:trước|chậm nhất|hoàn thành|xong)\s+(?:trong\s+)?(?:ngày|tháng|quý|năm)\b|\bhạn\b", regex.I)
_ASKS = regex.compile(r"(?<!\p{L})(?:đề nghị|giao|yêu cầu|chỉ đạo|chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm)(?!\p{L})", regex.I)
_PAST = regex.compile(r"(?<!\p{L})(?:đã|được|vừa qua|năm qua)(?!\p{L})", regex.I)


def features(f) -> dict[str, float]:
    """The features of one candidate, from a :class:`Candidate`."""
    body = f.body
    words = _WORD.findall(fold(body)[:200])
    n = len(body.split())
    x = {
        "bias": 1.0,
        "dt=" + (f.doc_type or "?"): 1.0,
        "zone=" + (f.zone or "none"): 1.0,
        "why=" + (f.why or "taken"): 1.0,
        "src=" + (f.ctx_src or "none"): 1.0,
        "named=" + (f.named or "none"): 1.0,
        "kind=" + (f.kind or "none"): 1.0,
        "level=" + str(min(f.level, 4)): 1.0,
        "len=" + ("<6" if n < 6 else "<12" if n < 12 else "<25" if n < 25 else "<50" if n < 50 else "50+"): 1.0,
        "end=" + (body.rstrip()[-1:] if body.rstrip()[-1:] in ".;:,)" else "w"): 1.0,
        "directive": float(f.directive),
        "work": float(f.work),
        "directive_doc": float(f.directive_doc),
        "appendix": float(f.appendix),
        "upper": float(body[:40].isupper()),
        "deadline": float(bool(_DEADLINE.search(body))),
        "asks": float(bool(_ASKS.search(body[:300]))),
        "past": float(bool(_PAST.search(body[:120]))),
        "pos=" + str(min(int(f.position * 4), 3)): 1.0,
    }
    if words:
        x["w1=" + words[0]] = 1.0
    # the rule's verdict crossed with the place: the model learns where a rule errs
    x["why=%s|zone=%s" % (f.why or "taken", f.zone or "none")] = 1.0
    x["why=%s|dt=%s" % (f.why or "taken", f.doc_type or "?")] = 1.0
    return x


class Model:
    """Weights by feature name; ``threshold`` keeps an item a rule took, ``rescue``
    (higher: the rules are right far more often than not) one a rule refused."""

    def __init__(self, weights: dict[str, float], threshold: float = 0.5, rescue: float = 0.9, meta: dict | None = None):
        self.weights = weights
        self.threshold = threshold
        self.rescue = rescue
        self.meta = meta or {}

    def prob(self, x: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in x.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, x: dict[str, float], taken: bool = True) -> bool:
        return self.prob(x) >= (self.threshold if taken else self.rescue)

    def to_json(self) -> str:
        return json.dumps({"threshold": self.threshold, "rescue": self.rescue, "meta": self.meta,
                           "weights": dict(sorted(self.weights.items()))}, ensure_ascii=False, indent=0)

    @classmethod
    def from_json(cls, text: str) -> "Model":
        d = json.loads(text)
        return cls(d["weights"], d.get("threshold", 0.5), d.get("rescue", 0.9), d.get("meta"))


@lru_cache(maxsize=1)
def shipped() -> Model | None:
    """The model shipped with the package, or None when there is none."""
    try:
        text = resources.files("extract.models").joinpath(MODEL).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return None
    return Model.from_json(text)


_OVERRIDE: list[Model | None] = []


@contextmanager
def use(model: Model | None):
    """Judge with ``model`` (None: the rules alone) inside the block: how
    cross-validation runs the whole pipeline with a model trained without
    the document at hand."""
    _OVERRIDE.append(model)
    try:
        yield
    finally:
        _OVERRIDE.pop()


def current() -> Model | None:
    return _OVERRIDE[-1] if _OVERRIDE else shipped()
