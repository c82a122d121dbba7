"""The whole path for zibo_kjj: the replica web crawled over HTTP by the production spiders (tests/conftest.py
crawls it twice), then what was archived, extracted and published."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest

from crawler.attachments import filename_from_content_disposition
from crawler.publish import datasette_app
from replica.sites.zibo_kjj import DOCUMENTS
from tests.crawling import ground_truth_facts, printed_summaries, provenance_records, stored_facts

pytestmark = pytest.mark.e2e
YEARS = [2018, 2019, 2020, 2021, 2022, 2023]  # 2018: free form, before the national templates


@pytest.fixture(scope="module")
def crawled(crawled_replica):
    replica = crawled_replica
    return replica.archive, replica.first, replica.second, replica.after_first


@pytest.fixture(scope="module")
def db(replica_db):
    return replica_db


def expected_facts(year: int) -> dict:
    return json.loads((DOCUMENTS / f"zibo-kjj-{year}.expected.json").read_text(encoding="utf-8"))


def test_every_report_once_with_its_metadata(db):
    reports = list(db.query("select * from reports where spider = 'zibo_kjj' order by year"))
    assert [r["year"] for r in reports] == YEARS
    assert {r["agency"] for r in reports} == {"淄博市科学技术局"}
    assert [r["title"] for r in reports] == [f"淄博市科学技术局{y}年政府信息公开工作年度报告" for y in YEARS]
    assert [r["published"][:4] for r in reports] == [str(y + 1) for y in YEARS]
    assert [r["template"] for r in reports] == [None, "2019", "2019", "2021", "2021", "2021"]
    assert [r["status"] for r in reports] == ["no_tables"] + ["ok"] * 5
    assert all(r["page_url"].startswith("http://kjj.zibo.gov.cn/art/") for r in reports)


def test_attachments_archived_byte_for_byte_with_real_names(crawled, db):
    archive = crawled[0]
    documents = list(db.query(
        "select d.*, r.year from documents d join reports r on r.id = d.report_id "
        "where d.role = 'attachment' and r.spider = 'zibo_kjj'"
    ))
    assert len(documents) == 2 * len(YEARS)
    for document in documents:
        assert document["failure_kind"] is None, document["failure"]
        suffix = ".docx" if document["kind"] == "docx" else ".pdf"
        original = (DOCUMENTS / f"zibo-kjj-{document['year']}{suffix}").read_bytes()
        stored = (archive / document["archive_path"]).read_bytes()
        assert stored == original
        assert document["sha256"] == hashlib.sha256(original).hexdigest()
        assert document["filename"] == f"淄博市科学技术局{document['year']}年政府信息公开工作年度报告{suffix}"
        assert document["http_status"] == 200 and document["size"] == len(original)
    assert sorted(d["kind"] for d in documents) == ["docx"] * len(YEARS) + ["pdf"] * len(YEARS)


def test_report_pages_are_archived_as_html_documents(crawled, db):
    archive = crawled[0]
    pages = list(db.query("select d.*, r.page_url, r.page_sha256 from documents d join reports r on r.id = d.report_id "
                          "where d.role = 'page' and r.spider = 'zibo_kjj'"))
    assert len(pages) == len(YEARS)
    for page in pages:
        assert page["url"] == page["page_url"] and page["kind"] == "html" and page["failure_kind"] is None
        assert page["sha256"] == page["page_sha256"]
        assert b'id="zoom"' in (archive / page["archive_path"]).read_bytes()


def test_extracted_tables_match_the_documents_ground_truth(db):
    for report in db.query("select id, year from reports where spider = 'zibo_kjj'"):
        expected = expected_facts(report["year"])
        assert stored_facts(db, report["id"]) == ground_truth_facts(expected), report["year"]
        checks = list(db["checks"].rows_where("report_id = ?", [report["id"]]))
        assert all(c["passed"] for c in checks) and bool(checks) == (expected["template"] is not None)
        assert [s["number"] for s in db["sections"].rows_where("report_id = ?", [report["id"]], order_by="number")] \
            == [1, 2, 3, 4, 5, 6]


def test_provenance_log_names_every_fetch(crawled, db):
    archive = crawled[0]
    records = provenance_records(archive)
    fetches = [r for r in records if r["type"] == "fetch"]
    zibo_documents = "role = 'attachment' and report_id in (select id from reports where spider = 'zibo_kjj')"
    for document in db["documents"].rows_where(zibo_documents):
        (record, *_) = [r for r in fetches if r["url"] == document["url"]]
        assert record["status"] == 200 and record["sha256"] == document["sha256"]
        assert record["at"]
        assert record["content_type"]
        # The server named the file in raw GBK bytes (kept as sent, one byte per character); the name recorded is
        # what those bytes say.
        (disposition,) = record["headers"]["Content-Disposition"]
        assert document["filename"].encode("gbk") in disposition.encode("latin-1")
        assert filename_from_content_disposition(disposition) == record["filename"] == document["filename"]
    # Only report pages were visited: the column's notices were skipped from the list.
    pages = {r["url"] for r in fetches if r["role"] == "page" and r["spider"] == "zibo_kjj"}
    assert pages == {r["page_url"] for r in db["reports"].rows_where("spider = 'zibo_kjj'")}
    reports_logged = [r for r in records if r["type"] == "report" and r["spider"] == "zibo_kjj"]
    assert len(reports_logged) == 2 * len(YEARS)  # each report, seen by each of the two crawls


def test_recrawl_changes_nothing_but_last_seen(crawled, db):
    archive, _first, _second, snapshot = crawled
    assert sorted(p.name for p in (archive / "objects").rglob("*") if p.is_file()) == snapshot["objects"]
    for report in db["reports"].rows:
        before = snapshot["reports"][report["id"]]
        assert report["version"] == before["version"] == 1
        assert report["first_seen"] == before["first_seen"] and report["last_seen"] >= before["last_seen"]


def test_crawl_summary_printed_and_stored(crawled, db):
    _archive, first, _second, _snapshot = crawled
    summary = printed_summaries(first)["zibo_kjj"]
    assert (summary["reports"], summary["documents"], summary["documents_failed"]) == (6, 12, 0)
    runs = list(db["crawl_runs"].rows_where("spider = 'zibo_kjj'"))
    assert len(runs) == 2 and all(r["reports"] == 6 and r["finish_reason"] == "finished" for r in runs)


def test_datasette_serves_the_reports_with_chinese_metadata(crawled):
    archive = crawled[0]
    datasette = datasette_app(archive / "reports.db", archive)

    async def fetch():
        home = await datasette.client.get("/")
        rows = await datasette.client.get("/reports/reports.json?_shape=array&_sort=year&spider=zibo_kjj")
        facts = await datasette.client.get(
            "/reports/applications.json?_shape=array&row=new_received&applicant=total"
            "&_where=report_id in (select id from reports where spider = 'zibo_kjj')"
        )
        document = (await datasette.client.get(
            "/reports/documents.json?_shape=array&kind=pdf&_size=1&_where=report_id in "
            "(select id from reports where spider = 'zibo_kjj')"
        )).json()[0]
        original = await datasette.client.get("/" + document["archive_path"])
        whole_database = await datasette.client.get("/reports.db")
        return home, rows, facts, document, original, whole_database

    home, rows, facts, document, original, whole_database = asyncio.run(fetch())
    assert original.status_code == 200 and hashlib.sha256(original.content).hexdigest() == document["sha256"]
    assert whole_database.status_code == 200 and whole_database.content == (archive / "reports.db").read_bytes()
    assert home.status_code == 200 and "政府信息公开工作年度报告档案" in home.text
    assert [r["year"] for r in rows.json()] == YEARS
    assert sorted(f["value"] for f in facts.json()) == sorted(
        next(x["value"] for x in expected_facts(y)["applications"]
             if x["row"] == "new_received" and x["applicant"] == "total") for y in YEARS[1:]
    )
