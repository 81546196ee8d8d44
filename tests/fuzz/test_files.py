"""Bad files: binary, other encodings, huge inputs (streamed), malformed JSON Lines; one line per problem."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import kg.documents as documents
from kg.documents import read_documents
from kg.errors import InputError


def _read(paths, **kw):
    errors: list[InputError] = []
    docs = list(read_documents(paths, on_error=errors.append, **kw))
    return docs, [str(e) for e in errors]


@pytest.mark.parametrize("raw", [
    bytes(range(256)) * 4,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
])
@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".html"])
def test_binary_files_are_refused_with_one_line(tmp_path, raw, suffix):
    f = tmp_path / f"blob{suffix}"
    f.write_bytes(raw)
    docs, errors = _read([f])
    assert docs == []
    assert len(errors) == 1 and errors[0].startswith(f"{f}") and "binary" in errors[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"])
def test_jsonl_and_text_in_other_encodings(tmp_path, encoding):
    text = "Café “quoted” in Köln." if encoding == "cp1252" else "Café in Köln – Zürich."
    if encoding == "latin-1":
        text = "Café in Köln, Zürich."
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    (tmp_path / "b.jsonl").write_bytes(
        (json.dumps({"id": "b1", "text": text}, ensure_ascii=False) + "\n").encode(encoding))
    docs, errors = _read([tmp_path])
    assert errors == []
    assert [(d.id, d.text) for d in docs] == [("a", text), ("b1", text)]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path):
    f = tmp_path / "odd.txt"
    f.write_bytes(b"Caf\xe9 \x81\x8d\x8f\x90\x9d ok")
    docs, errors = _read([f])
    assert errors == [] and docs[0].text.startswith("Café") and docs[0].text.endswith(" ok")


def test_line_separators_inside_json_strings_do_not_split_records(tmp_path):
    f = tmp_path / "seps.jsonl"
    records = [{"id": f"r{i}", "text": f"One{sep}two."} for i, sep in enumerate("\u2028\u2029\x85\x0b\x0c\x1c")]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\r\n", encoding="utf-8")
    docs, errors = _read([f])
    assert errors == []
    assert [d.id for d in docs] == [r["id"] for r in records]
    assert all(d.text == "One two." for d in docs)


def test_every_bad_line_is_reported_and_the_rest_read(tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": "Fine.", "published": "2024-01-02"}),
        "[1, 2]",
        json.dumps({"id": "x", "text": 42}),
        json.dumps({"id": ["a"], "text": "List id."}),
        json.dumps({"id": "d", "text": "Bad date.", "published": "2024-13-45"}),
        json.dumps({"id": "e", "text": "Bad date type.", "published": 20240101}),
        json.dumps({"id": "ok1", "text": "Duplicate."}),
        "\x00\x01 binary in a line",
        json.dumps({"id": "ok2", "text": "Also fine.", "url": {"not": "a string"}}),
    ]
    f.write_text("\n".join(lines), encoding="utf-8")
    docs, errors = _read([f])
    assert [d.id for d in docs] == ["ok1", "ok2"]
    assert [e.split(": ", 1)[0] for e in errors] == [f"{f}:{n}" for n in (2, 3, 4, 5, 6, 7, 8)]
    assert all(len(e.splitlines()) == 1 for e in errors)


def test_strict_reading_raises_at_the_first_problem(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": "a", "text": "One."}\n{bad\n{"id": "b", "text": "Two."}\n', encoding="utf-8")
    seen = []
    with pytest.raises(InputError, match=r"feed.jsonl:2: malformed JSON"):
        for doc in read_documents([f]):
            seen.append(doc.id)
    assert seen == ["a"]


def test_text_file_above_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 1000)
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text("Russia attacked Ukraine. " * 100, encoding="utf-8")
    small.write_text("Russia attacked Ukraine.", encoding="utf-8")
    docs, errors = _read([big, small])
    assert [d.id for d in docs] == ["small"]
    assert len(errors) == 1 and errors[0].startswith(f"{big}: larger than")


def test_document_longer_than_the_parser_accepts_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_CHARS", 50)
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in
                           enumerate(["Short.", "Long sentence. " * 10])), encoding="utf-8")
    docs, errors = _read([f])
    assert [d.id for d in docs] == ["0"]
    assert errors == [f"{f}:2: document text has 150 characters, above the limit of 50 for one document "
                      "(split it)"]


def test_over_long_jsonl_line_is_skipped_and_the_next_read(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 2000)
    monkeypatch.setattr(documents, "_CHUNK", 512)
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join([json.dumps({"id": "a", "text": "x" * 5000}),
                            json.dumps({"id": "b", "text": "Fine."})]), encoding="utf-8")
    docs, errors = _read([f])
    assert [d.id for d in docs] == ["b"]
    assert len(errors) == 1 and errors[0].startswith(f"{f}:1: line longer than")


READER = """
import sys, tracemalloc
from kg.documents import read_documents
tracemalloc.start()
n = chars = 0
for doc in read_documents([sys.argv[1]]):
    n += 1
    chars += len(doc.text)
print(n, chars, tracemalloc.get_traced_memory()[1] // (1024 * 1024))
"""


@pytest.mark.slow
def test_a_200_mb_jsonl_file_is_streamed(tmp_path):
    f = tmp_path / "huge.jsonl"
    body = "Russia attacked Ukraine on Monday, officials in Kyiv said. " * 30
    n = 0
    with f.open("w", encoding="utf-8") as out:
        while out.tell() < 200 * 1024 * 1024:
            out.write(json.dumps({"id": f"d{n}", "text": body, "published": "2024-11-11"}) + "\n")
            n += 1
    size_mb = f.stat().st_size // (1024 * 1024)
    done = subprocess.run([sys.executable, "-c", READER, str(f)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    count, chars, peak_mb = map(int, done.stdout.split())
    assert count == n and chars == n * len(body)
    # Python's own allocations (tracemalloc: deterministic, unlike RSS): reading the file whole
    # would need its size twice over (bytes, then text); streaming needs a few chunks
    assert peak_mb < size_mb / 10, f"peak {peak_mb} MB allocated for a {size_mb} MB file"
