"""Fuzzing: mutated real files into every reader, random text into every
extractor. Only vanban's own error may come out; never another exception."""
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, ROOT, TB_SEED

from extract.errors import VanbanError
from extract.model import RawBlock, RawDocument

SEEDS = {
    "docx": (CORPUS / "cv-003.docx").read_bytes(),
    "pdf": (CORPUS / "cv-008.pdf").read_bytes(),
    "txt": TB_SEED.read_bytes()[:6000],
}

mutation = st.tuples(
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=25),   # byte flips
    st.one_of(st.none(), st.floats(0.05, 1)),                                                  # truncate at
    st.one_of(st.none(), st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=64))),      # insert
)


def mutate(data: bytes, m) -> bytes:
    flips, cut, insert = m
    b = bytearray(data)
    for where, value in flips:
        b[int(where * len(b))] = value
    if insert:
        at = int(insert[0] * len(b))
        b[at:at] = insert[1]
    if cut:
        b = b[: max(1, int(cut * len(b)))]
    return bytes(b)


def run_pipeline(path):
    from extract.pipeline import extract_file

    try:
        extract_file(path, ocr=False)
    except VanbanError as e:
        assert str(e).startswith(str(path)) and "\n" not in str(e)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_mutated_files(kind, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"fuzz-{kind}")

    @settings(max_examples=int(os.environ.get("VANBAN_FUZZ_EXAMPLES", 40)), deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(m=mutation)
    def check(m):
        p = tmp / f"mutant.{kind}"
        p.write_bytes(mutate(SEEDS[kind], m))
        run_pipeline(p)

    check()


# Text made of the genre's pieces, shuffled: codes, dates, labels, units, noise.
PIECES = ["Số: ", "12/TB-SVHTTDL", "04-NQ/TU", "335/2025/NĐ-CP", "ngày ", "tháng ", "năm ", "trước ngày ",
          "16/01", "31/12/2025", "quý I/2026", "1.", "2.1.", "a)", "- ", "+ ", "I.", "Văn phòng Sở", "Giao ",
          "chủ trì, phối hợp với ", "567.530", "41,55%", " tỷ đồng", " lượt khách", "tăng ", "so với cùng kỳ",
          "Nơi nhận:", "KT. GIÁM ĐỐC", "Nguyễn Văn An", "UBND tỉnh Lai Châu", "huyện Phong Thổ", "\n", ", ", ". ",
          ":", "(", ")", "/", "|", "  ", "\u0301", "Ð", "½", "\x0c", "𝔘", "trong tháng 13/2026", "ngày 31/02/2026"]
genre_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=80).map("".join)


@settings(max_examples=int(os.environ.get("VANBAN_FUZZ_EXAMPLES", 150)), deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(text=genre_text)
def test_random_text_into_every_extractor(text):
    from extract.extractors.deadlines import find_deadlines
    from extract.extractors.entities import find_entities
    from extract.extractors.metrics import find_metrics
    from extract.extractors.references import find_references
    from extract.extractors.tasks import find_tasks
    from extract.structure import structure

    raw = RawDocument(path="fuzz.txt", format="txt", sha256="", blocks=[RawBlock(x) for x in text.split("\n")])
    doc = structure(raw)
    refs = find_references(doc)
    spans = [m for r in refs for m in r.mentions]
    find_deadlines(doc, spans)
    find_metrics(doc, spans)
    find_tasks(doc)
    for e in find_entities(doc, exclude=spans, use_ner=False):
        assert doc.text[e.span.start:e.span.end] == e.text


def test_atheris_on_the_readers():
    """Coverage-guided fuzzing of the readers with atheris, a short run."""
    pytest.importorskip("atheris")
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "fuzz_readers.py"), "-runs=300", "-seed=1"],
                         capture_output=True, text=True, timeout=600, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "tests")})
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Done 300 runs" in out.stderr
