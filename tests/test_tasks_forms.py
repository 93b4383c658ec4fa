"""Forms of task sentences found in corpus documents without a gold file (generality pass).

Each case is a short snippet of the kind, written anew: what a letter says, and what the task
list must (or must not) hold for it.
"""
from __future__ import annotations

from pipeline.extract.tasks import _is_issuer, extract_tasks
from pipeline.models import Header, Segments


def _tasks(text: str, **header):
    return extract_tasks(Segments(text=text, body=text), Header(**header), [])


def test_request_to_the_issuer_quoted_from_another_body_is_background():
    # a Sở's letter retelling what the provincial office asked of it
    text = ("Thực hiện Công văn số 12/VP-NC ngày 05/3/2025 của Văn phòng UBND tỉnh đề nghị Sở Nội vụ "
            "xem xét, có ý kiến theo đề nghị của Hiệp hội Doanh nghiệp tỉnh.")
    assert _tasks(text, issuer="Sở Nội vụ", type="Tờ trình") == []
    text = "Ủy ban nhân dân tỉnh giao Sở Nội vụ theo dõi, đôn đốc việc tổ chức đại hội của các hội."
    assert _tasks(text, issuer="Sở Nội vụ") == []


def test_request_opening_an_item_to_the_issuer_is_kept():
    # a proposal item in the letter's own voice is not background
    text = "a) Giao Sở Nội vụ theo dõi việc thực hiện các nội dung trên."
    assert [t.lead for t in _tasks(text, issuer="Sở Nội vụ")] == ["Sở Nội vụ"]


def test_request_to_another_body_is_kept():
    text = "Ủy ban nhân dân tỉnh giao Sở Tài chính tổng hợp, báo cáo trước ngày 30/6/2025."
    assert [t.lead for t in _tasks(text, issuer="Sở Nội vụ")] == ["Sở Tài chính"]


def test_issuer_named_with_or_without_its_locality():
    h = Header(issuer="Ủy ban nhân dân tỉnh Lâm Đồng")
    assert _is_issuer("UBND tỉnh", h)
    assert _is_issuer("Ủy ban nhân dân tỉnh Lâm Đồng", h)
    assert not _is_issuer("UBND huyện", h)
    h = Header(issuer="Sở Văn hóa, Thể thao và Du lịch")
    assert _is_issuer("Sở Văn hóa, Thể thao và Du lịch tỉnh Lâm Đồng", h)
    assert not _is_issuer("Sở Nội vụ tỉnh Lâm Đồng", h)
    # a two-level header text names the parent first: the parent is not the issuer
    h = Header(issuer="Sở Nội vụ", issuer_text="UBND TỈNH LÂM ĐỒNG / SỞ NỘI VỤ")
    assert not _is_issuer("UBND tỉnh", h)


def test_issuer_as_subject_of_a_report_sentence_is_no_task():
    text = "Sau sáp nhập tỉnh, Ủy ban nhân dân tỉnh ban hành Quyết định số 787/QĐ-UBND về thí điểm mô hình."
    assert _tasks(text, issuer="Ủy ban nhân dân tỉnh Lâm Đồng", type="Báo cáo") == []


def test_passive_agent_is_not_the_subject():
    text = "Phiên họp do Thủ tướng Chính phủ Phạm Minh Chính, Trưởng Ban Chỉ đạo chủ trì."
    assert _tasks(text, type="Công điện") == []


def test_subject_after_opening_clause_still_acts():
    text = ("6. Đối với các khoản tài trợ do bên tài trợ cung cấp bằng hiện vật, Bộ Công an chịu trách "
            "nhiệm toàn diện trong việc quản lý, theo dõi, phân bổ các khoản tài trợ.")
    assert [t.lead for t in _tasks(text, type="Quyết định")] == ["Bộ Công an"]


def test_lower_case_object_noun_ends_a_body_name():
    t = _tasks("Đề nghị Sở Nội vụ báo cáo lãnh đạo UBND tỉnh tình hình thực hiện.")[0]
    assert t.report_to == "lãnh đạo UBND tỉnh"
    t = _tasks("Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh văn bản có ý kiến về việc tổ chức đại hội.")[0]
    assert t.lead == "Chủ tịch Ủy ban nhân dân tỉnh"
    # capitalised, the same words belong to a name
    t = _tasks("Đề nghị Trung tâm Thông tin tỉnh cập nhật dữ liệu.")[0]
    assert t.lead == "Trung tâm Thông tin tỉnh"


def test_role_named_by_its_verb():
    t = _tasks("Đề nghị Cơ quan soạn thảo xem xét, điều chỉnh trọng tâm kiểm tra.")[0]
    assert (t.lead, t.action) == ("Cơ quan soạn thảo", "xem xét, điều chỉnh trọng tâm kiểm tra")
    t = _tasks("Đề nghị các cơ quan, đơn vị thực hiện báo cáo.")[0]
    assert t.lead == "Các cơ quan, đơn vị"


