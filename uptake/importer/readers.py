"""Read a file into plain text: .txt, .html/.htm, .docx and .pdf, recognised by content.

Tables come out one row per line with cells separated by " | ", which is how the
grammar reads pipe tables copied from web pages.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from .errors import DocumentError

EXPECTED = "a management response as .txt, .html, .docx or .pdf"
MAX_BYTES = 50 * 1024 * 1024
# A Word file is a zip: a few kilobytes can unzip to gigabytes (a "zip bomb"). Its parts
# are checked against this before anything is unzipped; real responses need a few MB.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
PDF_MAX_TOKENS_PER_PAGE = 250_000


def sniff(data: bytes, suffix: str = "") -> str:
    """The format of a file's bytes: 'pdf', 'docx', 'zip', 'ole', 'html', 'text' or 'binary'."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else "zip"
        # A damaged or unusual zip raises more than BadZipFile: NotImplementedError for a
        # version zipfile does not read, EOFError, struct errors… (found by the fuzz tests).
        except Exception:  # noqa: BLE001
            return "binary"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    try:
        text = _decode(data[:8192], strict_binary=True)
    except ValueError:
        return "binary"
    probe = text[:4096].lower()
    if re.search(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<table[\s>]|<p[\s>]|<div[\s>]", probe):
        return "html"
    if suffix in (".html", ".htm") and "<" in probe:
        return "html"
    return "text"


def _decode(data: bytes, *, strict_binary: bool = False) -> str:
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if b"\x00" in data:
        raise ValueError("binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a cut multi-byte sequence at the end of a sniffing window is still UTF-8
        if strict_binary and exc.start >= len(data) - 3:
            text = data[: exc.start].decode("utf-8")
        else:
            text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(4, len(text) // 50):
        raise ValueError("binary")
    return text


class _HTMLText(HTMLParser):
    """HTML to text: blocks on their own lines, a table row on one line with cells joined by " | "."""

    _BLOCK = {
        "p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "table", "thead", "tbody", "tfoot", "caption", "blockquote", "dl", "dt", "dd",
        "pre", "main", "nav", "aside", "figure", "figcaption", "details", "summary", "li", "tr",
    }  # fmt: skip
    _SKIP = {"script", "style", "noscript", "template", "svg", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def _out(self) -> list[str]:
        return self.cell if self.cell is not None else self.parts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "tr":
            self._end_row()
            self.row = []
        elif tag in ("td", "th"):
            self._end_cell()
            self.cell = []
        elif tag == "br":
            self._out().append("\n")
        elif tag == "li":
            self._out().append("\n- ")
        elif tag in self._BLOCK:
            self._out().append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()
        elif tag in self._BLOCK:
            self._out().append("\n")

    def _end_cell(self) -> None:
        if self.cell is not None:
            text = "\n".join(
                line.strip() for line in "".join(self.cell).split("\n") if line.strip()
            )
            if self.row is None:
                self.row = []
            self.row.append(text.replace("|", "/"))
            self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self.row is not None:
            if any(self.row):
                self.parts.append("\n" + " | ".join(self.row) + " |\n")
            self.row = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._out().append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        self._end_row()
        raw = "".join(self.parts)
        lines = [re.sub(r"[ \t]+", " ", line).strip() for line in raw.split("\n")]
        return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _check_unzipped_size(data: bytes, source: Path) -> None:
    """Refuse a zip whose parts add up to more than MAX_UNZIPPED_BYTES once unzipped.

    The sizes come from the zip's directory; zipfile never returns more than they say."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        total = sum(info.file_size for info in zf.infolist())
    if total > MAX_UNZIPPED_BYTES:
        raise DocumentError(
            source,
            f"the Word document unzips to {total // (1024 * 1024)} MB, more than the "
            f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB a management response can take "
            "(a damaged or hostile file?)",
            "a .docx saved by a word processor",
        )


def _docx_text(data: bytes, source: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_unzipped_size(data, source)
    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                style = (para.style.name if para.style is not None else "") or ""
                out.append(("- " + text) if "List" in style and "Number" not in style else text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                seen: set[int] = set()
                cells = []
                for cell in row.cells:
                    # merged cells repeat the same element across the span
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    paras = [p.text.strip().replace("|", "/") for p in cell.paragraphs]
                    cells.append("\n".join(p for p in paras if p))
                if any(cells):
                    out.append(" | ".join(cells) + " |")
    return "\n".join(out)


def _pdf_text(data: bytes, source: Path) -> str:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # noqa: BLE001 - missing crypto backends raise their own types
            raise DocumentError(source, "the PDF is encrypted", "an unprotected PDF") from exc
        if not opened:
            raise DocumentError(source, "the PDF is password-protected", "an unprotected PDF")
    # A page of a real response is a few thousand drawing instructions; a crafted one can be
    # millions from a few kilobytes, each costing pypdf time: stop well before that.
    try:
        with apply_configuration(stream_parsing_work_maximum_count=PDF_MAX_TOKENS_PER_PAGE):
            pages = [(page.extract_text() or "") for page in reader.pages]
    except LimitReachedError as exc:
        raise DocumentError(
            source,
            "the PDF holds more data than a management response ever needs "
            f"({exc}); it may be damaged or crafted",
            "a PDF exported from a word processor",
        ) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentError(
            source, "the PDF has no text layer (a scan?)", "a PDF with selectable text"
        )
    return text


def read_text(path: Path | str) -> str:
    """The text of a document file; DocumentError for anything unreadable or unrecognised."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror or exc})", EXPECTED) from exc
    return read_bytes(data, path)


def read_bytes(data: bytes, path: Path | str) -> str:
    """The text of a document's bytes (an upload); PATH names it in errors and gives its suffix."""
    path = Path(path)
    if len(data) > MAX_BYTES:
        raise DocumentError(path, "the file is larger than 50 MB", EXPECTED)
    if not data.strip():
        raise DocumentError(path, "the file is empty", EXPECTED)
    suffix = path.suffix.lower()
    kind = sniff(data, suffix)
    try:
        if kind == "pdf":
            text = _pdf_text(data, path)
        elif kind == "docx":
            text = _docx_text(data, path)
        elif kind in ("zip", "ole", "binary"):
            raise DocumentError(path, _describe(kind, suffix), EXPECTED)
        else:
            if suffix == ".docx":
                raise DocumentError(path, "is not a Word document", "a .docx (zip) file")
            if suffix == ".pdf":
                raise DocumentError(path, "is not a PDF", "a file starting with %PDF")
            decoded = _decode(data)
            text = html_to_text(decoded) if kind == "html" else decoded
    except DocumentError:
        raise
    except ValueError as exc:
        raise DocumentError(path, "holds binary data, not text", EXPECTED) from exc
    except Exception as exc:  # noqa: BLE001 - third-party readers raise many types on bad files
        raise DocumentError(
            path, f"could not be read as {kind} ({type(exc).__name__}: {exc})", EXPECTED
        ) from exc
    if not text.strip():
        raise DocumentError(path, "contains no text", EXPECTED)
    return text


def _describe(kind: str, suffix: str) -> str:
    if kind == "ole":
        return "is an old binary Office file; save it as .docx first"
    if kind == "zip":
        return "is a zip archive but not a Word document"
    if suffix == ".docx":
        return "is not a Word document"
    return "holds binary data, not text"
