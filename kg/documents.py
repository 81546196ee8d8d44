"""Read articles from .txt/.md, .jsonl, .html files, directories or stdin into Documents."""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import InputError, KGError
from kg.types import Document

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

ErrorHandler = Callable[[KGError], None]


def parse_date(value: object, path: str = "<input>", line: int | None = None) -> date | None:
    """An ISO date (``2024-11-11``, or the date part of an ISO timestamp) or None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InputError(path, f"'published' must be an ISO date string, got {value!r}", line)
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError(path, f"'published' is not an ISO date (YYYY-MM-DD): {value!r}", line) from None


def read_documents(
    paths: Iterable[str | Path],
    *,
    published: date | str | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[Document]:
    """Yield one Document per article found in ``paths``.

    Args:
        paths: files (.txt/.md: one document; .jsonl: one per line; .html: visible text),
            directories (recursed, sorted) or ``"-"`` for stdin.
        published: the date of documents that carry none.
        on_error: called with each InputError (the batch goes on); when None the error is raised.

    Example:
        >>> docs = list(read_documents(["data/samples/trump-putin-call.txt"], published="2024-11-11"))
        >>> docs[0].id
        'trump-putin-call'
    """
    default_date = parse_date(published, "--published")
    for path in paths:
        for item in _expand(Path(path) if path != "-" else None):
            try:
                yield from _read_one(item, default_date, on_error)
            except InputError as err:
                if on_error is None:
                    raise
                on_error(err)


def _expand(path: Path | None) -> Iterator[Path | None]:
    if path is None:
        yield None
    elif path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in KNOWN_SUFFIXES and not child.name.startswith("."):
                yield child
    else:
        yield path


def _read_one(path: Path | None, default_date: date | None, on_error: ErrorHandler | None) -> Iterator[Document]:
    name = "-" if path is None else str(path)
    raw = sys.stdin.buffer.read() if path is None else _read_bytes(path)
    text = decode(raw, name)
    if not text.strip():
        raise InputError(name, "empty document")
    suffix = "" if path is None else path.suffix.lower()
    if suffix in JSONL_SUFFIXES or (path is None and text.lstrip().startswith("{")):
        yield from _read_jsonl(text, name, default_date, on_error)
    elif suffix in HTML_SUFFIXES:
        title, body = html_to_text(text)
        if not body.strip():
            raise InputError(name, "no visible text in the HTML page")
        yield Document(id=_doc_id(path), text=body, published=default_date, title=title or None)
    else:
        yield Document(id=_doc_id(path), text=normalise_text(text), published=default_date)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory") from None
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None


def decode(raw: bytes, name: str) -> str:
    """Bytes -> text: UTF-8 (BOM optional), UTF-16/32 with a BOM, else Windows-1252/Latin-1.

    Binary data (NUL bytes or many control characters) is refused with an InputError.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as err:
                raise InputError(name, f"cannot decode as {codec}: {err.reason} at byte {err.start}") from None
    if b"\x00" in raw:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(name, "not UTF-8, UTF-16 or Latin-1 text") from None
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:4096]) // 50):
        raise InputError(name, "binary file (control characters), not text")
    return text


def normalise_text(text: str) -> str:
    """Unify line breaks and drop control characters; keeps every other character as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def _doc_id(path: Path | None) -> str:
    return "stdin" if path is None else path.stem


def _read_jsonl(text: str, name: str, default_date: date | None, on_error: ErrorHandler | None) -> Iterator[Document]:
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = _jsonl_record(line, name, lineno, default_date)
            if doc.id in seen:
                raise InputError(name, f"duplicate document id {doc.id!r}", lineno)
            seen.add(doc.id)
            yield doc
        except InputError as err:
            if on_error is None:
                raise
            on_error(err)


def _jsonl_record(line: str, name: str, lineno: int, default_date: date | None) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(name, f"malformed JSON ({err.msg} at column {err.colno})", lineno) from None
    if not isinstance(record, dict):
        raise InputError(name, "a JSON Lines record must be an object", lineno)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(name, "missing or empty 'text' field", lineno)
    doc_id = record.get("id")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        raise InputError(name, "missing 'id' field", lineno)
    if not isinstance(doc_id, (str, int)):
        raise InputError(name, f"'id' must be a string, got {type(doc_id).__name__}", lineno)
    extra = {k: v for k, v in record.items() if k not in {"id", "text", "title", "published", "source", "url"}}
    return Document(
        id=str(doc_id),
        text=normalise_text(text),
        published=parse_date(record.get("published"), name, lineno) or default_date,
        source=_opt_str(record.get("source")),
        url=_opt_str(record.get("url")),
        title=_opt_str(record.get("title")),
        meta=extra,
    )


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


class _VisibleText(HTMLParser):
    """Collects visible text; block elements end a line so headings stay sentences."""

    BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section",
             "article", "header", "footer", "blockquote", "pre", "table", "ul", "ol", "title", "hr"}
    HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self.HIDDEN:
            self._hidden += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """(title, visible text) of an HTML page; one line per block element."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    body = "\n".join(line for line in lines if line)
    return " ".join("".join(parser.title).split()), normalise_text(body)
