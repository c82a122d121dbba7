"""The whole path for zibo_gxq: a channel list that only a browser can see (a WAF cookie challenge, then a list
rendered from a JSON API), old binary Word attachments, a Content-Disposition naming `../../…`, and a download that
never arrives — crawled twice over HTTP by the production spiders (tests/conftest.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

import pytest

from replica.sites.zibo_gxq import DOCUMENTS, REPORTS, report_title
from tests.crawling import (
    TEST_CRAWL_SETTINGS,
    ground_truth_facts,
    printed_summaries,
    provenance_records,
    replica_requests,
    site_spider,
    stored_facts,
)

ZiboGxqSpider = site_spider("zibo_gxq")

pytestmark = pytest.mark.e2e
YEARS = [year for year, _suffix, _published in REPORTS]  # 2018: free form, before the national templates
SUFFIXES = {year: suffix for year, suffix, _published in REPORTS}
(CHANNEL,) = ZiboGxqSpider.entry_urls
STALLED_PDF = report_title(2021) + ".pdf"  # offered beside the 2021 report; the server never sends it


@pytest.fixture(scope="module")
def archive(crawled_replica):
    return crawled_replica.archive


@pytest.fixture(scope="module")
def db(replica_db):
    return replica_db


def attachments(db) -> list[dict]:
    return list(db.query(
        "select d.*, r.year from documents d join reports r on r.id = d.report_id "
        "where d.role = 'attachment' and r.spider = 'zibo_gxq' order by r.year, d.url"
    ))


def test_every_report_once_with_its_metadata(db):
    reports = list(db.query("select * from reports where spider = 'zibo_gxq' order by year"))
    assert [r["year"] for r in reports] == YEARS
    assert {r["agency"] for r in reports} == {"淄博高新技术产业开发区"}
    assert [r["title"] for r in reports] == [report_title(y) for y in YEARS]
    assert [r["published"][:4] for r in reports] == [str(y + 1) for y in YEARS]
    assert all(r["page_url"].startswith(CHANNEL.removesuffix("index.html") + "doc_") for r in reports)


def test_doc_and_wps_reports_archived_byte_for_byte_with_their_kind_visible(archive, db):
    reports = [d for d in attachments(db) if d["link_text"] != STALLED_PDF]
    assert [d["year"] for d in reports] == YEARS
    for document in reports:
        suffix = SUFFIXES[document["year"]]
        original = (DOCUMENTS / f"zibo-gxq-{document['year']}{suffix}").read_bytes()
        assert (archive / document["archive_path"]).read_bytes() == original
        assert document["sha256"] == hashlib.sha256(original).hexdigest()
        assert (document["http_status"], document["size"]) == (200, len(original))
        assert document["filename"] == report_title(document["year"]) + suffix
        # The server says only application/octet-stream: the kind comes from the bytes, and the file is read.
        assert (document["kind"], document["failure_kind"]) == (suffix.lstrip("."), None), document
        assert document["facts"] > 0 or document["year"] < 2019, document  # 2018's free-form report has no tables
    assert sorted(SUFFIXES[d["year"]] for d in reports) == [".doc"] * 3 + [".wps"] * 2


def test_content_disposition_path_does_not_escape_the_archive(archive, db):
    (document,) = [d for d in attachments(db) if d["year"] == 2020]
    records = [r for r in provenance_records(archive) if r["type"] == "fetch" and r["url"] == document["url"]]
    assert len(records) == 2  # one per crawl
    for record in records:
        (disposition,) = record["headers"]["Content-Disposition"]
        assert "filename*=UTF-8''../../" in disposition  # what the server sent
        assert record["filename"] == document["filename"]
    assert document["filename"] == "淄博高新技术产业开发区2020年政府信息公开年度报告.doc"  # what was recorded
    # Stored under its content hash only: no file anywhere in the archive is named after the server's filename.
    assert PurePosixPath(document["archive_path"]).name == document["sha256"]
    assert not [p for p in archive.parent.rglob("*") if "报告" in p.name]


def test_download_that_never_arrives_is_recorded_as_a_timeout(db, crawled_replica):
    (document,) = [d for d in attachments(db) if d["link_text"] == STALLED_PDF]
    assert document["failure_kind"] == "timeout", document["failure"]
    # The crawl's `-s DOWNLOAD_TIMEOUT=5` (tests/crawling.py) is the limit it was given: settings override by -s.
    assert document["failure"] == f"no answer within {TEST_CRAWL_SETTINGS['DOWNLOAD_TIMEOUT']} s from {document['url']}"
    assert document["sha256"] is None and document["http_status"] is None
    for crawl in (crawled_replica.first, crawled_replica.second):
        summary = printed_summaries(crawl)["zibo_gxq"]
        assert summary["finish_reason"] == "finished"
        assert (summary["reports"], summary["documents"]) == (len(YEARS), len(YEARS) + 1)
        # The one failure is the stalled PDF: the challenge the browser passed is none.
        assert (summary["failures"], summary["failed_pages"]) == ({"timeout": 1}, [])


def test_waf_challenge_passed_by_the_browser(archive, db):
    requests = replica_requests(archive)
    channel_pages = [r for r in requests if r["url"].startswith(CHANNEL)]
    # Each crawl's fresh browser is challenged once (521), runs the script and reloads with the cookie (200);
    # the pager's further pages reuse the cookie.
    first_visits = [r["status"] for r in channel_pages if r["url"] == CHANNEL]
    assert first_visits == [521, 200, 521, 200]
    assert {r["url"].removeprefix(CHANNEL): r["status"] for r in channel_pages if r["url"] != CHANNEL} == {
        "?page=2": 200, "?page=3": 200,
    }
    # The list was rendered by the shell's script, from the API, one page at a time.
    api_calls = [urlsplit(r["url"]) for r in requests if "/gongkai/api/channel/" in r["url"]]
    assert sorted({parse_qs(call.query)["page"][0] for call in api_calls}) == ["1", "2", "3"]
    runs = list(db["crawl_runs"].rows_where("spider = 'zibo_gxq'"))
    assert len(runs) == 2 and all(r["finish_reason"] == "finished" for r in runs)


def test_only_report_pages_were_visited(archive, db):
    documents = CHANNEL.removesuffix("index.html") + "doc_"
    visited = {r["url"] for r in replica_requests(archive) if r["url"].startswith(documents)}
    assert visited == {r["page_url"] for r in db["reports"].rows_where("spider = 'zibo_gxq'")}


def test_extracted_tables_match_the_documents_ground_truth(db):
    for report in db.query("select id, year from reports where spider = 'zibo_gxq'"):
        expected = json.loads((DOCUMENTS / f"zibo-gxq-{report['year']}.expected.json").read_text(encoding="utf-8"))
        assert stored_facts(db, report["id"]) == ground_truth_facts(expected), report["year"]
        (row,) = db.query("select template from reports where id = ?", [report["id"]])
        assert row["template"] == expected["template"]
