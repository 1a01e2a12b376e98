import io
import random
import zipfile
from pathlib import Path

import pytest

from uptake.importer.errors import DocumentError
from uptake.importer.parsing import parse_document, parse_text
from uptake.importer.readers import read_text, sniff

from . import documents as docs


def _units(path: Path) -> list[list[str | None]]:
    return [[x.unit for x in r.responses] for r in parse_document(path).recommendations]


def test_it_reads_a_text_file_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "mrap.txt"
    path.write_bytes(docs.FRENCH.replace("–", "-").encode("cp1252"))
    doc = parse_document(path)
    assert doc.recommendations[0].responses[0].target_dates == ["31 mars 2025"]


def test_it_reads_an_html_table(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(docs.html_table(), encoding="utf-8")
    doc = parse_document(path)
    assert doc.title == "Audit of Planning & Reporting – Management Action Plan"
    assert _units(path) == [["Chief Audit Executive (CAE)"], ["Chief Audit Executive (CAE)"]][
        :1
    ] + [["CAE"]]
    assert doc.recommendations[1].responses[0].agreement == "partially_agree"


def test_it_recognises_html_by_content_whatever_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "download.txt"
    path.write_text(docs.html_table(), encoding="utf-8")
    assert sniff(path.read_bytes(), ".txt") == "html"
    assert "<td>" not in read_text(path)


def test_it_reads_a_docx_with_a_table(tmp_path: Path) -> None:
    header = ["Recommendation", "Management response", "Actions", "Responsibility", "Target date"]
    row = ["1. The Office should publish its plan.", "Agreed.", "1.1 Post the plan online.",
           "Director, Planning Office (DPO)", "April 2024"]  # fmt: skip
    path = tmp_path / "mrap.docx"
    path.write_bytes(
        docs.make_docx(["Evaluation of Planning - Management response"], [header, row])
    )
    doc = parse_document(path)
    assert doc.title == "Evaluation of Planning - Management response"
    rec = doc.recommendations[0]
    assert rec.text == "The Office should publish its plan."
    assert rec.responses[0].unit == "Director, Planning Office (DPO)"
    assert rec.responses[0].target_dates == ["April 2024"]
    assert rec.action_count == 1


def test_it_reads_a_narrative_docx(tmp_path: Path) -> None:
    path = tmp_path / "narrative.bin"  # the extension says nothing; the zip content does
    path.write_bytes(docs.make_docx([p for p in docs.NARRATIVE.split("\n") if p.strip()]))
    assert len(parse_document(path).recommendations) == 2


def test_it_reads_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "mrap.pdf"
    path.write_bytes(docs.make_pdf(docs.NARRATIVE.splitlines(), per_page=30))
    doc = parse_document(path)
    assert [r.number for r in doc.recommendations] == ["1", "2"]
    assert doc.recommendations[1].responses[1].target_dates == ["Fall 2025"]


def test_it_refuses_an_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(docs.make_pdf(["Recommendation 1: x"]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(DocumentError, match="locked.pdf.*(encrypted|password)"):
        parse_document(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n\t ", "empty"),
        ("noise.bin", random.Random(4).randbytes(4000), "binary"),
        ("fake.docx", b"This is plain text, not a zip archive.", "not a Word document"),
        ("fake.pdf", b"Plain text named like a PDF.", "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "PDF|pdf"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old binary Office"),
        ("notes.txt", b"A shopping list: bread, milk, eggs.", "no recommendation"),
    ],
)
def test_it_refuses_bad_inputs(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message) as info:
        parse_document(path)
    assert name in str(info.value)


def test_it_refuses_a_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    path = tmp_path / "archive.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(DocumentError, match="zip archive"):
        parse_document(path)


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="missing.txt"):
        parse_document(tmp_path / "missing.txt")


def test_it_raises_only_document_error_on_arbitrary_text() -> None:
    rng = random.Random(11)
    pieces = ["Recommendation 1:", "| ", "\t", "1.1", "Agree", "June 2021", "DSO", "\n", "- ",
              "Responsibility centre", "Target completion date", "(", ")", "1 ", "2) ", "Q3 2021-22",
              "n'est pas d'accord", "Actions", "Key Actions:", "é", "\u00a0", "Ã©", "2. "]  # fmt: skip
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 80)))
        try:
            parse_text(text)
        except DocumentError:
            pass


def test_a_zip_made_by_a_version_zipfile_cannot_read_is_named_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzz tests: zipfile raises NotImplementedError, not BadZipFile, for a zip
    whose directory asks for a newer "version needed to extract"."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    data = bytearray(out.getvalue())
    directory = data.index(b"PK\x01\x02")
    data[directory + 6 : directory + 8] = (64).to_bytes(2, "little")  # version 6.4
    path = tmp_path / "response.docx"
    path.write_bytes(bytes(data))

    with pytest.raises(DocumentError) as info:
        read_text(path)

    assert "response.docx" in str(info.value)
