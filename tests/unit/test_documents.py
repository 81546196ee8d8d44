"""Reading inputs: formats, dates, encodings and one clear error per bad input."""

import io
import json
from datetime import date

import pytest

from kg.documents import decode, html_to_text, read_documents
from kg.errors import InputError
from kg.types import Document


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


# ---- safe at the door: unencodable code points, paths that are paths, unique ids ---------------

def test_lone_surrogates_are_replaced_counted_and_noted(tmp_path):
    from kg.documents import NOTES, REPLACED

    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": "a\\ud800", "text": "Kyiv \\udfff said \\ud800.", "title": "T\\udc80"}\n'
                 '{"id": "b", "text": "Fine \\ud83d\\ude00 pair.", "replaced_characters": 7}\n', encoding="utf-8")
    docs, errors = _read([f])
    assert errors == []
    a, b = docs
    assert (a.id, a.text, a.title) == ("a\ufffd", "Kyiv \ufffd said \ufffd.", "T\ufffd")
    assert a.meta[REPLACED] == 4
    assert a.meta[NOTES] == (f"{f}:1: replaced 4 unencodable characters (lone surrogates) with U+FFFD",)
    for doc in docs:  # nothing downstream meets a code point UTF-8 cannot hold
        for value in (doc.id, doc.text, doc.title or ""):
            value.encode("utf-8")
    # a surrogate pair is one real character, and a record cannot fake the count
    assert b.text == "Fine \U0001F600 pair." and REPLACED not in b.meta and NOTES not in b.meta


def test_document_objects_are_made_safe_too():
    from kg.documents import REPLACED

    docs, errors = _read([Document("d", "Russia \ud800 attacked.", source="S\udc00")])
    assert errors == [] and docs[0].text == "Russia \ufffd attacked." and docs[0].source == "S\ufffd"
    assert docs[0].meta[REPLACED] == 2


def test_a_string_is_a_path_never_text(tmp_path, monkeypatch):
    from kg.pipeline import as_documents

    monkeypatch.chdir(tmp_path)
    errors = []
    assert list(as_documents(["missing.jsonl", "Russia invaded Ukraine."], on_error=errors.append)) == []
    assert [str(e) for e in errors] == ["missing.jsonl: no such file", "Russia invaded Ukraine.: no such file"]
    with pytest.raises(InputError, match="missing.jsonl: no such file"):
        list(as_documents(["missing.jsonl"]))


def test_text_documents_number_texts_and_refuse_paths(tmp_path):
    from kg.documents import text_documents
    from kg.errors import KGError

    docs = list(text_documents(["Russia invaded Ukraine.", "x"], published="2024-11-11"))
    assert [(d.id, d.text, d.published) for d in docs] == [("text-1", "Russia invaded Ukraine.", date(2024, 11, 11)),
                                                           ("text-2", "x", date(2024, 11, 11))]
    with pytest.raises(KGError, match="texts must be strings, got PosixPath"):
        list(text_documents([tmp_path / "a.txt"]))


def test_files_with_the_same_name_get_distinct_stable_ids(tmp_path):
    from kg.documents import NOTES

    for rel, text in [("a/report.txt", "One."), ("b/report.md", "Two."), ("c/report.html", "<p>Three.</p>"),
                      ("report-2.txt", "Four.")]:
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    for _ in range(2):  # the same inputs give the same ids
        docs, errors = _read([tmp_path])
        assert errors == []
        assert [(d.id, d.text) for d in docs] == [("report", "One."), ("report-2", "Two."), ("report-3", "Three."),
                                                  ("report-2-2", "Four.")]
    assert docs[1].meta[NOTES] == (f"{tmp_path / 'b/report.md'}: document id 'report' is taken by "
                                   f"{tmp_path / 'a/report.txt'}; this document is 'report-2'",)
    assert NOTES not in docs[0].meta


def test_an_id_given_twice_is_an_error_for_the_second(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text('{"id": "x", "text": "First."}\n{"id": "x", "text": "Again."}\n', encoding="utf-8")
    two.write_text('{"id": "y", "text": "Other."}\n{"id": "x", "text": "Third."}\n', encoding="utf-8")
    docs, errors = _read([one, two, Document("y", "Object.")])
    assert [(d.id, d.text) for d in docs] == [("x", "First."), ("y", "Other.")]
    assert errors == [f"{one}:2: duplicate document id 'x' (first read from {one})",
                      f"{two}:2: duplicate document id 'x' (first read from {one})",
                      f"<documents>:3: duplicate document id 'y' (first read from {two})"]


def test_an_unreadable_directory_is_reported_and_the_rest_read(tmp_path, monkeypatch):
    import os

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "seen.txt").write_text("Seen.", encoding="utf-8")
    (tmp_path / "top.txt").write_text("Top.", encoding="utf-8")
    scandir = os.scandir

    def refusing(path="."):  # what a directory without read permission gives (root reads them all)
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    docs, errors = _read([tmp_path])
    assert [d.id for d in docs] == ["seen", "top"]
    assert errors == [f"{tmp_path / 'locked'}: cannot read directory: Permission denied"]
    with pytest.raises(InputError, match="cannot read directory"):
        list(read_documents([tmp_path]))


def test_an_over_long_sentence_line_is_skipped_with_one_line(tmp_path, monkeypatch):
    from kg import documents
    from kg.documents import read_sentences

    monkeypatch.setattr(documents, "MAX_SENTENCE_CHARS", 100)
    f = tmp_path / "s.txt"
    f.write_text("Russia invaded Ukraine.\n" + "word " * 40 + "\nFrance met China.\n", encoding="utf-8")
    errors = []
    docs = list(read_sentences([f], on_error=errors.append))
    assert [(d.id, d.meta["line"]) for d in docs] == [("s-0", 0), ("s-2", 2)]
    assert [str(e) for e in errors] == [f"{f}:2: a line of 200 characters, above the limit of 100 for one "
                                        "sentence (skipped)"]


def test_the_document_limit_is_the_file_limit():
    from kg import documents, nlp

    assert documents.MAX_DOCUMENT_CHARS == documents.MAX_FILE_BYTES
    assert documents.MAX_SENTENCE_CHARS <= nlp.PIECE_CHARS < nlp.MAX_CHARS