def test_clause_subject_that_only_opens_a_list():
    text = ("Điều 2. Căn cứ kết quả đánh giá được công bố tại Quyết định này, Chủ tịch UBND tỉnh chỉ đạo:\n"
            "1. Giao Sở Nội vụ tham mưu Chủ tịch UBND tỉnh khen thưởng các đơn vị.\n")
    tasks = _tasks(text, type="Quyết định")
    assert [(t.lead, t.action[:9]) for t in tasks] == [("Sở Nội vụ", "tham mưu ")]


def test_numbered_heading_naming_who_acts_heads_its_items():
    text = ("3.9. Chủ tịch Ủy ban nhân dân cấp xã chỉ đạo\n"
            "- Đẩy mạnh hoạt động tuyên truyền tại các địa bàn dân cư.\n"
            "- Tổ chức tuyên truyền các quy định pháp luật về ma túy.\n")
    tasks = _tasks(text, type="Kế hoạch")
    assert [t.lead for t in tasks] == ["Chủ tịch Ủy ban nhân dân cấp xã"] * 2
    assert tasks[0].action.startswith("đẩy mạnh")


def test_opening_by_functions_and_area_is_not_the_action():
    text = ("1.2. Ủy ban nhân dân cấp xã\n"
            "- Căn cứ chức năng, nhiệm vụ, địa bàn, lĩnh vực phụ trách chỉ đạo ban, ngành, đoàn thể "
            "đẩy mạnh công tác phòng, chống ma túy.\n")
    tasks = _tasks(text, type="Kế hoạch")
    assert tasks[0].action.startswith("chỉ đạo ban, ngành")


def test_enacting_formula_is_not_a_task():
    text = "Bộ trưởng Bộ Tư pháp ban hành Thông tư quy định tiêu chí chất lượng dịch vụ sự nghiệp công."
    assert _tasks(text, type="Thông tư", issuer="Bộ Tư pháp") == []


def test_group_noun_is_a_whole_word():
    # "các cơ chế" is no group of bodies, "các cơ sở giáo dục" is
    assert _tasks("Điều 2. Các cơ chế xử lý khó khăn, vướng mắc", type="Nghị quyết") == []
    t = _tasks("a) Các cơ sở giáo dục đại học thực hiện việc xác nhận cho người học.", type="Quyết định")
    assert [x.lead for x in t] == ["Các cơ sở giáo dục đại học"]


def test_nominalised_assignment_is_no_request():
    text = ("c) Việc chấp thuận chủ trương đầu tư đồng thời giao chủ đầu tư đối với trường hợp khu đất "
            "chưa có quy hoạch được thực hiện theo quy định của pháp luật.")
    assert _tasks(text, type="Nghị quyết") == []


def test_execution_article_with_a_long_list_names_everyone():
    text = ("Điều 7. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Tư pháp, Giám đốc Sở Nội vụ, "
            "Đoàn Luật sư tỉnh Lâm Đồng (cũ), Đoàn Luật sư tỉnh Bình Thuận (cũ), Đoàn Luật sư tỉnh Đắk "
            "Nông (cũ), Đoàn Luật sư tỉnh Lâm Đồng (mới) và các cơ quan, tổ chức có liên quan chịu trách "
            "nhiệm thi hành Quyết định này./.")
    t = _tasks(text, type="Quyết định")
    assert len(t) == 1 and t[0].lead.startswith("Chánh Văn phòng Ủy ban nhân dân tỉnh")


def test_condition_then_body_heads_the_items_below():
    text = ("II. Xử lý một số vướng mắc\n"
            "10. Trường hợp người khai khai nhiều tờ khai cho một lô hàng Nếu hệ thống của cảng gửi "
            "xác nhận cho tất cả các tờ khai, thì Chi cục Hải quan nơi lưu giữ hàng hóa kiểm tra hiệu lực "
            "của các tờ khai liên quan và xử lý như sau:\n"
            "- Với các tờ khai hết hiệu lực: thực hiện hủy việc xác nhận của doanh nghiệp cảng.\n")
    tasks = _tasks(text, type="Công văn")
    assert [t.lead for t in tasks] == ["Chi cục Hải quan nơi lưu giữ hàng hóa"] * 2
    assert tasks[0].action.startswith("nếu hệ thống của cảng gửi xác nhận cho tất cả các tờ khai thì kiểm tra")


def test_past_clause_with_a_named_committee_is_no_task():
    text = ("4. Kết thúc Cuộc thi, Ban tổ chức đã trao giải cho 22 cá nhân đạt giải, cụ thể như sau:\n"
            "- Giải nhất: 01 cá nhân.\n")
    assert _tasks(text, type="Báo cáo") == []
