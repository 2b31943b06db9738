"""Regression check over gold documents: which items a change gained or lost.

    python -m extract.regress                 # compare with the baseline, exit 1 on a loss
                                              # (every gold document of tests/fixtures/gold and gold_extra)
    python -m extract.regress --update        # accept the current output as the baseline

Items are keyed as the scorer keys them (reference codes, deadline dates,
task texts with unit and deadline, metric value and unit), so a diff reads
as "lost: reference 1848/UBND-TH". Gold files name the documents; they are
looked up in --docs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .normalize import fold
from .pipeline import extract_file, to_json

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIRS = [ROOT / "tests" / "fixtures" / "gold", ROOT / "tests" / "fixtures" / "gold_extra"]
# The bundled corpus holds most gold documents; the large PDFs are looked up
# in the shared corpus beside a checkout when it is there.
DOC_DIRS = [ROOT / "corpus", ROOT.parent / "shared" / "corpus"]


def keys(data: dict) -> set[str]:
    out = set()
    d = data["document"]
    for f in ("doc_type", "number", "issuer", "date", "title"):
        out.add(f"document.{f}={d.get(f)}")
    for r in data["references"]:
        out.add(f"reference {fold(r['code'])} {r.get('doc_type')} {r.get('date')}")
    for x in data["deadlines"]:
        out.add(f"deadline {x.get('date')}")
    for t in data["tasks"]:
        out.add(f"task [{t.get('unit')}] {t['text'][:60]} -> {t.get('deadline')}")
    for m in data["metrics"]:
        out.add(f"metric {m['value']} {m['unit']} @{m['span']['start']}")
    return out


def snapshot(gold_dirs, docs) -> dict[str, list[str]]:
    """The scorer's keys of every gold document found in ``docs`` (a folder,
    or folders tried in order)."""
    gold_dirs = [gold_dirs] if isinstance(gold_dirs, Path) else list(gold_dirs)
    docs = [docs] if isinstance(docs, Path) else list(docs)
    snap = {}
    for gold_dir in gold_dirs:
        for g in sorted(gold_dir.glob("*.json")):
            name = json.loads(g.read_text(encoding="utf-8"))["file"]
            path = next((d / name for d in docs if (d / name).exists()), None)
            if path is not None and name not in snap:
                snap[name] = sorted(keys(to_json(extract_file(path))))
    return snap


def diff(old: dict, new: dict) -> list[str]:
    lines = []
    for name in sorted(set(old) | set(new)):
        a, b = set(old.get(name, [])), set(new.get(name, []))
        for k in sorted(b - a):
            lines.append(f"{name}: gained: {k}")
        for k in sorted(a - b):
            lines.append(f"{name}: lost: {k}")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, nargs="+", default=GOLD_DIRS,
                    help="folders of gold files (default: the dev gold and the project's own annotations)")
    ap.add_argument("--docs", type=Path, nargs="+", default=DOC_DIRS,
                    help="folders the documents are looked up in, in order (default: corpus/, then ../shared/corpus)")
    ap.add_argument("--baseline", type=Path, default=ROOT / "tests" / "fixtures" / "baseline.json")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args(argv)
    new = snapshot(args.gold, args.docs)
    if args.update or not args.baseline.exists():
        args.baseline.write_text(json.dumps(new, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"baseline written: {args.baseline} ({sum(map(len, new.values()))} items)")
        return 0
    old = json.loads(args.baseline.read_text(encoding="utf-8"))
    lines = diff(old, new)
    for line in lines:
        print(line)
    lost = sum(1 for x in lines if ": lost: " in x)
    gained = len(lines) - lost
    print(f"{gained} gained, {lost} lost")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
