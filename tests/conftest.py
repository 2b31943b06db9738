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


# A citing document in the genre: a công văn whose body cites the seed
# thông báo (12/TB-SVHTTDL) by its số ký hiệu, so the store can link them.
CITING_CV = """UBND TỈNH LAI CHÂU
SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH
Số: 25/SVHTTDL-VP
V/v triển khai kết luận giao ban tháng 01/2026
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lai Châu, ngày 12 tháng 01 năm 2026
Kính gửi: Các phòng, đơn vị thuộc Sở.
Thực hiện Thông báo số 12/TB-SVHTTDL ngày 07/01/2026 của Sở Văn hóa, Thể thao và Du lịch về kết luận của Giám đốc Sở tại cuộc họp giao ban, Sở đề nghị các phòng, đơn vị triển khai thực hiện như sau:
1. Phòng Quản lý Du lịch chủ trì, phối hợp với Trung tâm Thông tin xúc tiến du lịch tổng hợp số liệu khách du lịch tháng 01/2026, báo cáo Giám đốc Sở trước ngày 25/01/2026.
2. Văn phòng Sở đôn đốc việc điều hành dự án, báo cáo kết quả trước ngày 30/01/2026.
Nơi nhận:
- Như trên;
- Lưu: VT, VP.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn An
"""


@pytest.fixture(scope="session")
def archive(tmp_path_factory, seed_formats):
    """A small archive in the shape archivists have: nested folders, real
    documents in every readable format, and a document that cites another."""
    root = tmp_path_factory.mktemp("archive")
    (root / "2023" / "bao-cao").mkdir(parents=True)
    (root / "2025" / "cong-thuong").mkdir(parents=True)
    (root / "2026").mkdir()
    shutil.copy(BC_SEED, root / "2023" / "bao-cao" / BC_SEED.name)
    for name in ("cv-003.docx", "kh-004.docx", "tb-002.docx", "cv-008.pdf"):
        shutil.copy(CORPUS / name, root / "2025" / "cong-thuong" / name)
    shutil.copy(seed_formats["docx"], root / "2026" / "tb-12-giaoban.docx")
    (root / "2026" / "cv-25-trienkhai.txt").write_text(CITING_CV, encoding="utf-8")
    (root / "2026" / "README.md").write_text("# not a document\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def archive_db(archive, tmp_path_factory):
    """The archive run through ``vanban run`` (2 worker processes) into SQLite."""
    from extract.batch import run

    db = tmp_path_factory.mktemp("db") / "vanban.db"
    summary = run([archive], db, workers=2, progress=False)
    assert summary.ok, summary.failed
    return db
