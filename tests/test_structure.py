"""The body tree: paragraphs joined from wrapped lines, item markers, paths."""
from __future__ import annotations

from pipeline.models import Segments
from pipeline.structure import join_lines, parse_paragraphs, parse_sections


def _seg(text: str) -> Segments:
    return Segments(text=text, body=text)


def test_paths_of_a_letter():
    t = ("1. Thực hiện nhiệm vụ\n- Đề nghị các cơ quan rà soát.\n2. Khắc phục\n"
         "Để thực hiện, yêu cầu Thủ trưởng các cơ quan:\na) Nâng cao vai trò.\nb) Phòng Nội vụ tham mưu.\n")
    assert [s.path for s in parse_sections(_seg(t))] == ["1", "2", "2.a", "2.b"]
    paras = parse_paragraphs(_seg(t))
    assert [p.path for p in paras] == ["1", "1", "2", "2", "2.a", "2.b"]
    assert paras[1].kind == "dash" and paras[1].parent == 0


def test_decision_paths():
    t = "Điều 1. Phê duyệt Đề án:\nI. MỤC TIÊU\n1. Mục tiêu\na) Mục tiêu chung:\nĐiều 2. Hiệu lực.\n"
    assert [s.path for s in parse_sections(_seg(t))] == ["Điều 1", "Điều 1.I", "Điều 1.I.1", "Điều 1.I.1.a", "Điều 2"]


def test_layout_wrapped_lines_are_joined():
    lines = ["Căn cứ Nghị định số 25/2025/NĐ-CP ngày 21 tháng 02 năm 2025 của",
             "Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ",
             "Nội vụ;",
             "1. Nâng cao trách nhiệm và hiệu quả chỉ đạo điều hành của các",
             "ngành, các cấp đối với việc tổ chức triển khai công tác cải cách",
             "- Chỉ đạo việc thực hiện các nội dung cải cách hành chính một cách",
             "nghiêm túc, đồng bộ, thống nhất, toàn diện, có hiệu quả theo kế hoạch."] * 2
    paras = join_lines("\n".join(lines))
    assert paras[0][0].startswith("Căn cứ Nghị định") and paras[0][0].endswith("của Bộ Nội vụ;")
    assert paras[1][0].startswith("1. Nâng cao") and "ngành, các cấp" in paras[1][0]
    assert paras[2][0].startswith("- Chỉ đạo") and paras[2][0].endswith("kế hoạch.")


def test_one_paragraph_per_line_keeps_headings_apart():
    t = "1. Đánh giá chung\nUBND tỉnh ghi nhận sự chủ động của Nhà đầu tư.\n2. Nhiệm vụ trọng tâm\n"
    assert [p[0] for p in join_lines(t)] == ["1. Đánh giá chung", "UBND tỉnh ghi nhận sự chủ động của Nhà đầu tư.",
                                            "2. Nhiệm vụ trọng tâm"]


def test_quoted_items_do_not_enter_the_tree():
    t = ("1. Căn cứ pháp lý\nTheo quy định: “Điều 17. Giải thể hội\n2. Hội phải kiểm kê tài sản.\n"
         "3. Cơ quan có thẩm quyền quyết định giải thể hội.”\n2. Kết quả rà soát\n")
    assert [s.path for s in parse_sections(_seg(t))] == ["1", "2"]
    assert [p.quoted for p in parse_paragraphs(_seg(t))] == [False, False, True, True, False]


def test_whole_document_skips_header_and_stops_at_noi_nhan(shared_dir):
    from pipeline import read_document
    from pipeline.normalize import normalize_document
    from pipeline.segment import segment_document

    raw = normalize_document(read_document(str(shared_dir / "seed" / "583-UBND-son-tay-2024.txt")))
    secs = parse_sections(segment_document(raw))
    assert [s.path for s in secs] == ["1", "2", "3", "3.a", "3.b", "3.c"]
    assert secs[4].title.startswith("Phòng Nội vụ")
    text = raw.text
    assert "Nơi nhận" not in text[secs[2].span.start:secs[2].span.end]


def test_layout_decision_from_corpus(shared_dir):
    from pipeline import read_document
    from pipeline.normalize import normalize_document
    from pipeline.segment import segment_document

    raw = normalize_document(read_document(str(shared_dir / "corpus" / "lamdong-1187-bnv-qd-ban-hanh-bo-chi-so-cchc.txt")))
    paths = [s.path for s in parse_sections(segment_document(raw))]
    assert "Điều 1.IV.1.a" in paths and "Điều 3" in paths


def test_whole_text_as_body_falls_back_to_own_header_cut(shared_dir):
    """Before segmentation cuts a body, seg.body is the whole letter: the header, Kính gửi and
    Nơi nhận must not become sections or tasks."""
    from pipeline import read_document
    from pipeline.normalize import normalize_document

    text = normalize_document(read_document(str(shared_dir / "seed" / "583-UBND-son-tay-2024.txt"))).text
    seg = Segments(text=text, body=text)
    paras = parse_paragraphs(seg)
    assert paras[0].text.startswith("Thực hiện Công văn số 1313/UBND-NC")
    assert paras[-1].text.endswith("nghiêm túc triển khai thực hiện./.")
    assert [s.path for s in parse_sections(seg)] == ["1", "2", "3", "3.a", "3.b", "3.c"]


def test_closing_paragraph_after_the_items_has_no_section():
    from pipeline.models import Segments
    from pipeline.structure import parse_paragraphs

    text = ("1. Giao Sở Tài chính bố trí kinh phí.\n"
            "2. Giao Công an tỉnh tổ chức thẩm định hồ sơ.\n"
            "Giao Sở Nội vụ theo dõi việc thực hiện các nội dung trên.\n"
            "3. Giao Sở Y tế hướng dẫn chuyên môn.\n"
            "Yêu cầu các sở, ngành tổ chức thực hiện tốt các nội dung trên.\n"
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, báo cáo UBND tỉnh.\n")
    seg = Segments(text=text, header="ỦY BAN NHÂN DÂN", body=text)
    paths = [p.path for p in parse_paragraphs(seg)]
    # a paragraph between items stays with its item; the closing ones after the last item belong to none
    assert paths == ["1", "2", "2", "3", None, None]
