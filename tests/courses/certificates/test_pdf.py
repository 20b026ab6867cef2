"""Certificate PDFs read back: the text a person or a checker finds in them, page size, the QR code,
the confined URL fetcher, hostile values, the merged batch, the .zip and the roster."""
from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from academy import fonts
from academy.permissions import Role
from academy.registry.operations import remove_worker_photo, set_worker_photo
from courses.certificates import pdf, seal
from courses.certificates.document import CertificateDocument
from courses.certificates.documents import build_document
from tests.fixtures.registry import photo_bytes

A4_LANDSCAPE = (841.89, 595.28)  # points


def certificate(n: int = 1, **values) -> CertificateDocument:
    number = f"SG-2026-320102-{n:06d}"
    base = dict(number=number, holder_name="张三丰", holder_number=f"W{n:08d}", type_code="ONDUTY", type_name="上岗资格证",
                issued_on=date(2026, 12, 2), valid_until=date(2029, 12, 1), branch_name="鼓楼区分院",
                academy_name="南京市网格学院", verify_url=f"https://academy.example.cn/verify/{number}", template="onduty",
                evidence=("课程 上岗培训 已完成", "结业考试 82.5 分"))
    return CertificateDocument(**(base | values))


def text_of(data: bytes) -> str:
    """What a PDF text extractor (poppler's pdftotext) reads from the document."""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def qpdf_check(data: bytes) -> subprocess.CompletedProcess:
    """qpdf's structural check of the document (qpdf reads files only, not standard input)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["qpdf", "--check", handle.name], capture_output=True)


@pytest.fixture
def rendering(app):
    """An application context and no request, as in the background job that prints batches."""
    with app.app_context():
        yield


def test_a_chinese_certificate_reads_back_with_its_facts(rendering):
    data = pdf.render_certificate(certificate())
    text = text_of(data)
    for fact in ("南京市网格学院", "上岗资格证", "张三丰", "SG-2026-320102-000001", "W00000001", "鼓楼区分院",
                 "2026年12月2日", "2029年12月1日", "结业考试 82.5 分", "https://academy.example.cn/verify/SG-2026-320102-000001"):
        assert "".join(fact.split()) in "".join(text.split()), fact
    assert "https://academy.example.cn/verify/SG-2026-320102-000001" in text  # on one line: the link can be read off
    assert qpdf_check(data).returncode == 0
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
    (qr,) = reader.pages[0].images  # the one raster image is the QR code (the seal is drawn as vector)
    assert qr.image.width == qr.image.height >= 200


def test_an_english_certificate_is_in_english(rendering):
    doc = certificate(holder_name="Li Wei", type_name="On-duty qualification", academy_name="Nanjing Grid Academy",
                      branch_name="Gulou branch", language="en", evidence=())
    text = text_of(pdf.render_certificate(doc))
    assert "This is to certify that" in text and "Li Wei" in text
    assert "December 2, 2026" in text or "2 December 2026" in text
    assert "年" not in text


def test_a_certificate_without_expiry_says_so(rendering):
    text = text_of(pdf.render_certificate(certificate(valid_until=None, language="en", holder_name="Li Wei")))
    assert "Valid without expiry" in text


def test_rare_name_characters_print_from_the_fallback_face(rendering):
    data = pdf.render_certificate(certificate(holder_name="王堃玥䶮"))
    assert "王堃玥䶮" in text_of(data)
    assert qpdf_check(data).returncode == 0


def test_hostile_values_are_printed_as_text_and_fetch_nothing(rendering):
    name = '<script>alert(1)</script><img src="file:///etc/passwd">'
    data = pdf.render_certificate(certificate(holder_name=name, evidence=('<img src="http://evil.example/x.png">',)))
    text = text_of(data)
    assert "<script>alert(1)</script>" in "".join(text.split())
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1  # still only the QR code


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://example.com/seal.png", "https://example.com/a.css", "ftp://example.com/x",
    "file://other-host/etc/passwd", "STATIC/../academy/config.py", "STATIC/certificates/../../academy/config.py",
])
def test_the_fetcher_refuses_anything_outside_the_static_files(app, url):
    fetcher = pdf.StaticOnlyFetcher(app.static_folder)
    url = url.replace("STATIC", f"file://{app.static_folder}")
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_the_fetcher_serves_static_files_data_urls_and_the_certificate_fonts(app):
    fetcher = pdf.StaticOnlyFetcher(app.static_folder)
    assert b"<svg" in fetcher.fetch(f"file://{app.static_folder}/certificates/seal.svg").read()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    assert fetcher.fetch(fonts.SYSTEM_FACE.as_uri()).read()[:4] == b"ttcf"


def test_the_certificate_face_is_made_and_covers_gb2312():
    """``make setup`` makes the fast face; without it every certificate pays for the full CJK face."""
    from fontTools.ttLib import TTFont

    path = fonts.face_path()
    assert path is not None, "run: python -m academy.fonts"
    face = TTFont(str(path))
    assert face["name"].getDebugName(1) == fonts.FAMILY and "glyf" in face
    covered = set(face.getBestCmap())
    assert fonts.gb2312_characters() - covered <= {0xA0, 0xAD}  # at most the invisible Latin-1 spaces
    assert len(covered) < 8000  # a subset: glyph ids stay low, which is what makes subsetting fast


def test_a_merged_batch_has_one_page_per_certificate_in_order(rendering, tmp_path, app):
    docs = [certificate(n, holder_name=f"李{'一二三四五六七'[n % 7]}") for n in range(1, pdf.CHUNK + 4)]
    seen = []
    target = tmp_path / "batch.pdf"
    pages = pdf.write_merged(docs, target, progress=lambda done, total: seen.append((done, total)))
    assert pages == len(docs) and seen[-1] == (len(docs), len(docs))
    reader = PdfReader(target)
    assert len(reader.pages) == len(docs)
    for index in (0, pdf.CHUNK - 1, pdf.CHUNK, len(docs) - 1):
        assert docs[index].number in text_of(_page(reader, index))
    assert qpdf_check(target.read_bytes()).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.pdf"]  # no partial file left behind


def test_a_batch_renders_in_several_processes(rendering, tmp_path, app):
    app.config["CERTIFICATE_RENDER_PROCESSES"] = 2
    try:
        docs = [certificate(n) for n in range(1, 2 * pdf.CHUNK + 2)]
        assert pdf.write_merged(docs, tmp_path / "batch.pdf") == len(docs)
        assert docs[-1].number in text_of(_page(PdfReader(tmp_path / "batch.pdf"), len(docs) - 1))
        assert pdf.write_zip(docs[:3], tmp_path / "singles.zip") == 3
    finally:
        app.config.pop("CERTIFICATE_RENDER_PROCESSES")


def _page(reader: PdfReader, index: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_page(reader.pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_zip_holds_one_pdf_per_certificate_under_safe_names(rendering, tmp_path):
    docs = [certificate(1), certificate(2, number="../../etc/passwd"), certificate(3, number="A/B\\C\x00D")]
    assert pdf.write_zip(docs, tmp_path / "singles.zip") == 3
    with zipfile.ZipFile(tmp_path / "singles.zip") as archive:
        names = archive.namelist()
        assert names == ["SG-2026-320102-000001.pdf", "etc_passwd.pdf", "A_B_C_D.pdf"]
        assert "SG-2026-320102-000001" in text_of(archive.read(names[0]))
    assert all("/" not in name and ".." not in name for name in names)


def test_the_roster_lists_every_number_in_pdf_and_xlsx(rendering, tmp_path):
    rows = [{"number": f"SG-2026-320102-{n:06d}", "holder_name": name, "holder_number": f"W{n:08d}",
             "type_name": "上岗资格证", "issued_on": date(2026, 12, 2), "valid_until": None, "branch_name": "鼓楼区分院"}
            for n, name in ((1, "张三"), (2, "=HYPERLINK(\"http://evil\")"))]
    pdf.roster_pdf(rows, tmp_path / "roster.pdf")
    text = text_of((tmp_path / "roster.pdf").read_bytes())
    assert "SG-2026-320102-000001" in text and "SG-2026-320102-000002" in text and "张三" in text
    pdf.roster_xlsx(rows, tmp_path / "roster.xlsx")
    sheet = load_workbook(tmp_path / "roster.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "SG-2026-320102-000001" and values[1][1] == "张三"
    hostile = sheet.cell(row=3, column=2)  # a formula-like name stays text, read back as typed
    assert hostile.value == "=HYPERLINK(\"http://evil\")" and hostile.data_type == "s" and hostile.quotePrefix


def test_an_unknown_template_name_falls_back_to_the_default(rendering):
    text = text_of(pdf.render_certificate(replace(certificate(), template="../../etc/passwd")))
    assert "SG-2026-320102-000001" in text


def pdf_tool(tool: str, data: bytes, *args: str) -> str:
    """What one of poppler's tools (pdfimages, pdffonts) says of the document (they read files only)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run([tool, *args, handle.name], capture_output=True, check=True, text=True).stdout


