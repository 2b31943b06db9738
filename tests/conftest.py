import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import builders  # noqa: E402

TB_SEED = CORPUS / "tb-2025-12-giaoban-svhttdl-laichau.txt"
BC_SEED = CORPUS / "bc-2023-6thang-svhttdl-laichau.txt"


@pytest.fixture(scope="session")
def seed_formats(tmp_path_factory):
    """The thông báo seed under a header, as .txt, .docx and .pdf."""
    out = tmp_path_factory.mktemp("seed")
    type_line, title, body = builders.seed_paragraphs(TB_SEED)
    return {
        "txt": builders.write_txt(out / "tb.txt", type_line, title, body),
        "docx": builders.write_docx(out / "tb.docx", type_line, title, body),
        "pdf": builders.write_pdf(out / "tb.pdf", type_line, title, body, repeat=3),
    }


def extract(path):
    from extract.pipeline import extract_file

    return extract_file(path)


@pytest.fixture
def tmp_copy(tmp_path):
    def copy(name):
        dst = tmp_path / name
        shutil.copy(CORPUS / name, dst)
        return dst
    return copy
