"""Train the learned task decision and measure it honestly.

    python -m extract.train_tasks                  # train on all gold, write extract/models/tasks.json
    python -m extract.train_tasks --cv 5           # also: 5-fold cross-validation by document
    python -m extract.train_tasks --cv 5 --no-write --cache /tmp/raw   # measure only; cache read files

Every item the rules look at (see :func:`extract.extractors.tasks.candidates`)
is labelled by the gold task it matches (token overlap, as the guide's
scorer matches), and a logistic regression learns which are tasks from what
the rules know of them. Cross-validation keeps each document on one side:
the model that judges a document was trained without it, and the figures
are those of the whole pipeline (``vanban extract``) on the held-out
documents, beside the rules alone on the same documents.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .extractors.tasks import _Finder, learned
from .normalize import fold
from .pipeline import extract_document
from .readers import read
from .structure import structure

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
GOLD_DIRS = [FIX / "gold", FIX / "gold_extra", FIX / "gold_pool"]
DOC_DIRS = [ROOT / "corpus", ROOT.parent / "shared" / "corpus"]
OUT = Path(__file__).resolve().parent / "models" / learned.MODEL


# ------------------------------------------------------------------ matching, as the guide's scorer does
def _fold(s) -> str:
    return fold(str(s or ""))


def _words(s) -> list[str]:
    return re.findall(r"\w+", _fold(s))


def token_f1(a, b) -> float:
    ca, cb = Counter(_words(a)), Counter(_words(b))
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(ca.values()), common / sum(cb.values())
    return 2 * p * r / (p + r)


def _norm(s) -> str:
    return " ".join(_fold(s).split())


def _pairs(gold: list[dict], texts: list[str], threshold: float = 0.5):
    """One-to-one matches (gold index, text index), best overlap first."""
    cand = sorted(((token_f1(g.get("text"), t), gi, ti) for gi, g in enumerate(gold) for ti, t in enumerate(texts)),
                  reverse=True)
    used_g, used_t = set(), set()
    for sim, gi, ti in cand:
        if sim < threshold or gi in used_g or ti in used_t:
            continue
        used_g.add(gi)
        used_t.add(ti)
        yield gi, ti


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unit: int = 0
    deadline: int = 0

    def add(self, gold: list[dict], pred: list[dict]) -> None:
        pairs = dict(_pairs(gold, [p.get("text") or "" for p in pred]))
        for gi, pi in pairs.items():
            g, p = gold[gi], pred[pi]
            if g.get("optional"):
                continue
            self.tp += 1
            gu, pu = g.get("unit"), p.get("unit")
            self.unit += _norm(gu) == _norm(pu) or (bool(gu) and bool(pu) and token_f1(gu, pu) >= 0.8)
            self.deadline += (g.get("deadline") or None) == (p.get("deadline") or None)
        self.fn += sum(1 for gi, g in enumerate(gold) if gi not in pairs and not g.get("optional"))
        self.fp += len(pred) - len(pairs)

    def figures(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"P": p, "R": r, "F1": f, "unit": self.unit / max(1, self.tp), "deadline": self.deadline / max(1, self.tp),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


# ------------------------------------------------------------------ data
@dataclass
class Doc:
    name: str
    gold: list[dict]
    path: Path
    doc: object = None
    x: list[dict] = field(default_factory=list)       # features of the candidates
    y: list[int | None] = field(default_factory=list)  # 1 task, 0 not, None: matched an optional gold task


def _reader(cache: Path | None):
    if cache is None:
        return read
    cache.mkdir(parents=True, exist_ok=True)

    def cached(path: Path):
        key = hashlib.sha1(path.read_bytes()).hexdigest()[:16]
        f = cache / f"{path.name}.{key}.pkl"
        if f.exists():
            return pickle.loads(f.read_bytes())
        raw = read(path)
        f.write_bytes(pickle.dumps(raw))
        return raw
    return cached


def load_docs(gold_dirs, doc_dirs, cache: Path | None = None, log=print) -> list[Doc]:
    rd = _reader(cache)
    docs, seen = [], set()
    for gd in gold_dirs:
        for g in sorted(Path(gd).glob("*.json")):
            d = json.loads(g.read_text(encoding="utf-8"))
            if "tasks" not in d or d["file"] in seen:
                continue
            path = next((Path(x) / d["file"] for x in doc_dirs if (Path(x) / d["file"]).exists()), None)
            if path is None:
                log(f"{g.name}: {d['file']} not found, left out")
                continue
            seen.add(d["file"])
            docs.append(Doc(d["file"], d["tasks"], path, structure(rd(path))))
    return docs


def label(doc: Doc) -> None:
    """Features and labels of every candidate of ``doc``."""
    from .extractors.tasks.learned import features
    f = _Finder(doc.doc)
    gold = list(doc.gold)
    # table rows are the rules' own (exact by their columns): the gold they match is theirs
    rows = [t.text for t in f._table_tasks()]
    taken = {gi for gi, _ in _pairs(gold, rows)}
    rest = [g for gi, g in enumerate(gold) if gi not in taken]
    cands = [c for c in f.candidates() if not (c.task is None and c.why in learned.HARD)]
    texts = [c.task.text if c.task else " ".join(c.body.split()) for c in cands]
    match = {ti: gi for gi, ti in _pairs(rest, texts)}
    doc.x = [features(c) for c in cands]
    doc.y = [None if ti in match and rest[match[ti]].get("optional") else int(ti in match) for ti in range(len(cands))]


def fit(docs: list[Doc], c: float = 0.1, rescue: float = 0.9) -> learned.Model:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    xs = [x for d in docs for x, y in zip(d.x, d.y) if y is not None]
    ys = [y for d in docs for y in d.y if y is not None]
    vec = DictVectorizer()
    m = LogisticRegression(C=c, max_iter=5000)
    m.fit(vec.fit_transform(xs), ys)
    w = {name: float(v) for name, v in zip(vec.get_feature_names_out(), m.coef_[0]) if abs(v) > 1e-6}
    w["bias"] = w.get("bias", 0.0) + float(m.intercept_[0])
    return learned.Model(w, 0.5, rescue, {"documents": len(docs), "examples": len(ys), "C": c})


def _predict(doc: Doc, model: learned.Model | None) -> list[dict]:
    with learned.use(model):
        ex = extract_document(doc.doc)
    return [{"text": t.text, "unit": t.unit, "deadline": t.deadline} for t in ex.tasks]


def folds(docs: list[Doc], k: int, seed: int = 0) -> list[list[int]]:
    idx = list(range(len(docs)))
    random.Random(seed).shuffle(idx)
    return [sorted(idx[i::k]) for i in range(k)]


def cross_validate(docs: list[Doc], k: int, c: float = 0.1, rescue: float = 0.9) -> dict[str, dict]:
    """Figures of the pipeline on held-out documents: rules alone, and with a model trained on the other folds."""
    rules, model = Tally(), Tally()
    for held in folds(docs, k):
        train = [d for i, d in enumerate(docs) if i not in held]
        m = fit(train, c, rescue)
        for i in held:
            rules.add(docs[i].gold, _predict(docs[i], None))
            model.add(docs[i].gold, _predict(docs[i], m))
    return {"rules": rules.figures(), "rules+model": model.figures()}


def whole_set(docs: list[Doc], model: learned.Model | None) -> dict:
    t = Tally()
    for d in docs:
        t.add(d.gold, _predict(d, model))
    return t.figures()


def _row(name: str, f: dict) -> str:
    return (f"| {name} | {f['P']:.3f} / {f['R']:.3f} / {f['F1']:.3f} | {f['unit']:.3f} | {f['deadline']:.3f} | "
            f"{f['tp']} / {f['fp']} / {f['fn']} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, nargs="+", default=GOLD_DIRS)
    ap.add_argument("--docs", type=Path, nargs="+", default=DOC_DIRS)
    ap.add_argument("--cv", type=int, default=0, help="folds of cross-validation by document (0: none)")
    ap.add_argument("-C", type=float, default=0.1, help="inverse regularisation strength")
    ap.add_argument("--rescue", type=float, default=0.9,
                    help="probability above which the model keeps an item a rule refused")
    ap.add_argument("--cache", type=Path, help="folder to keep read files in (OCR of scans is slow)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-write", action="store_true", help="measure only; leave the shipped model as it is")
    args = ap.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("train_tasks: scikit-learn is needed to train (pip install -e '.[dev]')", file=sys.stderr)
        return 2
    docs = load_docs(args.gold, args.docs, args.cache, log=lambda m: print(m, file=sys.stderr))
    for d in docs:
        label(d)
    n = sum(1 for d in docs for y in d.y if y is not None)
    print(f"{len(docs)} documents, {n} labelled items, {sum(y or 0 for d in docs for y in d.y)} tasks among them")
    print("| documents | tasks P / R / F1 | unit | deadline | tp / fp / fn |\n| --- | --- | --- | --- | --- |")
    if args.cv:
        for name, f in cross_validate(docs, args.cv, args.C, args.rescue).items():
            print(_row(f"{args.cv}-fold by document, {name}", f))
    model = fit(docs, args.C, args.rescue)
    print(_row("whole set, rules", whole_set(docs, None)))
    print(_row("whole set, rules+model (trained on all)", whole_set(docs, model)))
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {args.out} ({len(model.weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