def image_sizes(data: bytes) -> list[tuple[int, int]]:
    """(width, height) of each image on page 1, as ``pdfimages -list`` reports them."""
    rows = pdf_tool("pdfimages", data, "-list").splitlines()[2:]
    return [(int(row.split()[3]), int(row.split()[4])) for row in rows if row.split()[2] == "image"]


def test_the_holder_photo_on_his_record_is_printed_and_no_course_code(rendering, certificate, make_user):
    """Built from a real certificate: the photo on the holder's record is on the page, the course is
    named by its title (never its internal code), and every font is an embedded subset."""
    hr = make_user("hr-photo", Role.HR)
    set_worker_photo(certificate.worker, hr, photo_bytes((900, 1200)))
    data = pdf.render_certificate(build_document(certificate, "https://academy.example.cn/", language="zh_CN"))
    text = "".join(text_of(data).split())
    assert certificate.worker.name in text and certificate.course.title.replace(" ", "") in text
    assert certificate.course.code not in text
    assert (450, 600) in image_sizes(data) and len(image_sizes(data)) == 2  # the photo (re-encoded) and the QR code
    fonts_listed = pdf_tool("pdffonts", data).splitlines()[2:]
    assert fonts_listed and all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts_listed), fonts_listed
    assert all("+" in line.split()[0] for line in fonts_listed)  # subset names: ABCDEF+Face

    remove_worker_photo(certificate.worker, hr)
    empty = pdf.render_certificate(build_document(certificate, "https://academy.example.cn/", language="zh_CN"))
    assert len(image_sizes(empty)) == 1 and "照片" in text_of(empty)  # the QR code alone; the frame says 照片


