"""Read articles from .txt/.md, .jsonl, .html files, directories or stdin into Documents.

Size limits, so that one input can never exhaust a worker's memory:

* JSON Lines (files and stdin) are streamed: one line is in memory at a time, whatever the
  size of the file. A line longer than ``MAX_FILE_BYTES`` is reported and skipped.
* A .txt/.md/.html file is one document and is read whole, so a file above
  ``MAX_FILE_BYTES`` is refused (not split: a 50 MB "article" is almost always a dump that
  belongs in JSON Lines, one article per line, and splitting it would invent documents).
* A document whose text is longer than ``MAX_DOCUMENT_CHARS`` is refused with a message
  naming the file and line; the other documents go on. Long documents below it are parsed in
  pieces (see :mod:`kg.nlp`). A ``--sentences`` line longer than ``MAX_SENTENCE_CHARS`` is
  reported and skipped.

Text is made safe at the door: code points no encoder accepts (lone surrogates, which JSON
escapes such as ``"\\ud800"`` and undecodable file names carry) are replaced with U+FFFD and
counted in ``Document.meta["replaced_characters"]``. Document ids are unique in one read: a
record (JSON Lines, a Document object) whose id was already read is an error; a file named like
an earlier one gets the next free ``NAME-2``, ``NAME-3`` id, with a note in ``meta["notes"]``.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from kg.errors import InputError, KGError
from kg.types import Document

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

#: largest .txt/.html file read as one document, and largest JSON Lines line
MAX_FILE_BYTES = 50 * 1024 * 1024
#: longest document text (kg.nlp parses long texts in pieces of at most kg.nlp.PIECE_CHARS)
MAX_DOCUMENT_CHARS = MAX_FILE_BYTES
#: longest line of ``--sentences`` input: one sentence, not a document
MAX_SENTENCE_CHARS = 100_000
#: Document.meta keys kg sets while reading (a JSON Lines field of the same name is replaced)
REPLACED = "replaced_characters"
NOTES = "notes"
_CHUNK = 1 << 20
_SNIFF = 4096

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
    inputs: Iterable[str | Path | Document],
    *,
    published: date | str | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[Document]:
    """Yield one Document per article found in ``inputs``, made safe and with unique ids.

    Args:
        inputs: paths of files (.txt/.md: one document; .jsonl: one per line; .html: visible
            text), directories (recursed, sorted) or ``"-"`` for stdin; a string is always a
            path, never text (see :func:`text_documents`). Document objects pass through.
        published: the date of documents that carry none.
        on_error: called with each InputError (the batch goes on); when None the error is raised.

    Example:
        >>> docs = list(read_documents(["data/samples/trump-putin-call.txt"], published="2024-11-11"))
        >>> docs[0].id
        'trump-putin-call'
    """
    default_date = parse_date(published, "--published")
    ids = _Ids()
    for n, item in enumerate(inputs, 1):
        if isinstance(item, Document):
            found: Iterable[_Read] = [_Read(item, "<documents>", n, False)]
        else:
            found = _read_path(item, default_date, on_error)
        for read in found:
            try:
                document = ids.admit(read)
            except InputError as err:
                _report(err, on_error)
                continue
            yield document


def _read_path(path: str | Path, default_date: date | None, on_error: ErrorHandler | None) -> Iterator[_Read]:
    for item in _expand(Path(path) if path != "-" else None, on_error):
        try:
            yield from _read_one(item, default_date, on_error)
        except InputError as err:
            _report(err, on_error)


def _report(err: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


def text_documents(texts: Iterable[str], *, published: date | str | None = None) -> Iterator[Document]:
    """One Document per text given in code or with ``--text``: ids ``text-1``, ``text-2``...

    Example:
        >>> [d.id for d in text_documents(["Russia invaded Ukraine."])]
        ['text-1']
    """
    day = parse_date(published, "--published")
    for n, text in enumerate(texts, 1):
        if not isinstance(text, str):
            raise KGError(f"texts must be strings, got {type(text).__name__} {str(text)[:60]!r} "
                          "(give files as paths)")
        yield Document(id=f"text-{n}", text=text, published=day)


class _Read(NamedTuple):
    """A document as read, with where it came from; ``named`` when its id is a file's name."""

    document: Document
    path: str
    line: int | None
    named: bool


