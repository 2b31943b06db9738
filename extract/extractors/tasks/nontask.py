"""What is not a task, in one place.

Findings and checklists of inspection records ("Sổ sách theo dõi: Đã lập"),
descriptions ("Tên dự án: ..."), evaluations and thanks ("Ghi nhận, đánh giá
cao ..."), reports of the past ("Sở đã tổ chức ..."), the closing lines
("Trên đây là ...", "... thông báo để các cơ quan biết, thực hiện"), and
every item under a heading of results, purposes, requirements, background
or money. The word lists live in ``rules/tasks.yaml``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from ... import ruleset as rules
from ...literals import alternation
from ...normalize import fold
from ...structure.closing import END_MARK

_TOPIC = regex.compile(r"(?:về|đối với|riêng|trong đó|giao|đề nghị|yêu cầu)\b", regex.I)
_NUM_LABEL = regex.compile(r"^(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])[.)]\s*")
_ART_LABEL = regex.compile(r"^(?:dieu|chuong|muc|phan)\s+(?:\d+|[ivxlc]+)\b[.:]?\s*")
# "Nội dung báo cáo: khối lượng thực hiện ...": what the work holds, not a description
_CONTENT = regex.compile(r"nội dung\b", regex.I)
_CITED = regex.compile(r"(?:quy định tại|theo quy định|như quy định|thực hiện theo|tại điều|theo điều)\b", regex.I)
_DA = regex.compile(r"(?<!\p{L})đã(?!\p{L})")


@lru_cache(maxsize=None)
def config():
    d = rules.load("tasks.yaml")
    c = {
        "zone": regex.compile(r"(?:" + "|".join(d["zone_headings"]) + r")"),
        "other": regex.compile(r"(?:" + "|".join(d["other_headings"]) + r")"),
        "intro": regex.compile(r"(?:" + "|".join(d["intro_patterns"]) + r")", regex.I),
        # tries of the lists' literal words in fixed syntax: the standard
        # library's engine compiles them several times faster (a worker's start-up)
        "directive": re.compile(r"(?:" + alternation(d["directive_openings"]) + r")(?=[\s,.:;]|$)", re.I),
        "not_task": re.compile(r"(?:" + alternation(d["not_task_openings"]) + r")(?=[\s,.:;]|$)", re.I),
        "status": re.compile(r"^[^:]{2,120}:\s*(?:" + alternation(d["status_values"]) + r")\s*[.;]?\s*$"),
        "field": re.compile(r"^(?:" + alternation(d["field_labels"]) + r")(?:\s[^:]{0,40})?:", re.I),
        "past": re.compile(r"(?:" + alternation(d["past_markers"]) + r")(?=\s)", re.I),
        "grounds": regex.compile(d["grounds"], regex.I),
        "procedures": regex.compile(d["procedure_titles"]),
    }
    return c


_CLOSINGS = regex.compile(
    r"^(?:trên đây là|trên đây|nơi nhận|kính gửi)|"
    r"(?:thông báo|thừa lệnh[^.]{0,80}thông báo|báo cáo|gửi)\s[^.]{0,300}?(?:để|được)\s+(?:\S+\s+){0,25}?"
    r"biết(?:,|\s+và|\s+để)?\s+(?:thực hiện|triển khai|chỉ đạo|phối hợp|theo dõi)",
    regex.I)
_SENT = regex.compile(r"[.;!?](?:\s|$)")


def is_closing(text: str) -> bool:
    """The lines that close a document: "Trên đây là ...", "Nơi nhận",
    "Văn phòng Chính phủ thông báo để ... biết, thực hiện./."."""
    # the end mark "./." closes the body, but the last article before it may be work
    # ("Văn phòng Chính phủ theo dõi, đôn đốc ... thực hiện nghiêm túc Công điện này./.")
    return bool(_CLOSINGS.search(text[:600])) or bool(END_MARK.search(text)) and not _WORK_WORDS.search(text)


def reason(text: str) -> str | None:
    """Why ``text`` (an item without its label) is not a task, or None."""
    c = config()
    t = text.strip()
    if len(t) < 8 or len(t.split()) < 3:
        return "too short"
    if is_closing(t):
        return "closing"
    if _BLANKS.search(t):
        return "form blank"     # "Kính gửi: ..............(2).............."
    if t.startswith("(") and t.rstrip(".").endswith(")") and t.count("(") == 1:
        return "note"           # "(Có phụ lục I đính kèm)"
    if c["not_task"].match(t) or c["not_task"].match(_ON_BEHALF.sub("", t, count=1)):
        return "evaluation or finding"   # "Thay mặt Thủ tướng Chính phủ, ghi nhận và đánh giá cao ..." too
    if _CAPS_HEADING.match(t) and not any(ch.islower() for ch in t):
        return "heading"            # "TỔ CHỨC THỰC HIỆN", "PHỤ LỤC II": a heading in capitals
    if _FILED.match(t):
        return "closing"            # "Lưu: VT, ..." of the recipients
    if c["grounds"].match(t):
        return "grounds"
    if _EFFECT.match(t):
        return "entry into force"
    if _ADOPTED.match(t):
        return "adoption"           # "Nghị quyết này đã được Hội đồng nhân dân tỉnh ... thông qua ngày ..."
    if _CITATION_ITEM.match(t) and not _ORDERS.search(t):
        return "citation"           # an item of a list of documents ("bãi bỏ các Nghị quyết sau: ...")
    law = _LAW_SAYS.match(t)
    if law and not _ORDERS.search(t, 0, law.end()) and not _REQUESTS.search(t):
        return "law quoted"         # a reply's "Khoản 1 Điều 47a ... Luật số 90/2025/QH15 ... quy định ...": what a law says
    m = _ENACTS.match(t)
    if m and not _ASKS.search(m.group("who")):
        return "enacting formula"   # "Ủy ban nhân dân tỉnh ban hành Quyết định ...": the act itself, after its grounds
    if t.endswith(":"):
        return "lead-in"        # what follows it is the work
    if c["status"].match(fold(t)):
        return "checklist line"
    if c["field"].match(t):
        return "description field"
    if c["past"].match(t):
        return "past"
    return None


# "Quyết định này có hiệu lực thi hành kể từ ngày ký": when the document takes effect
_EFFECT = regex.compile(r"^(?:\S+\s+){1,3}này có hiệu lực", regex.I)
_DOC_TYPES = r"(?:Nghị quyết|Quyết định|Thông tư|Nghị định|Chỉ thị|Kế hoạch|Công văn|Thông báo|Luật|Pháp lệnh|Văn bản)"
_ADOPTED = regex.compile(_DOC_TYPES + r"\s+này\s+(?:đã\s+)?được\s+[^.]{0,200}?thông qua", regex.I)
_CITATION_ITEM = regex.compile(r"^(?-i:" + _DOC_TYPES + r")\s+(?:số\s+)?\S*\d\S*\s+(?:ngày|của|về|quy định|ban hành|sửa đổi)")
# "Khoản 1, 2 Điều 47a được bổ sung tại khoản 3 Điều 3 Luật số 90/2025/QH15 ...; Điều 35 Nghị định số
# 08/2015/NĐ-CP ... quy định hàng hóa ...": a clause of a law, and what it lays down
_LAW_SAYS = regex.compile(r"^(?:(?:Tại|Theo|Căn cứ)\s+(?:quy định tại\s+)?)?(?:[Đđ]iểm|[Kk]hoản|Điều|Mục|Chương)\s+[\w.,\s]{1,60}?"
                          r"(?:Luật|Bộ luật|Nghị định|Thông tư|Nghị quyết|Quyết định|Pháp lệnh|Điều\s+\d)"
                          r"[^:]{0,500}?\squy\s+định(?!\s+(?:tại|này)(?!\p{L}))(?=\s|:)")
_REQUESTS = regex.compile(r"(?<!\p{L})(?:đề nghị|yêu cầu)(?!\p{L})", regex.I)
# what makes an item that opens with a citation an order all the same
_ORDERS = regex.compile(r"(?<!\p{L})(?:giao|đề nghị|yêu cầu|chịu trách nhiệm|có trách nhiệm|phải|cần)(?!\p{L})", regex.I)
_ON_BEHALF = regex.compile(r"^(?:Thay mặt|Được sự ủy quyền của|Thừa lệnh)\s[^,]{3,80},\s*", regex.I)
_CAPS_HEADING = regex.compile(r"^\W*\p{Lu}")
_FILED = regex.compile(r"^Lưu\s*:?\s+(?:VT|Văn thư|\p{Lu}[^.]{0,60}\.?$)")
_ENACTS = regex.compile(r"^(?!(?:sau khi|khi|trước khi|trường hợp|để|căn cứ|nếu|trong|chờ)\s)(?P<who>[^,.;:]{2,120}?)\s+(?:ban hành|quyết nghị)\s*:?\s*"
                        r"(?:(?-i:Quyết định|Nghị quyết|Thông tư|Nghị định|Chỉ thị|Quy định|Quy chế)\b|$)", regex.I)
_ASKS = regex.compile(r"(?<!\p{L})(?:tham mưu|trình|đề xuất|đề nghị|giao|yêu cầu|chỉ đạo|nghiên cứu|xây dựng|hướng dẫn|phối hợp|chủ trì)(?!\p{L})", regex.I)
_BLANKS = regex.compile(r"\.{5,}|…{2,}|_{5,}")
_FIELD = regex.compile(r"^(?P<label>[^:;.()]{2,60}):\s*(?P<value>\S.*)$", regex.S)


def is_field(text: str) -> bool:
    """A line of a description or record, "Tên thương mại: ...", "Nhà sản
    xuất: ...": a short label that is neither a topic ("Về ...:") nor work,
    and a value that orders nothing."""
    m = _FIELD.match(text.strip())
    if not m:
        return False
    label, value = m.group("label").strip(), m.group("value")
    if len(label.split()) > 8 or _TOPIC.match(label):
        return False
    if _CONTENT.match(label):
        return bool(_CITED.match(value))    # "Nội dung huấn luyện: Quy định tại Điều 7 ..." points to a rule
    return not is_directive(label) and not is_directive(value)


def is_past_predicate(rest: str) -> bool:
    """Whether the predicate after a subject reports the past ("đã tổ chức")."""
    return bool(config()["past"].match(rest.lstrip(" ,")))


@lru_cache(maxsize=8192)
def heading_zone(heading: str) -> str | None:
    """"task" for a heading of work to come, "other" for results, purposes,
    requirements, background; else None (a heading says neither)."""
    c = config()
    h = fold(heading).strip(" :.")
    h = _NUM_LABEL.sub("", h)
    h = _ART_LABEL.sub("", h)
    if not h:
        return None
    words = h.split()
    # a long heading is a sentence: only its opening words say what the place is
    head = " ".join(words[:8]) if len(words) > 20 else h[:120]
    if c["other"].search(head) and not _starts_with_zone(head, c):
        return "other"
    if c["zone"].search(head):
        return "task"
    return None


def _starts_with_zone(h: str, c) -> bool:
    m = c["zone"].search(h)
    o = c["other"].search(h)
    return bool(m and o and m.start() < o.start())


def is_directive(text: str) -> bool:
    """Whether ``text`` opens with a verb that orders work."""
    return bool(config()["directive"].match(text.strip()))


_WORK_WORDS = regex.compile(
    r"(?<!\p{L})(?:phải|cần|có trách nhiệm|chịu trách nhiệm|thực hiện|tổ chức|triển khai|đảm bảo|bảo đảm|tuân thủ|"
    r"chấp hành|nâng cao|là cơ quan|là đầu mối|chủ trì|phối hợp|không (?:được|để|gây|sử dụng)|chú trọng|"
    r"có (?:giải pháp|biện pháp|kế hoạch|văn bản)|báo cáo|tham mưu|xây dựng|rà soát|kiểm tra|hướng dẫn)(?!\p{L})", regex.I)


def looks_like_work(text: str) -> bool:
    """Whether an item under a unit's heading reads as work ("Là cơ quan
    thường trực, đôn đốc ...", "Không gây ảnh hưởng ...") rather than a line
    describing the unit ("Giấy chứng nhận đăng ký doanh nghiệp số ...")."""
    t = text.strip()
    return is_directive(t) or bool(_WORK_WORDS.search(t[:160]))


def last_sentence(text: str) -> str:
    """The last sentence (or clause after a ";") of a lead-in: its main clause;
    before a bare "Cụ thể:", the sentence it details."""
    b = bare_lead(text)
    if b is not None:
        before = text[:b].rstrip(" .;")
        return before[before.rfind(". ") + 2 if ". " in before else 0:] + ". " + text[b:]
    cut = max(text.rfind(". "), text.rfind("; "))
    return text[cut + 2:] if cut >= 0 else text


# "... đề nghị UBND các xã thực hiện nghiêm túc ..., chủ động điều chỉnh lịch học. Cụ thể:"
_BARE_LEAD = regex.compile(r"[.;]\s+(?P<lead>(?:cụ thể|như sau|cụ thể như sau|cụ thể là|trong đó)\s*:)\s*$", regex.I)


def bare_lead(text: str) -> int | None:
    """Where a bare "Cụ thể:" closing a paragraph begins, after a sentence of its own (else None)."""
    m = _BARE_LEAD.search(text.rstrip(), max(0, len(text.rstrip()) - 40))
    if m is None or len(text[:m.start()].split()) < 8:
        return None
    return m.start("lead")


def is_intro(text: str) -> bool:
    """A paragraph that hands out the work after it: ends with a colon and
    holds an intro word ("đề nghị ... như sau:")."""
    t = text.rstrip()
    if not t.endswith(":"):
        return False
    tail = last_sentence(t[-150:])   # the main clause closes the paragraph; what opens it is often background
    if _DA.search(tail) or _REPORTS.search(tail) or _SUBMITS.search(t) or _RECEIVED.search(last_sentence(t)):
        return False
    for m in config()["intro"].finditer(tail):
        if not _NOUN_BEFORE.search(fold(tail[max(0, m.start() - 25):m.start()])):
            return True
    return False


# "Hàng hóa đề nghị xác định ...", "hồ sơ đề nghị", "theo đề nghị": the word as a noun, handing nothing out
_NOUN_BEFORE = regex.compile(r"(?:^|[\s,(])(?:hang hoa|hang|ho so|don|giay|van ban|cong van|to trinh|mau|danh sach|theo|cua|"
                             r"da|duoc|noi dung|viec|cac|nhung|dat|dap ung|voi|theo)\s*$")


# "... Sở báo cáo cụ thể như sau:", "... kết quả như sau:": a report's own outline
# a submission asks its superior to decide; it hands out no work
_SUBMITS = regex.compile(r"(?<!\p{L})(?:kính trình|kính đề nghị|xin ý kiến|xin báo cáo|trình bày)(?!\p{L})", regex.I)
# "X nhận được kiến nghị của cử tri ... như sau:": a lead-in quoting what it received
_RECEIVED = regex.compile(r"(?<!\p{L})nhận được\s+(?:\S+\s+){0,2}?(?:kiến nghị|công văn|văn bản|đơn|ý kiến|đề nghị|phản ánh|câu hỏi)(?!\p{L})", regex.I)
_REPORTS = regex.compile(r"(?:báo cáo|kết quả|tình hình)[^:]{0,40}:$|(?<!\p{L})(?:gồm|bao gồm)[^:]{0,20}:$", regex.I)


def first_sentence(text: str) -> str:
    m = _SENT.search(text)
    return text[:m.start()] if m else text


def publishes_procedures(title: str | None) -> bool:
    """Whether a decision's title says it publishes administrative procedures
    ("Công bố danh mục thủ tục hành chính ...", "... quy trình nội bộ ...")."""
    return bool(title) and bool(config()["procedures"].search(fold(title)))


@lru_cache(maxsize=None)
def normative_types() -> frozenset[str]:
    """Types of legal norms (Nghị định, Luật, Thông tư ...): their tasks are those a body is named for."""
    return frozenset(rules.load("tasks.yaml")["normative_types"])