def test_the_seal_names_the_issuing_branch_and_its_use(rendering):
    """The seal's arc carries the branch under its academy, the line under the star 培训专用章; the
    seal is vector (no image) and its characters are text a reader finds."""
    data = pdf.render_certificate(certificate())
    text = "".join(text_of(data).split())
    assert "培训专用章" in text
    assert all(char in text for char in "南京市网格学院鼓楼区分院")
    assert len(image_sizes(data)) == 1  # the QR code; the seal is drawn, not pasted


def test_the_seal_spreads_any_name_over_its_arc_without_reaching_the_ring():
    for name in ("鼓楼区分院", "南京市网格学院鼓楼区分院", "Nanjing Grid Academy · Gulou branch", "某" * 40):
        font, glyphs = seal.arc_glyphs(name)
        angles = [angle for _char, angle in glyphs]
        assert angles == sorted(angles) and -seal.ARC_DEGREES / 2 <= angles[0] and angles[-1] <= seal.ARC_DEGREES / 2
        assert seal.MIN_FONT <= font <= seal.MAX_FONT
        assert seal.TEXT_RADIUS + font / 2 < seal.RING - seal.RING_WIDTH  # the characters stay inside the ring
        assert seal.TEXT_RADIUS - font / 2 > seal.STAR_RADIUS  # ... and clear of the star
    assert "<script" not in seal.seal_svg("<script>alert(1)</script>", "培训专用章")


def test_every_page_of_a_batch_carries_its_own_branch_seal(rendering, tmp_path):
    """A batch draws each seal once and lays it over its pages: every page, and every single PDF of
    the .zip split from the merged file, still shows the seal of its own issuing branch."""
    docs = [certificate(n, branch_name="玄武区分院" if n % 3 == 0 else "鼓楼区分院") for n in range(1, 8)]
    merged = tmp_path / "batch.pdf"
    pdf.write_merged(docs, merged)
    assert pdf.write_zip(docs, tmp_path / "singles.zip", merged=merged) == len(docs)
    reader = PdfReader(merged)
    with zipfile.ZipFile(tmp_path / "singles.zip") as archive:
        for index, doc in enumerate(docs):
            for data in (_page(reader, index), archive.read(f"{doc.number}.pdf")):
                text = "".join(text_of(data).split())
                assert doc.number in text and "培训专用章" in text
                other = "鼓楼" if doc.branch_name == "玄武区分院" else "玄武"
                assert all(char in text for char in doc.branch_name) and other not in text, (doc.number, text)
                assert len(image_sizes(data)) == 1  # the QR code (no photo here); the seal stays vector


def test_the_fetcher_serves_only_the_attachments_it_was_given(app):
    fetcher = pdf.StaticOnlyFetcher(app.static_folder, {"photo-1": "data:image/jpeg;base64,aGVsbG8="})
    assert fetcher.fetch("cid:photo-1").read() == b"hello"
    with pytest.raises(ValueError):
        fetcher.fetch("cid:photo-2")