class _Ids:
    """The document ids of one read and where each came from."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def admit(self, read: _Read) -> Document:
        """The document made safe, renamed if a file's name is taken; an id given twice is an error."""
        here = read.path if read.line is None else f"{read.path}:{read.line}"
        document = safe_document(read.document, here)
        first = self.seen.get(document.id)
        if first is None:
            # a record keeps its file's name, one shared string: memory stays flat on long feeds
            self.seen[document.id] = here if read.named else read.path
            return document
        if not read.named:
            raise InputError(read.path, f"duplicate document id {document.id!r} (first read from {first})",
                             read.line)
        n = 2
        while f"{document.id}-{n}" in self.seen:
            n += 1
        renamed = f"{document.id}-{n}"
        self.seen[renamed] = here
        note = f"{here}: document id {document.id!r} is taken by {first}; this document is {renamed!r}"
        return replace(document, id=renamed, meta=_noted(document.meta, note))


# every code point str.encode("utf-8") refuses: the surrogates, which only come alone
_UNENCODABLE = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> tuple[str, int]:
    """``text`` with every unencodable code point (lone surrogates) replaced by U+FFFD, and how many."""
    return _UNENCODABLE.subn("\ufffd", text)


def safe_document(document: Document, where: str = "<document>") -> Document:
    """``document`` with its strings made safe; the count of replaced code points and a note in meta.

    Example:
        >>> safe_document(Document("d", "Kyiv \\ud800")).meta[REPLACED]  # doctest: +SKIP
        1
    """
    changed: dict[str, str] = {}
    count = 0
    for name in ("id", "text", "title", "source", "url"):
        value = getattr(document, name)
        if isinstance(value, str):
            fixed, n = safe_text(value)
            if n:
                changed[name] = fixed
                count += n
    if not count:
        return document
    s = "" if count == 1 else "s"
    note = f"{where}: replaced {count} unencodable character{s} (lone surrogates) with U+FFFD"
    meta = {**_noted(document.meta, note), REPLACED: document.meta.get(REPLACED, 0) + count}
    return replace(document, **changed, meta=meta)


def _noted(meta: dict, note: str) -> dict:
    return {**meta, NOTES: (*meta.get(NOTES, ()), note)}


