"""Entities (ORG, LOC, PER) and abbreviations, on sentences of the genre."""
import socket

import pytest

from conftest import BC_SEED, TB_SEED, extract

from extract.abbreviations import expand, key, same
from extract.model import RawBlock, RawDocument
from extract.structure import structure
from extract.extractors.entities import find_entities, nlp


def ents(text, **kw):
    doc = structure(RawDocument(path="t.txt", format="txt", sha256="", blocks=[RawBlock(l) for l in text.split("\n")]))
    return [(e.label, e.text, e.canonical, e.part_of) for e in find_entities(doc, **kw)], doc


def labels(text, label):
    return [t for lab, t, *_ in ents(text)[0] if lab == label]


@pytest.mark.parametrize("text, expected", [
    ("Đoàn kiểm tra làm việc tại huyện Phong Thổ, tỉnh Lai Châu.", ["huyện Phong Thổ", "tỉnh Lai Châu"]),
    ("Hội nghị tổ chức tại thị xã Sa Pa và TP. Lào Cai.", ["thị xã Sa Pa", "TP. Lào Cai"]),
    ("Du khách đến từ Hà Nội, Thành phố Hồ Chí Minh và Đà Nẵng.", ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng"]),
    ("Khảo sát thôn Nà Củng, xã Bản Hon.", ["thôn Nà Củng", "xã Bản Hon"]),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", []),
    ("Căn cứ văn bản Hướng dẫn của Bộ.", []),
])
def test_places(text, expected):
    assert labels(text, "LOC") == expected


def test_place_canonical_and_2025_merger():
    found, _ = ents("Làm việc với tỉnh Yên Bái và huyện Mường Tè; UBND TỈNH LÀO CAI.")
    by_text = {t: (c, p) for lab, t, c, p in found}
    assert by_text["tỉnh Yên Bái"] == ("Yên Bái", "Lào Cai")         # merged into Lào Cai in 2025
    assert by_text["huyện Mường Tè"] == ("Mường Tè", "Lai Châu")       # its province
    assert by_text["UBND TỈNH LÀO CAI"][0] == "Ủy ban nhân dân TỈNH LÀO CAI"


@pytest.mark.parametrize("text, expected", [
    ("Giao Phòng Quản lý Du lịch chủ trì, phối hợp với Trung tâm Thông tin xúc tiến du lịch thực hiện.",
     ["Phòng Quản lý Du lịch", "Trung tâm Thông tin xúc tiến du lịch"]),
    ("Sở Văn hóa, Thể thao và Du lịch báo cáo UBND tỉnh.", ["Sở Văn hóa, Thể thao và Du lịch", "UBND tỉnh"]),
    ("Theo hướng dẫn của Cục Kỹ thuật an toàn và Môi trường công nghiệp tại văn bản trên.",
     ["Cục Kỹ thuật an toàn và Môi trường công nghiệp"]),
    ("Ban Chỉ đạo phát triển Du lịch và UBND các huyện triển khai.", ["Ban Chỉ đạo phát triển Du lịch", "UBND các huyện"]),
    ("Công ty TNHH Đồng Tiến tại mỏ đá vôi vi phạm.", ["Công ty TNHH Đồng Tiến"]),
    ("Tổ chức thực hiện. Ban hành kế hoạch. Phòng, chống dịch bệnh.", []),
    ("Ủy ban nhân dân tỉnh Lai Châu, Tỉnh ủy, HĐND tỉnh.", ["Ủy ban nhân dân tỉnh Lai Châu", "Tỉnh ủy", "HĐND tỉnh"]),
])
def test_organisations(text, expected):
    assert labels(text, "ORG") == expected


def test_org_canonical_expands_abbreviations():
    found, _ = ents("Báo cáo Bộ VHTT&DL và UBND tỉnh; VP Sở tổng hợp.")
    canon = {t: c for lab, t, c, p in found if lab == "ORG"}
    assert canon["Bộ VHTT&DL"] == "Bộ Văn hóa, Thể thao và Du lịch"
    assert canon["UBND tỉnh"] == "Ủy ban nhân dân tỉnh"


@pytest.mark.parametrize("text, expected", [
    ("Đồng chí Nguyễn Văn An, Phó Giám đốc Sở chủ trì.", ["Nguyễn Văn An"]),
    ("Giao ông Lò Văn Mạnh theo dõi; bà Trần Thị Hoa tổng hợp.", ["Lò Văn Mạnh", "Trần Thị Hoa"]),
    ("Khảo sát bản Vàng Pheo và tỉnh Hà Giang.", []),           # places, though they open with a surname
    ("Bảo tồn nghệ thuật múa của dân tộc Hà Nhì; hợp đồng với Công ty TNHH thương mại Trần Sơn.", []),
])
def test_people_by_rule(text, expected):
    assert labels(text, "PER") == expected


@pytest.mark.parametrize("text, expected", [
    # a rank is a title: the person is the rule's, no NER asked (a bench PDF's delegation list)
    ("Đoàn công tác do Thượng tướng Nguyễn Văn Long, Thứ trưởng Bộ Công an dẫn đầu.", ["Nguyễn Văn Long"]),
    ("Làm việc với Đại tá Lò Văn Mạnh về công tác bảo đảm an ninh.", ["Lò Văn Mạnh"]),
    # a border gate, an industrial park, a kingdom: places that open with a surname
    ("Tuyến Côn Minh qua cặp cửa khẩu Hà Khẩu - Lào Cai.", []),
    ("Đầu tư kinh doanh kết cấu hạ tầng Khu công nghiệp Võ Lao.", []),
    ("Hợp tác với Vương quốc Thái Lan trong lĩnh vực du lịch.", []),
])
def test_people_decided_by_the_rules_without_ner(text, expected):
    found, _ = ents(text, use_ner=False)
    assert [t for lab, t, *_ in found if lab == "PER"] == expected
    assert labels(text, "PER") == expected            # NER on: the same


def test_signer_is_a_person():
    ex = extract(TB_SEED)
    people = [e for e in ex.entities if e.label == "PER"]
    assert ex.document.signer and ex.document.signer.name
    assert any(e.text == ex.document.signer.name for e in people)


def _block_network(monkeypatch):
    def refuse(*a, **k):
        raise OSError("network is off in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_underthesea_ner_loads_offline(monkeypatch):
    """The NER model ships in the wheel: no download, no network."""
    _block_network(monkeypatch)
    from underthesea import ner

    tags = ner("Đồng chí Nguyễn Văn An làm việc tại huyện Phong Thổ, tỉnh Lai Châu.")
    assert ("Nguyễn Văn An", "B-PER") in [(t[0], t[-1]) for t in tags]


def test_bare_name_confirmed_by_underthesea(monkeypatch):
    _block_network(monkeypatch)
    text = "Cuộc họp có sự tham dự của Nguyễn Văn An và các thành viên Tổ công tác."
    assert labels(text, "PER") == ["Nguyễn Văn An"]
    found, _ = ents(text, use_ner=False)
    assert not [t for lab, t, *_ in found if lab == "PER"]


def test_fork_server_loads_the_ner_models_once():
    """The batch's fork server (extract._preload) loads underthesea's four
    models, so a forked worker tags its first bare name without loading one;
    a plain import of the extractors does not load them (a run with no bare
    name never needs them)."""
    import subprocess
    import sys
    from pathlib import Path

    probe = ("import sys; {imp}; from underthesea.pipeline.ner.model_crf import CRFNERPredictor; "
             "print(hasattr(CRFNERPredictor, '_instance'))")
    root = str(Path(__file__).resolve().parent.parent)

    def loaded(imp):
        out = subprocess.run([sys.executable, "-c", probe.format(imp=imp)], capture_output=True, text=True,
                             cwd=root, check=True)
        return out.stdout.strip()

    assert loaded("import extract._preload") == "True"
    assert loaded("from extract.extractors import warm; warm()") == "False"


def test_spacy_pipeline_loads_offline(monkeypatch):
    _block_network(monkeypatch)
    nlp.cache_clear()
    pipe = nlp()
    assert pipe.lang == "xx" and "entity_ruler" in pipe.pipe_names


def test_entities_in_a_real_report_carry_provenance():
    ex = extract(BC_SEED)
    labels_ = {e.label for e in ex.entities}
    assert labels_ >= {"ORG", "LOC"}
    for e in ex.entities:
        assert ex.document.text[e.span.start:e.span.end] == e.text
    # codes are not places: nothing inside a reference
    refs = [m for r in ex.references for m in r.mentions]
    assert not [e for e in ex.entities if any(m.start <= e.span.start < m.end for m in refs)]
    assert any(e.text == "huyện Phong Thổ" and e.part_of == "Lai Châu" for e in ex.entities)


@pytest.mark.parametrize("a, b", [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Sở VHTT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("HĐND tỉnh Lai Châu", "hội đồng nhân dân tỉnh lai châu"),
    ("VP Sở", "Văn phòng Sở"),
])
def test_abbreviations_match(a, b):
    assert same(a, b)


def test_expand_whole_tokens_only():
    assert expand("UBND tỉnh và TTHC") == "Ủy ban nhân dân tỉnh và thủ tục hành chính"
    assert expand("CPU") == "CPU"                  # "CP" inside a word is not Chính phủ
    assert key("Nghị quyết của CP") == "nghi quyet cua chinh phu"
