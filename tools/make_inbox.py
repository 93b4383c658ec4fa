"""Generate a synthetic inbox of công văn (TXT, DOCX, PDF) for benchmarks.

The letters follow the layout of Decree 30/2020/NĐ-CP (two-column header, Kính gửi, numbered
body with duties and deadlines, signature beside Nơi nhận) and cite one another, so ingest,
the citation graph and search are all exercised. Deterministic for a given seed.

usage: python tools/make_inbox.py OUT_DIR N [--seed S] [--mix txt,docx,pdf weights]
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

PROVINCES = ["Lâm Đồng", "Quảng Ngãi", "Khánh Hòa", "Đắk Lắk", "Gia Lai", "Bình Định", "Phú Yên", "Ninh Thuận"]
DEPARTMENTS = [("SỞ NỘI VỤ", "Sở Nội vụ", "SNV"), ("SỞ TÀI CHÍNH", "Sở Tài chính", "STC"),
               ("SỞ TƯ PHÁP", "Sở Tư pháp", "STP"), ("SỞ XÂY DỰNG", "Sở Xây dựng", "SXD"),
               ("SỞ Y TẾ", "Sở Y tế", "SYT"), ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo", "SGDĐT")]
SUBJECTS = ["triển khai thực hiện nhiệm vụ cải cách hành chính năm {y}",
            "tăng cường kỷ luật, kỷ cương hành chính trong cơ quan nhà nước",
            "báo cáo kết quả thực hiện chuyển đổi số quý {q} năm {y}",
            "rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý",
            "đăng ký đất đai và cấp giấy chứng nhận quyền sử dụng đất",
            "phòng, chống thiên tai và tìm kiếm cứu nạn năm {y}",
            "tổ chức đại hội nhiệm kỳ của các hội cấp tỉnh",
            "góp ý dự thảo Quyết định ban hành Quy chế phối hợp"]
RECIPIENTS = ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường", "Công an tỉnh",
              "Bảo hiểm xã hội tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Tài chính", "Sở Nội vụ"]
ACTIONS = ["rà soát, tổng hợp các nhiệm vụ chưa hoàn thành", "xây dựng kế hoạch triển khai thực hiện",
           "báo cáo kết quả thực hiện", "tham mưu Ủy ban nhân dân tỉnh ban hành văn bản chỉ đạo",
           "kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính", "cập nhật dữ liệu vào hệ thống"]
DEADLINES = ["trước ngày {d}/{m}/{y}", "chậm nhất ngày {d}/{m}/{y}", "trong quý {q} năm {y}",
             "định kỳ hằng tháng trước ngày 20", "trong 05 ngày làm việc kể từ ngày nhận được văn bản", ""]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Võ Thị Hạnh", "Đặng Quốc Huy"]
FILLER = ("Trong thời gian qua, các cơ quan, đơn vị đã tích cực triển khai các nhiệm vụ được giao, "
          "đạt được nhiều kết quả quan trọng; tuy nhiên vẫn còn một số tồn tại, hạn chế cần khắc phục "
          "trong thời gian tới, nhất là việc cập nhật, báo cáo số liệu chưa kịp thời, đầy đủ. ")
ROMAN = ["I", "II", "III", "IV"]


@dataclass
class Letter:
    stem: str
    header_left: list[str]
    header_right: list[str]
    recipients: list[str]
    body: list[str]
    cc: list[str]
    signature: list[str]


def make_letter(i: int, rng: random.Random, earlier: list[tuple[str, str]]) -> Letter:
    province = rng.choice(PROVINCES)
    upper, dept, abbr = rng.choice(DEPARTMENTS)
    y = rng.choice([2024, 2025, 2026])
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    q = ROMAN[(m - 1) // 3]
    number = 100 + i
    code = f"{number}/{abbr}-VP"
    subject = rng.choice(SUBJECTS).format(y=y, q=q)
    recips = rng.sample(RECIPIENTS, rng.randint(1, 3))
    body = []
    if earlier and rng.random() < 0.8:
        cited, cdate = rng.choice(earlier)
        body.append(f"Thực hiện Công văn số {cited} ngày {cdate} của {dept} tỉnh {province} về việc {subject}; "
                    f"căn cứ Quyết định số {rng.randint(1, 3000)}/QĐ-UBND ngày {rng.randint(1, 28)}/"
                    f"{rng.randint(1, 12)}/{y - 1} của Ủy ban nhân dân tỉnh, {dept} đề nghị như sau:")
    else:
        body.append(f"Để triển khai có hiệu quả nhiệm vụ {subject}, {dept} đề nghị như sau:")
    for k in range(1, rng.randint(2, 5)):
        who = rng.choice(RECIPIENTS)
        dl = rng.choice(DEADLINES).format(d=rng.randint(1, 28), m=rng.randint(1, 12), y=y, q=q)
        body.append(f"{k}. {who} chủ trì, phối hợp với {rng.choice(RECIPIENTS)} {rng.choice(ACTIONS)}"
                    + (f", hoàn thành {dl}" if dl else "") + "; báo cáo kết quả về " + dept + ".")
        body.extend(FILLER * rng.randint(1, 3) for _ in range(rng.randint(0, 3)))
    body.append("Đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện./.")
    return Letter(
        stem=f"cv-{i:05d}-{abbr.lower()}",
        header_left=[f"UBND TỈNH {province.upper()}", upper, f"Số: {code}",
                     f"V/v {subject}"],
        header_right=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      f"{province}, ngày {d:02d} tháng {m:02d} năm {y}"],
        recipients=recips, body=body,
        cc=["Như trên", f"Giám đốc {dept}", "Lưu: VT, VP"],
        signature=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", rng.choice(NAMES)],
    )


def letter_text(L: Letter) -> str:
    lines = L.header_left + [""] + L.header_right + ["", "Kính gửi:"]
    lines += [f"- {r};" for r in L.recipients] + [""] + L.body + ["", "Nơi nhận:"]
    lines += [f"- {c};" for c in L.cc] + [""] + L.signature
    return "\n".join(lines) + "\n"


def write_docx(L: Letter, path: Path) -> None:
    import docx
    from docx.shared import Pt
    doc = docx.Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    t = doc.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "\n".join(L.header_left)
    t.cell(0, 1).text = "\n".join(L.header_right)
    doc.add_paragraph("Kính gửi: " + "; ".join(L.recipients) + ".")
    for p in L.body:
        doc.add_paragraph(p)
    s = doc.add_table(rows=1, cols=2)
    s.cell(0, 0).text = "Nơi nhận:\n" + "\n".join(f"- {c};" for c in L.cc)
    s.cell(0, 1).text = "\n".join(L.signature)
    doc.save(str(path))


_FONT_DIRS = ["/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
              "/usr/share/fonts/truetype/dejavu"]


def _font() -> tuple[str, str]:
    for d in _FONT_DIRS:
        for reg, bold in (("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
                          ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")):
            if (Path(d) / reg).exists() and (Path(d) / bold).exists():
                return str(Path(d) / reg), str(Path(d) / bold)
    raise SystemExit("cần phông chữ có tiếng Việt: apt-get install fonts-liberation2")


def write_pdf(L: Letter, path: Path) -> None:
    from fpdf import FPDF
    reg, bold = _font()
    pdf = FPDF(format="A4")
    pdf.add_font("serif", "", reg)
    pdf.add_font("serif", "B", bold)
    pdf.set_margins(20, 15, 15)
    pdf.add_page()
    pdf.set_font("serif", "B", 12)
    y0 = pdf.get_y()
    pdf.multi_cell(70, 6, "\n".join(L.header_left[:3]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", 11)
    pdf.multi_cell(70, 5, L.header_left[3], align="C", new_x="LMARGIN", new_y="NEXT")
    y_left = pdf.get_y()
    pdf.set_xy(95, y0)
    pdf.set_font("serif", "B", 12)
    pdf.multi_cell(100, 6, "\n".join(L.header_right[:2]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(95)
    pdf.set_font("serif", "", 12)
    pdf.multi_cell(100, 6, L.header_right[2], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), y_left) + 6)
    pdf.set_font("serif", "", 13)
    pdf.multi_cell(0, 7, "Kính gửi: " + "; ".join(L.recipients) + ".", align="C", new_x="LMARGIN", new_y="NEXT")
    for p in L.body:
        pdf.multi_cell(0, 7, p, align="J", new_x="LMARGIN", new_y="NEXT")
    y1 = pdf.get_y() + 4
    if y1 > 240:
        pdf.add_page()
        y1 = pdf.get_y()
    pdf.set_xy(20, y1)
    pdf.set_font("serif", "", 10)
    pdf.multi_cell(80, 5, "Nơi nhận:\n" + "\n".join(f"- {c};" for c in L.cc), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(110, y1)  # signature beside Nơi nhận
    pdf.set_font("serif", "B", 12)
    pdf.multi_cell(80, 6, "\n".join(L.signature), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def generate(out: Path, n: int, seed: int = 0, mix: tuple[float, float, float] = (0.5, 0.3, 0.2)) -> list[Path]:
    """Write n letters into out (reused where already there); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    earlier: list[tuple[str, str]] = []
    paths = []
    for i in range(n):
        L = make_letter(i, rng, earlier[-200:])
        kind = rng.choices(["txt", "docx", "pdf"], weights=mix)[0]
        p = out / f"{L.stem}.{kind}"
        if not p.exists():
            if kind == "txt":
                p.write_text(letter_text(L), encoding="utf-8")
            elif kind == "docx":
                write_docx(L, p)
            else:
                write_pdf(L, p)
        code = L.header_left[2].split(": ", 1)[1]
        earlier.append((code, L.header_right[2].split("ngày ")[1].replace(" tháng ", "/").replace(" năm ", "/")))
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print(len(generate(a.out, a.n, a.seed)), "letters in", a.out)


if __name__ == "__main__":
    main()