def read_sentences(
    paths: Iterable[str | Path],
    *,
    published: date | str | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[Document]:
    """One Document per non-empty input line (``kg extract --sentences``), streamed.

    Lines are numbered from 0 across all inputs, empty ones included; the number is the
    document's ``meta["line"]`` and its id is ``STEM-NUMBER``.

    Example:
        >>> [d.id for d in read_sentences(["sentences.txt"])]  # doctest: +SKIP
        ['sentences-0', 'sentences-2']
    """
    default_date = parse_date(published, "--published")
    index = 0
    for path in paths:
        source = None if path == "-" else Path(path)
        name = "-" if source is None else str(source)
        stem = "stdin" if source is None else source.stem
        try:
            with _open_stream(source, name) as stream:
                head = _read_up_to(stream, _SNIFF, name)
                decode(head, name)  # refuses binary input before any line is read
                for lineno, line in _jsonl_lines(_chunks(stream, head, name), name):
                    if isinstance(line, InputError):
                        _report(line, on_error)
                    elif len(line) > MAX_SENTENCE_CHARS:
                        _report(InputError(name, f"a line of {len(line):,} characters, above the limit of "
                                           f"{MAX_SENTENCE_CHARS:,} for one sentence (skipped)", lineno), on_error)
                    elif line.strip():
                        yield safe_document(Document(id=f"{stem}-{index}", text=line, published=default_date,
                                                     meta={"line": index}), f"{name}:{lineno}")
                    index += 1
        except InputError as err:
            _report(err, on_error)


def _open_stream(path: Path | None, name: str):
    """A binary stream of a file of any size, or of stdin."""
    if path is None:
        return _open(None)
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as err:
        raise InputError(name, f"cannot read: {err.strerror or err}") from None


def _expand(path: Path | None, on_error: ErrorHandler | None) -> Iterator[Path | None]:
    """The path itself, or the readable files under a directory (sorted); an unreadable
    directory is reported and the rest of the tree read."""
    if path is None or not path.is_dir():
        yield path
        return

    def unreadable(err: OSError) -> None:
        _report(InputError(str(err.filename or path), f"cannot read directory: {err.strerror or err}"), on_error)

    found = []
    for root, _, names in os.walk(path, onerror=unreadable):
        for name in names:
            child = Path(root, name)
            if child.suffix.lower() in KNOWN_SUFFIXES and not name.startswith(".") and child.is_file():
                found.append(child)
    yield from sorted(found)


def _read_one(path: Path | None, default_date: date | None, on_error: ErrorHandler | None) -> Iterator[_Read]:
    name = "-" if path is None else str(path)
    suffix = "" if path is None else path.suffix.lower()
    with _open(path) as stream:
        head = _read_up_to(stream, _SNIFF, name)
        if suffix in JSONL_SUFFIXES or (path is None and _looks_like_jsonl(head)):
            yield from _read_jsonl(_chunks(stream, head, name), name, default_date, on_error)
            return
        raw = head + _read_up_to(stream, MAX_FILE_BYTES + 1 - len(head), name)
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(name, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: too big for one document "
                         "(give one article per line as JSON Lines instead)")
    text = decode(raw, name)
    del raw
    if not text.strip():
        raise InputError(name, "empty document")
    if suffix in HTML_SUFFIXES:
        title, body = html_to_text(text)
        if not body.strip():
            raise InputError(name, "no visible text in the HTML page")
        document = Document(id=_doc_id(path), text=_checked_length(body, name), published=default_date,
                            title=title or None)
    else:
        document = Document(id=_doc_id(path), text=_checked_length(normalise_text(text), name),
                            published=default_date)
    yield _Read(document, name, None, True)


def _open(path: Path | None):
    if path is None:
        if hasattr(sys.stdin, "buffer"):
            return contextlib.nullcontext(sys.stdin.buffer)
        return io.BytesIO(sys.stdin.read().encode("utf-8"))  # a text-only stdin (embedding, tests)
    try:
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES and path.suffix.lower() not in JSONL_SUFFIXES:
            raise InputError(str(path), f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: too big for one "
                             "document (give one article per line as JSON Lines instead)")
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory") from None
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None


def _read_up_to(stream, size: int, name: str) -> bytes:
    """At most ``size`` bytes (fewer only at the end of the input)."""
    parts, total = [], 0
    try:
        while total < size:
            part = stream.read(min(_CHUNK, size - total))
            if not part:
                break
            parts.append(part)
            total += len(part)
    except OSError as err:
        raise InputError(name, f"cannot read: {err.strerror or err}") from None
    return b"".join(parts)


def _looks_like_jsonl(head: bytes) -> bool:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore").lstrip().startswith("{")
    return head.lstrip().startswith(b"{")


def _chunks(stream, head: bytes, name: str) -> Iterator[bytes]:
    yield head
    # read1 returns what has arrived: a slowly fed pipe streams instead of waiting for a chunk
    read = getattr(stream, "read1", stream.read)
    while True:
        try:
            chunk = read(_CHUNK)
        except OSError as err:
            raise InputError(name, f"cannot read: {err.strerror or err}") from None
        if not chunk:
            return
        yield chunk


def _checked_length(text: str, name: str, line: int | None = None) -> str:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(name, f"document text has {len(text):,} characters, above the limit of "
                         f"{MAX_DOCUMENT_CHARS:,} for one document (split it)", line)
    return text


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(raw: bytes, name: str) -> str:
    """Bytes -> text: UTF-8 (BOM optional), UTF-16/32 with a BOM, else Windows-1252/Latin-1.

    Binary data (NUL bytes or many control characters) is refused with an InputError.
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as err:
                raise InputError(name, f"cannot decode as {codec}: {err.reason} at byte {err.start}") from None
    if b"\x00" in raw:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    text = _decode_8bit(raw)
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:4096]) // 50):
        raise InputError(name, "binary file (control characters), not text")
    return text


def _decode_8bit(raw: bytes) -> str:
    # Latin-1 decodes any byte, so the last fallback never fails; cp1252 first because its
    # curly quotes and dashes (0x80-0x9F) are what "Latin-1" files from Windows really hold.
    for codec in ("utf-8", "cp1252"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def normalise_text(text: str) -> str:
    """Unify line breaks and drop control characters; keeps every other character as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", text)


# C0/C1 controls and the line/paragraph separators: text tools (and str.splitlines) would
# break a line inside a literal at U+0085, U+2028 and U+2029
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _doc_id(path: Path | None) -> str:
    return "stdin" if path is None else path.stem


def _read_jsonl(chunks: Iterator[bytes], name: str, default_date: date | None,
                on_error: ErrorHandler | None) -> Iterator[_Read]:
    """Documents of a JSON Lines stream, one line in memory at a time."""
    empty = True
    for lineno, line in _jsonl_lines(chunks, name):
        try:
            if isinstance(line, InputError):
                raise line
            if not line.strip():
                continue
            empty = False
            record = _jsonl_record(line, name, lineno, default_date)
        except InputError as err:
            _report(err, on_error)
            continue
        yield _Read(record, name, lineno, False)
    if empty:
        raise InputError(name, "empty document")


def _jsonl_lines(chunks: Iterator[bytes], name: str) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) per line; an InputError instead of the text for a line that cannot be read.

    Lines end at "\\n" only: JSON text may hold U+2028 and other characters that
    ``str.splitlines`` would also break at.
    """
    first = next(chunks, b"")
    codec = next((c for bom, c in _BOMS if first.startswith(bom) and c != "utf-8-sig"), None)
    if codec is not None:
        yield from _wide_lines(first, chunks, codec, name)
        return
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    if b"\x00" in first and not first.lstrip().startswith(b"{"):
        # a stray NUL in one record is that line's problem; NULs before any JSON mean a binary file
        raise InputError(name, "binary file (contains NUL bytes), not text")
    buffer, lineno, skipping = b"", 0, False
    for chunk in _prepend(first, chunks):
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for raw in lines:
            lineno += 1
            if skipping:  # the rest of an over-long line
                skipping = False
                continue
            yield lineno, _line_text(raw, name, lineno)
        if len(buffer) > MAX_FILE_BYTES:
            if not skipping:
                yield lineno + 1, InputError(name, f"line longer than {MAX_FILE_BYTES // (1024 * 1024)} MB",
                                             lineno + 1)
            buffer, skipping = b"", True
    if buffer and not skipping:
        yield lineno + 1, _line_text(buffer, name, lineno + 1)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _line_text(raw: bytes, name: str, lineno: int) -> str | InputError:
    if b"\x00" in raw:
        return InputError(name, "binary data (NUL bytes) in the line", lineno)
    return _decode_8bit(raw.rstrip(b"\r"))


def _wide_lines(first: bytes, chunks: Iterator[bytes], codec: str, name: str) -> Iterator[tuple[int, str | InputError]]:
    """Lines of a UTF-16/32 stream (with its BOM), decoded incrementally."""
    decoder = codecs.getincrementaldecoder(codec)()
    buffer, lineno = "", 0
    try:
        for chunk in _prepend(first, chunks):
            buffer += decoder.decode(chunk)
            *lines, buffer = buffer.split("\n")
            for line in lines:
                lineno += 1
                yield lineno, line.rstrip("\r")
            if len(buffer) > MAX_FILE_BYTES:
                raise InputError(name, f"line longer than {MAX_FILE_BYTES // (1024 * 1024)} MB", lineno + 1)
        buffer += decoder.decode(b"", final=True)
    except UnicodeDecodeError as err:
        raise InputError(name, f"cannot decode as {codec}: {err.reason}", lineno + 1) from None
    if buffer:
        yield lineno + 1, buffer.rstrip("\r")


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
    extra = {k: v for k, v in record.items() if k not in _RECORD_FIELDS}
    return Document(
        id=str(doc_id),
        text=_checked_length(normalise_text(text), name, lineno),
        published=parse_date(record.get("published"), name, lineno) or default_date,
        source=_opt_str(record.get("source")),
        url=_opt_str(record.get("url")),
        title=_opt_str(record.get("title")),
        meta=extra,
    )


_RECORD_FIELDS = {"id", "text", "title", "published", "source", "url", REPLACED, NOTES}


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
