import multiprocessing
import os
import stat
import subprocess
import sys

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


def test_objects_are_readable_by_other_users_as_the_umask_allows(tmp_path):
    previous = os.umask(0o022)
    try:
        path = Archive(tmp_path).object_path(Archive(tmp_path).store(b"report bytes"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_leftovers_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    archive = Archive(tmp_path)
    archive.store(b"something")  # makes tmp/
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    dead_file = archive.incoming / f".incoming-{dead.pid}-abc"
    live_file = archive.incoming / f".incoming-{os.getpid()}-def"
    dead_file.write_bytes(b"half an object")
    live_file.write_bytes(b"an object being written")
    assert archive.remove_leftovers() == 1
    assert sorted(p.name for p in archive.incoming.iterdir()) == [live_file.name]


def _append_many(root, writer: int, count: int) -> None:
    archive = Archive(root)
    for number in range(count):
        # Long lines: a buffered writer would split them into several write() calls.
        archive.append_record({"type": "fetch", "at": "2026-01-01T00:00:00+00:00", "writer": writer, "n": number,
                               "padding": "页" * 20000})


def test_records_appended_by_processes_at_once_stay_whole(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.starmap(_append_many, [(tmp_path, writer, 50) for writer in range(4)])
    archive = Archive(tmp_path)
    records = list(archive.records())
    assert archive.damaged_lines == 0
    assert sorted((r["writer"], r["n"]) for r in records) == [(w, n) for w in range(4) for n in range(50)]


def test_a_line_cut_short_by_a_crash_is_skipped_and_counted(tmp_path):
    archive = Archive(tmp_path)
    archive.append_record({"type": "fetch", "at": "2026-01-01T10:00:00+00:00", "url": "a"})
    with open(tmp_path / "records" / "2026-01-01.jsonl", "a", encoding="utf-8") as log:
        log.write('{"type": "fetch", "at": "2026-01-01T10:00:01+00:00", "url": "b", "hea\n')
    archive.append_record({"type": "fetch", "at": "2026-01-01T10:00:02+00:00", "url": "c"})
    assert [r["url"] for r in archive.records()] == ["a", "c"]
    assert archive.damaged_lines == 1


def test_report_sightings_read_back_logs_that_two_crawls_interleaved(tmp_path):
    archive = Archive(tmp_path)
    at = "2026-01-01T10:00:00+00:00"

    def fetch(sighting, role, url):
        return {"type": "fetch", "at": at, "sighting": sighting, "role": role, "url": url, "report_url": "p"}

    for record in [fetch("A", "page", "p"), fetch("B", "page", "p"), fetch("B", "attachment", "x.pdf"),
                   {"type": "report", "at": at, "sighting": "B", "page_url": "p"},
                   fetch("A", "attachment", "x.pdf"), fetch("C", "page", "p"),  # C: a crawl killed before its report
                   {"type": "report", "at": at, "sighting": "A", "page_url": "p"}]:
        archive.append_record(record)
    sightings = [(report["sighting"], [(f["sighting"], f["role"]) for f in fetches])
                 for report, fetches in archive.report_sightings()]
    assert sightings == [("B", [("B", "page"), ("B", "attachment")]), ("A", [("A", "page"), ("A", "attachment")])]
