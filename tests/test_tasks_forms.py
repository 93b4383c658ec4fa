"""Forms of task sentences found in corpus documents without a gold file (generality pass).

Each case is a short snippet of the kind, written anew: what a letter says, and what the task
list must (or must not) hold for it.
"""
from __future__ import annotations

from pipeline.extract.tasks import _is_issuer, extract_tasks
from pipeline.models import Header, Segments, Span


def _tasks(text: str, **header):
    # a segmented letter: the body is the snippet (header="…" keeps the body from being re-cut)
    seg = Segments(text=text, header="ỦY BAN NHÂN DÂN", body=text, body_span=Span(0, len(text)))
    return extract_tasks(seg, Header(**header), [])


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
    text = ("Tổng cục Hải quan yêu cầu Cục Hải quan các tỉnh, thành phố thực hiện như sau:\n"
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


def test_closing_formula_passing_the_letter_on_is_no_task():
    text = ("Trân trọng thông báo kết luận của đồng chí Phó Chủ tịch UBND tỉnh đến các sở, ban, ngành "
            "và cơ quan, đơn vị liên quan biết, thực hiện.")
    assert _tasks(text, type="Thông báo") == []


def test_issuer_proposing_to_its_superior_is_a_task_of_the_superior():
    text = ("Căn cứ quy định tại điểm c khoản 2 Điều 30 Nghị định số 126/2024/NĐ-CP, Sở Nội vụ đề xuất "
            "Chủ tịch Ủy ban nhân dân tỉnh thống nhất gia hạn thời gian tổ chức đại hội của Hiệp hội "
            "Nhà thầu xây dựng đến ngày 31/12/2024. Qua thời gian này, Sở Nội vụ sẽ báo cáo Chủ tịch "
            "Ủy ban nhân dân tỉnh xem xét, xử lý.")
    tasks = _tasks(text, issuer="Sở Nội vụ", type="Tờ trình")
    assert [t.lead for t in tasks] == ["Chủ tịch Ủy ban nhân dân tỉnh"]
    # the proposal's own sentence; the end of an extension is what is proposed, not a due date
    assert tasks[0].action.endswith("đến ngày 31/12/2024")
    assert tasks[0].deadline.date is None


def test_request_inside_an_open_duty_continues_it():
    text = ("- Khẩn trương đẩy nhanh tiến độ công tác tham mưu; chủ trì, phối hợp Sở Xây dựng để làm việc "
            "với các chủ mỏ đá trên địa bàn; đồng thời, tuyên truyền, vận động và yêu cầu các chủ mỏ cam kết "
            "cụ thể về khối lượng, tiến độ cung cấp cho dự án.")
    text = "g) Sở Nông nghiệp và Môi trường:\n" + text
    tasks = _tasks(text, type="Thông báo")
    assert [t.lead for t in tasks] == ["Sở Nông nghiệp và Môi trường"]


def test_request_after_a_connector_opens_its_own_duty():
    text = ("Sở Nội vụ cơ bản thống nhất với các nội dung dự thảo; đồng thời, đề nghị Công an tỉnh nghiên "
            "cứu, điều chỉnh khoản 7 Điều 4 dự thảo Quyết định.")
    assert [t.lead for t in _tasks(text, issuer="Sở Nội vụ")] == ["Công an tỉnh"]


def test_trade_verb_inside_a_name():
    text = ("1. Yêu cầu các hội: Hội Nghề cá, Hội Tin học và Hiệp hội Nhà thầu xây dựng hoàn thành tổ chức "
            "đại hội nhiệm kỳ chậm nhất ngày 31/12/2024. Quá thời gian này, các hội không tổ chức đại hội, "
            "Chủ tịch Ủy ban nhân dân tỉnh sẽ xem xét xử lý theo quy định.")
    t = _tasks(text, type="Công văn")
    assert [x.lead for x in t] == ["Các hội: Hội Nghề cá, Hội Tin học và Hiệp hội Nhà thầu xây dựng"]
    # the warning after the deadline is the issuer's next step, not part of the duty
    assert t[0].action == "hoàn thành tổ chức đại hội nhiệm kỳ chậm nhất ngày 31/12/2024"
    # "Sở Nội vụ xây dựng kế hoạch": the verb of the duty
    assert _tasks("Giao Sở Nội vụ xây dựng kế hoạch.")[0].action == "xây dựng kế hoạch"


def test_request_to_collect_alone_is_optional():
    t = _tasks("Sau khi nghiên cứu, Văn phòng thống nhất với dự thảo Kế hoạch.\nĐề nghị Sở Nội vụ tổng hợp./.")
    assert [x.optional for x in t] == [True]


def test_request_as_a_noun_is_no_task():
    for text in ("b) Có kết quả học tập đạt loại giỏi tại năm trước liền kề với năm đề nghị Ngân hàng Chính "
                 "sách xã hội cho vay vốn.",
                 "3. Tại thời điểm đề nghị Ngân hàng Chính sách xã hội cho vay vốn, người học phải điền Tờ khai."):
        assert _tasks(text, type="Quyết định") == [], text


def test_form_field_is_no_task():
    text = "a) Cơ quan gửi báo cáo: Ngân hàng Chính sách xã hội."
    assert _tasks(text, type="Quyết định") == []


def test_negated_rule_is_no_task():
    text = "b) Ngân hàng Chính sách xã hội không giải ngân vốn vay trong thời gian người học nghỉ học tạm thời."
    assert _tasks(text, type="Quyết định") == []


def test_aside_assignment_keeps_a_clean_action():
    text = "- Trưởng Ban Dân tộc tỉnh, Phòng Chuyên môn thuộc Ban Dân tộc tỉnh (giao Ban Dân tộc tỉnh thông báo);"
    assert [(t.lead, t.action) for t in _tasks(text, type="Thông báo")] == [("Ban Dân tộc tỉnh", "thông báo")]


def test_report_to_is_the_body_right_after_the_cue():
    t = _tasks("Đề nghị Ban Chủ nhiệm hoàn thiện hồ sơ gửi Sở Tư pháp trước ngày 25/11/2025 để phối hợp với "
               "Sở Nội vụ tham mưu trình Ủy ban nhân dân tỉnh.")[0]
    assert t.report_to == "Sở Tư pháp"
    t = _tasks("Giao Ban Quản lý dự án định kỳ 02 tuần/lần tổng hợp, báo cáo UBND tỉnh (thông qua Sở Xây dựng).")[0]
    assert t.report_to == "UBND tỉnh (thông qua Sở Xây dựng)"
    t = _tasks("Giao Bộ Lao động tổng hợp và báo cáo Thủ tướng Chính phủ về kết quả đào tạo nghề.")[0]
    assert t.report_to == "Thủ tướng Chính phủ"
    t = _tasks("Giao Sở Nội vụ báo cáo kết quả thực hiện về UBND huyện trước ngày 30/6/2024.")[0]
    assert t.report_to == "UBND huyện"


def test_name_with_ve_keeps_its_subject_matter():
    text = "Đề nghị Ban Chỉ đạo quốc gia về dữ liệu tổng hợp báo cáo."
    assert _tasks(text)[0].lead == "Ban Chỉ đạo quốc gia về dữ liệu"


def test_group_joined_by_va_stays_one_group():
    t = _tasks("b) Sở Lao động thường xuyên phối hợp với các cơ quan, đơn vị và địa phương để hướng dẫn các "
               "địa phương tổ chức thực hiện.", type="Kế hoạch")[0]
    assert t.coordinators == ("Các cơ quan, đơn vị và địa phương",)


def test_addressee_named_politely():
    t = _tasks("Đề nghị quý cơ quan nghiên cứu, có ý kiến tham gia về dự thảo Thông tư.")
    assert [(x.lead, x.action) for x in t] == [("Quý cơ quan", "nghiên cứu, có ý kiến tham gia về dự thảo Thông tư")]
    # "quý II" is a quarter, no addressee
    assert [x.lead for x in _tasks("Đề nghị Sở Nội vụ triển khai trong quý II năm 2026.")] == ["Sở Nội vụ"]


def test_quoted_title_is_part_of_the_action():
    text = ("1. Các sở, ban, ngành xây dựng Kế hoạch phát động Phong trào thi đua “Đẩy mạnh cải cách hành "
            "chính nhà nước trên địa bàn tỉnh Lâm Đồng” năm 2026 của cơ quan, đơn vị mình.")
    t = _tasks(text, type="Kế hoạch")
    assert t[0].action.endswith("năm 2026 của cơ quan, đơn vị mình")
    # a quotation of another document still ends the action
    text = ("Đề nghị Sở Tư pháp điều chỉnh khoản 7 Điều 4 dự thảo Quyết định thành: “Đội ứng cứu được bảo "
            "đảm phương tiện, thiết bị và các điều kiện cần thiết duy trì hoạt động theo quy định”.")
    assert _tasks(text)[0].action == "điều chỉnh khoản 7 Điều 4 dự thảo Quyết định thành"


def test_group_head_with_members_after_a_colon():
    text = ("- Các bộ, cơ quan ngang bộ: Tài chính; Tư pháp; Khoa học và Công nghệ; Văn phòng Chính phủ phối "
            "hợp với Bộ Nội vụ trong việc theo dõi, đánh giá cải cách hành chính.")
    t = _tasks(text, type="Quyết định")
    assert t[0].lead == "Các bộ, cơ quan ngang bộ: Tài chính; Tư pháp; Khoa học và Công nghệ; Văn phòng Chính phủ"
    # a colon before a verb opens the duty, not a list of members
    t = _tasks("- Các bộ, các tỉnh: Phân công nhiệm vụ cho công chức theo dõi, đánh giá cải cách hành chính.",
               type="Quyết định")
    assert t[0].lead == "Các bộ, các tỉnh"


def test_request_told_with_its_outcome_is_past():
    text = ("3. Qua kết quả kiểm tra, đề nghị các cơ quan, đơn vị, địa phương xây dựng kế hoạch, chỉ đạo khắc "
            "phục các tồn tại, hạn chế; đến nay, 100% vấn đề phát hiện qua kiểm tra đã được khắc phục.")
    assert _tasks(text, type="Báo cáo") == []


def test_items_detailing_one_duty_make_one_task():
    text = ("a) Trung tâm Phát triển quỹ đất tỉnh\n"
            "- Chủ trì, phối hợp chặt chẽ với Ban Quản lý dự án và Nhà đầu tư trong việc tập trung giải phóng mặt "
            "bằng các đoạn tuyến mà dự kiến khởi công trước ngày 30/4/2026, trong đó:\n"
            "+ Đối với dự án cao tốc Bảo Lộc – Liên Khương: Tập trung ưu tiên giải phóng mặt bằng, yêu cầu đến "
            "30/5/2026 phải bàn giao toàn bộ mặt bằng cho đơn vị thi công.\n"
            "+ Đối với dự án cao tốc Tân Phú – Bảo Lộc: Tập trung ưu tiên giải phóng mặt bằng, yêu cầu đến "
            "30/5/2026 phải bàn giao toàn bộ mặt bằng cho đơn vị thi công.\n"
            "- Đẩy nhanh việc chi trả tiền bồi thường cho người dân.\n")
    tasks = _tasks(text, type="Thông báo", date="2026-03-20")
    assert len(tasks) == 2
    assert "Tân Phú – Bảo Lộc" in tasks[0].action and tasks[0].coordinators == ("Ban Quản lý dự án", "Nhà đầu tư")
    # the expected start of works is what the duty is about; the hand-over date is when it is due
    assert tasks[0].deadline.date == "2026-05-30"
    assert tasks[1].action.startswith("đẩy nhanh việc chi trả")
