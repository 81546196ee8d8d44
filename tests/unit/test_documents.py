"""Reading inputs: formats, dates, encodings and one clear error per bad input."""

import io
import json
from datetime import date

import pytest

from kg.documents import decode, html_to_text, read_documents
from kg.errors import InputError


def _read(paths, **kw):
    errors = []
    docs = list(read_documents(paths, on_error=errors.append, **kw))
    return docs, [str(e) for e in errors]


def test_text_file_is_one_document_named_after_the_file(tmp_path):
    f = tmp_path / "brief-1.txt"
    f.write_text("Headline\r\nBody sentence.", encoding="utf-8")
    docs, errors = _read([f], published="2024-05-01")
    assert errors == []
    assert [(d.id, d.text, d.published) for d in docs] == [("brief-1", "Headline\nBody sentence.", date(2024, 5, 1))]


def test_jsonl_records_with_metadata_and_bad_lines(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "a", "text": "One.", "title": "T", "published": "2023-01-02", "url": "http://x/a", "source": "S"}),
        "{not json",
        json.dumps({"id": "b", "text": ""}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "c", "text": "Three.", "published": "yesterday"}),
        json.dumps({"id": "d", "text": "Four.", "lang": "en"}),
    ]), encoding="utf-8")
    docs, errors = _read([f], published="2024-01-01")
    assert [(d.id, d.published, d.title, d.url, d.source) for d in docs] == [
        ("a", date(2023, 1, 2), "T", "http://x/a", "S"),
        ("d", date(2024, 1, 1), None, None, None),
    ]
    assert docs[1].meta == {"lang": "en"}
    assert errors == [
        f"{f}:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{f}:3: missing or empty 'text' field",
        f"{f}:4: missing 'id' field",
        f"{f}:5: 'published' is not an ISO date (YYYY-MM-DD): 'yesterday'",
    ]


def test_html_keeps_visible_text_and_block_breaks(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("<html><head><title>Talks</title><script>var x = '<p>no</p>';</script>"
                 "<style>p{}</style></head><body><h1>Leaders meet</h1><p>Talks began &amp; ended.</p>"
                 "<noscript>hidden</noscript></body></html>", encoding="utf-8")
    docs, errors = _read([f])
    assert errors == []
    assert docs[0].title == "Talks"
    assert docs[0].text == "Leaders meet\nTalks began & ended."


def test_directory_is_recursed_in_sorted_order_and_bad_files_reported(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "a.md").write_text("First.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")  # unknown suffix: skipped
    docs, errors = _read([tmp_path])
    assert [d.id for d in docs] == ["a", "two"]
    assert errors == [f"{tmp_path / 'blob.txt'}: binary file (contains NUL bytes), not text",
                      f"{tmp_path / 'empty.txt'}: empty document"]


def test_missing_file_raises_without_handler(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_documents([tmp_path / "nope.txt"]))


@pytest.mark.parametrize("raw,text", [
    ("Zelensky’s visit".encode("utf-8"), "Zelensky’s visit"),
    ("\ufeffBOM utf-8".encode("utf-8"), "BOM utf-8"),
    ("Kyiv ünd Köln".encode("utf-16"), "Kyiv ünd Köln"),
    ("Café in Paris".encode("latin-1"), "Café in Paris"),
])
def test_decode_encodings(raw, text):
    assert decode(raw, "x") == text


def test_stdin_text_and_jsonl(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Russia invaded Ukraine.")))
    docs, _ = _read(["-"])
    assert [(d.id, d.text) for d in docs] == [("stdin", "Russia invaded Ukraine.")]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"id": "x", "text": "Hi."}\n')))
    docs, _ = _read(["-"])
    assert [(d.id, d.text) for d in docs] == [("x", "Hi.")]


def test_html_to_text_drops_script_content():
    title, body = html_to_text("<p>a<script>alert(1)</script>b</p><div>c</div>")
    assert (title, body) == ("", "ab\nc")


def test_read_sentences_numbers_lines_across_inputs_and_reports_bad_ones(tmp_path):
    from kg.documents import read_sentences

    a = tmp_path / "a.txt"
    a.write_bytes("Russia invaded Ukraine.\r\n\nKyiv\u2028Oblast was shelled.\n".encode("utf-8"))
    b = tmp_path / "b.txt"
    b.write_bytes(b"Iran threatened Israel.\n\nLast one.")
    c = tmp_path / "c.txt"
    c.write_bytes(b"bad\x00line\n")
    errors = []
    docs = list(read_sentences([a, tmp_path / "missing.txt", b, c], published="2024-01-02",
                               on_error=errors.append))
    assert [(d.id, d.text, d.meta["line"]) for d in docs] == [
        ("a-0", "Russia invaded Ukraine.", 0),
        ("a-2", "Kyiv\u2028Oblast was shelled.", 2),  # a line ends at "\n" only
        ("b-3", "Iran threatened Israel.", 3),
        ("b-5", "Last one.", 5),
    ]
    assert all(d.published == date(2024, 1, 2) for d in docs)
    assert [str(e) for e in errors] == [f"{tmp_path / 'missing.txt'}: no such file",
                                        f"{c}: binary file (contains NUL bytes), not text"]
