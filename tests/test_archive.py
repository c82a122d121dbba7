from crawler.archive import Archive, sha256_hex


def test_objects_are_content_addressed_and_written_once(tmp_path):
    archive = Archive(tmp_path)
    digest = archive.store(b"report bytes")
    assert digest == sha256_hex(b"report bytes")
    path = archive.object_path(digest)
    assert path == tmp_path / "objects" / digest[:2] / digest[2:4] / digest
    mtime = path.stat().st_mtime_ns
    assert archive.store(b"report bytes") == digest
    assert path.stat().st_mtime_ns == mtime  # not rewritten
    assert archive.read(digest) == b"report bytes"
    assert archive.store(b"changed report") != digest  # a change is a new object; the old one stays
    assert archive.read(digest) == b"report bytes"
    assert not list(tmp_path.rglob(".incoming-*"))


def test_records_are_appended_per_day_and_read_back_in_order(tmp_path):
    archive = Archive(tmp_path)
    archive.append_record({"type": "fetch", "at": "2026-01-02T10:00:00+00:00", "url": "b"})
    archive.append_record({"type": "fetch", "at": "2026-01-01T10:00:00+00:00", "url": "a"})
    archive.append_record({"type": "report", "at": "2026-01-02T11:00:00+00:00", "url": "c", "title": "年报"})
    assert [r["url"] for r in archive.records()] == ["a", "b", "c"]
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == ["2026-01-01.jsonl", "2026-01-02.jsonl"]
    assert "年报" in (tmp_path / "records" / "2026-01-02.jsonl").read_text(encoding="utf-8")
