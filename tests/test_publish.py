"""The Datasette instance on a small hand-made database: Chinese search of any length, the archived originals, the
report page, the chart, the feed and the download."""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
import resource
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import httpx
import pytest

from crawler.archive import Archive
from crawler.database import ReportDatabase
from crawler.items import AttachmentLink, Capture, Document, Failure
from crawler.publish import METADATA_PATH, ROOT, datasette_app, row_counts
from crawler.site_metadata import COMMAND, SourceError, build_metadata, metadata_text
from tests.test_database import applications_table, document, report

SECTION_TEXT = "本机关全年收到行政复议申请2件，行政诉讼1件，均已审结。营商环境相关信息及时公开。"
ORIGINAL = b"%PDF-1.4 the original bytes of the report"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A database of two reports of one agency (2020, 2021) whose attachment is archived, and Datasette over it."""
    root = tmp_path_factory.mktemp("publish")
    archive = Archive(root / "archive")
    database = ReportDatabase(root / "archive" / "reports.db")
    report_ids = {}
    for year, carried_over in [(2020, 0), (2021, 4)]:
        source = document(f"{year}.docx", f"docx {year}".encode(), "docx", year=year)
        source.extraction["sections"] = [
            {"number": 1, "heading": "一、总体情况", "text": f"{year}年，" + SECTION_TEXT},
            {"number": 4, "heading": "四、政府信息公开行政复议、行政诉讼情况", "text": "诉讼情况见下表。"},
        ]
        cells = {"new_received": 5, "carried_over": carried_over, "granted": 3, "total": 5, "carried_forward": 2}
        source.extraction["applications"] = applications_table({"natural_person": cells, "total": cells})
        pdf = Document(
            link=AttachmentLink(f"http://kjj.example.gov.cn/{year}.pdf", f"{year}年度报告.pdf"),
            capture=Capture("u", "u", 200, {"Content-Type": ["application/pdf"]}, ORIGINAL + str(year).encode(),
                            "2026-01-01T00:00:00+00:00"),
            filename=f"某某局{year}年政府信息公开工作年度报告.pdf", kind="pdf",
        )
        pdf.sha256 = archive.store(pdf.capture.body)
        item = report([source, pdf])
        item.year, item.page_url = year, f"http://kjj.example.gov.cn/art/{year}.html"
        item.title = f"某某局{year}年政府信息公开工作年度报告"
        item.region, item.level = "山东省淄博市", "市级"
        item.page_document.sha256 = archive.store(item.page.body)
        report_ids[year] = database.save_report(item)
    database.close()
    return datasette_app(root / "archive" / "reports.db", root / "archive"), report_ids


def get(datasette, path: str):
    return asyncio.run(datasette.client.get(path))


def test_trigram_search_with_facets(site):
    datasette, _ = site
    found = get(datasette, "/reports/report_text.json?_shape=objects&_search=营商环境").json()
    assert [(row["year"], row["number"]) for row in found["rows"]] == [(2020, 1), (2021, 1)]
    assert {f["value"] for f in found["facet_results"]["year"]["results"]} == {2020, 2021}
    assert {f["value"] for f in found["facet_results"]["region"]["results"]} == {"山东省淄博市"}
    titles = get(datasette, "/reports/reports.json?_shape=array&_search=2021年政府").json()
    assert [row["year"] for row in titles] == [2021]
    # Trigrams cannot find two characters: that is what search_characters is for.
    assert get(datasette, "/reports/report_text.json?_shape=objects&_search=复议").json()["rows"] == []


@pytest.mark.parametrize("term, sections", [("诉", 4), ("复议", 4), ("营商环境", 2), ("", 0), ("没有的词", 0)])
def test_search_characters_finds_terms_of_any_length(site, term, sections):
    datasette, _ = site
    response = get(datasette, f"/reports/search_characters.json?_shape=array&q={term}")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == sections
    assert all(term in row["上下文"] or term in row["部分"] for row in rows)


@pytest.mark.parametrize(
    "words, sections", [("诉 营商环境", 2), ("复议 均已审结", 2), ("营商环境 下表", 0), ("  诉   ", 4)]
)
def test_search_characters_finds_sections_holding_every_word(site, words, sections):
    datasette, _ = site
    rows = get(datasette, f"/reports/search_characters.json?_shape=array&q={words}").json()
    assert len(rows) == sections, rows
    # The context shown is around the first word.
    assert all(words.split()[0] in row["上下文"] for row in rows)


def test_one_search_box_sends_each_term_where_it_can_be_found(site):
    datasette, _ = site
    long_term = get(datasette, "/-/search?q=行政复议")
    assert long_term.status_code == 302
    assert unquote(long_term.headers["location"]) == "/reports/report_text?_search=行政复议"
    short_term = get(datasette, "/-/search?q=诉")
    assert unquote(short_term.headers["location"]) == "/reports/search_characters?q=诉"


def test_a_term_in_nearly_every_report_goes_to_the_quick_search(site, monkeypatch):
    datasette, _ = site
    # 营商环境 is in two sections of this small archive: as common here as 政府信息公开 is in a real one.
    monkeypatch.setattr("crawler.publish.COMMON_TERM_SECTIONS", 1)
    common = get(datasette, "/-/search?q=营商环境")
    assert unquote(common.headers["location"]) == "/reports/search_characters?q=营商环境"
    monkeypatch.setattr("crawler.publish.COMMON_TERM_SECTIONS", 2)
    rare = get(datasette, "/-/search?q=营商环境")
    assert unquote(rare.headers["location"]) == "/reports/report_text?_search=营商环境"
    # Terms that narrow each other go to the faceted search, whatever each term alone finds.
    monkeypatch.setattr("crawler.publish.COMMON_TERM_SECTIONS", 1)
    both = get(datasette, "/-/search?q=营商环境 均已审结")
    assert unquote(both.headers["location"]) == "/reports/search_characters?q=营商环境+均已审结"
    narrowed = get(datasette, "/-/search?q=营商环境 诉讼情况")
    assert unquote(narrowed.headers["location"]) == "/reports/report_text?_search=营商环境+诉讼情况"


def test_archived_original_is_served_with_its_type_and_name(site):
    datasette, report_ids = site
    (pdf,) = get(datasette, f"/reports/documents.json?_shape=array&kind=pdf&report_id={report_ids[2021]}").json()
    original = get(datasette, "/" + pdf["archive_path"])
    assert original.status_code == 200 and original.content == ORIGINAL + b"2021"
    assert hashlib.sha256(original.content).hexdigest() == pdf["sha256"]
    assert original.headers["content-type"] == "application/pdf"
    assert unquote(original.headers["content-disposition"]) == (
        "inline; filename*=UTF-8''某某局2021年政府信息公开工作年度报告.pdf")
    assert get(datasette, "/objects/00/00/" + "0" * 64).status_code == 404


def test_archived_web_pages_are_sandboxed(site):
    datasette, report_ids = site
    (page,) = get(datasette, f"/reports/documents.json?_shape=array&role=page&report_id={report_ids[2021]}").json()
    served = get(datasette, "/" + page["archive_path"])
    assert served.content == b"<html>page</html>" and served.headers["content-security-policy"] == "sandbox"


def test_report_page_links_original_page_archived_files_and_shows_the_printed_table(site):
    datasette, report_ids = site
    page = get(datasette, f"/reports/reports/{report_ids[2021]}")
    assert page.status_code == 200
    html = page.text
    assert "<h1>某某局2021年政府信息公开工作年度报告</h1>" in html
    assert 'href="http://kjj.example.gov.cn/art/2021.html"' in html
    pdf_sha256 = hashlib.sha256(ORIGINAL + b"2021").hexdigest()
    assert f'href="/objects/{pdf_sha256[:2]}/{pdf_sha256[2:4]}/{pdf_sha256}"' in html
    assert "二、上年结转政府信息公开申请数量" in html and "社会公益组织" in html
    assert "跨年度衔接" in html and "未通过" in html  # 2021 carries over 4, 2020 carried forward 2
    assert SECTION_TEXT in html


def test_cells_link_to_archived_originals_and_reports(site):
    datasette, report_ids = site
    documents = get(datasette, "/reports/documents?kind=pdf").text
    assert ">存档原件</a>" in documents
    breaks = get(datasette, "/reports/carryover_breaks").text
    assert f'<a href="/reports/reports/{report_ids[2021]}">' in breaks


def test_cells_a_query_names_like_archive_columns_cannot_inject_markup(site):
    """Any query's column named sha256, archive_path or report_id is made a link: a query URL that anyone can send
    must not put its own markup on this site's page through one."""
    datasette, _ = site
    crafted = """substr('"><img src=x onerror=alert(1)>' || hex(zeroblob(32)), 1, 64)"""
    columns = ", ".join(f"{value} as {column}" for column in ["sha256", "archive_path", "report_id"]
                        for value in [crafted, f"'objects/' || {crafted}"])
    page = get(datasette, "/reports?" + urlencode({"sql": f"select {columns}"}))
    assert page.status_code == 200 and "<img" not in page.text


def test_chart_draws_a_bar_per_year(site):
    datasette, _ = site
    html = get(datasette, "/reports/outcomes_by_year").text
    svg = html[html.index("<svg"): html.index("</svg>") + 6]
    assert svg.count("<title>2020 予以公开：3</title>") == 1 and svg.count("<title>2021 予以公开：3</title>") == 1


def test_atom_feed_of_new_reports(site):
    datasette, report_ids = site
    feed = get(datasette, "/reports/new_reports.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/xml")
    entries = ElementTree.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert sorted(e.find("{http://www.w3.org/2005/Atom}id").text for e in entries) == sorted(
        f"urn:gov-report-archive:report:{report_id}" for report_id in report_ids.values())


def test_home_page_search_box_and_ways_in(site):
    datasette, _ = site
    html = get(datasette, "/").text
    assert 'action="/-/search"' in html and "数字对不上的报告" in html and "/reports.db" in html
    assert "_memory" not in html


NOT_WEB_URLS = ["javascript:alert(1)", " JavaScript:alert(document.domain)", "data:text/html,<script>alert(1)</script>",
                "file:///etc/passwd"]
WEB_URLS = ["http://kjj.example.gov.cn/2021.docx", "HTTPS://kjj.example.gov.cn/2021.pdf"]


def link_schemes(page: str) -> set[str]:
    """The schemes of every link on an HTML page or in an Atom feed (the empty string for a link on this site)."""
    hrefs = re.findall(r"""href=["']([^"']*)["']""", page)
    return {urlsplit(html.unescape(href).strip()).scheme.lower() for href in hrefs}


def test_only_web_urls_become_links(tmp_path):
    """A crawled page may link anything, and a `javascript:` URL made into a link ran its script on this site: the
    report page, the tables, the queries and the feed link http(s) URLs only and show any other as text."""
    database = ReportDatabase(tmp_path / "reports.db")
    source = document("2021.docx", b"docx 2021", "docx", year=2021)
    source.link.url = WEB_URLS[0]
    not_fetched = [Document(link=AttachmentLink(url, "附件"), failure=Failure("refused", "not a web URL"))
                   for url in NOT_WEB_URLS[1:] + WEB_URLS[1:]]
    item = report([source, *not_fetched])
    item.page_url = NOT_WEB_URLS[0]
    report_id = database.save_report(item)
    database.close()
    datasette = datasette_app(tmp_path / "reports.db", tmp_path)

    report_page = get(datasette, f"/reports/reports/{report_id}").text
    for url in NOT_WEB_URLS:
        assert html.escape(url.strip()) in report_page  # shown, as text
    assert {f'href="{html.escape(url)}"' for url in WEB_URLS} <= set(re.findall(r'href="[^"]*"', report_page))
    pages = {path: get(datasette, path).text for path in [
        "/reports/reports", "/reports/documents", "/reports/failed_documents", "/reports/new_reports",
        "/reports/new_reports.atom"]}
    pages["report page"] = report_page
    assert {name: link_schemes(page) - {"", "http", "https"} for name, page in pages.items()} == {
        name: set() for name in pages}


def test_canned_queries_find_what_the_tables_hold(tmp_path):
    """checks_failed, changed_reports and carryover_breaks on a database made to hold one of each."""
    database = ReportDatabase(tmp_path / "reports.db")

    def save(page: str, attachment: str, year: int, cells: dict | None, published: str, seen_at: str,
             checks_pass: bool = True) -> str:
        source = document(attachment, attachment.encode(), "docx", year=year, checks_pass=checks_pass)
        source.extraction["applications"] = applications_table({"total": cells}) if cells else []
        item = report([source])
        item.year, item.published, item.title = year, published, f"某某局{year}年政府信息公开工作年度报告"
        item.page_url = f"http://kjj.example.gov.cn/art/{page}.html"
        return database.save_report(item, seen_at=seen_at)

    balanced = {"new_received": 5, "carried_over": 0, "total": 3, "carried_forward": 2}
    report_2020 = save("a", "2020.docx", 2020, balanced, "2021-01-20", "2026-01-01T00:00:00+00:00")
    report_2021 = save("b", "2021.docx", 2021, {**balanced, "carried_over": 4, "total": 7}, "2022-01-20",
                       "2026-01-01T00:00:00+00:00", checks_pass=False)
    # The 2020 report's file replaced on the site: a second version of the same report.
    save("a", "2020-corrected.docx", 2020, balanced, "2021-01-20", "2026-03-01T00:00:00+00:00")
    # A later notice about 2020 without tables: not the report the 2021 carryover is compared with.
    save("c", "2020-notice.docx", 2020, None, "2021-06-01", "2026-01-01T00:00:00+00:00")
    database.close()
    datasette = datasette_app(tmp_path / "reports.db", tmp_path)

    def rows(name: str) -> list[dict]:
        return get(datasette, f"/reports/{name}.json?_shape=objects").json()["rows"]

    assert [(r["report_id"], r["核对项代码"]) for r in rows("checks_failed")] == [(report_2021, "applications_balance")]
    (changed,) = rows("changed_reports")
    assert (changed["report_id"], changed["版本"]) == (report_2020, 2)
    assert changed["各版本首次抓取"] == "第1版 2026-01-01T00:00:00+00:00；第2版 2026-03-01T00:00:00+00:00"
    (carryover_break,) = rows("carryover_breaks")
    assert (carryover_break["report_id"], carryover_break["previous_report_id"]) == (report_2021, report_2020)
    assert "total: carried_over 4 != carried_forward 2 of the 2020 report" in carryover_break["说明"]


def test_datasette_metadata_json_is_what_site_generates():
    assert METADATA_PATH.read_text(encoding="utf-8") == metadata_text(), (
        f"datasette_metadata.json is not what site/metadata.yaml and site/queries/ generate: run `{COMMAND}`"
    )


def test_a_canned_query_is_an_sql_file_with_a_header(tmp_path):
    (tmp_path / "queries").mkdir()
    (tmp_path / "metadata.yaml").write_text("title: 档案\ndatabases:\n  reports:\n    queries: [second, first]\n")
    (tmp_path / "queries" / "first.sql").write_text("-- title: 第一\n\nselect 1\n")
    (tmp_path / "queries" / "second.sql").write_text(
        "-- hide_sql: true\n-- description: 按年度\n-- params: [year]\n-- title: 第二\n\n"
        "-- the SQL's own comment\nselect :year\n"
    )
    queries = build_metadata(tmp_path)["databases"]["reports"]["queries"]
    assert list(queries) == ["second", "first"]  # as listed: the order the pages show them
    assert list(queries["second"].items()) == [
        ("title", "第二"), ("description", "按年度"), ("sql", "-- the SQL's own comment\nselect :year"),
        ("hide_sql", True), ("params", ["year"]),
    ]
    (tmp_path / "queries" / "third.sql").write_text("-- title: 第三\n\nselect 3\n")
    with pytest.raises(SourceError, match="does not list: \\['third.sql'\\]"):
        build_metadata(tmp_path)
    (tmp_path / "queries" / "third.sql").unlink()
    (tmp_path / "queries" / "first.sql").write_text("select 1\n")
    with pytest.raises(SourceError, match="first.sql: expected `-- key: value` header lines"):
        build_metadata(tmp_path)


def test_table_counts_are_taken_once_at_start_and_shown_on_unfiltered_pages(site):
    datasette, _ = site
    path = datasette.get_database("reports").path
    counts = row_counts(path)["tables"]
    assert counts["applications"] == {"count": 20} and counts["reports"] == {"count": 2}  # 2 reports × 2 × 5 cells
    assert counts["sections_fts"] == {"count": None}  # a search index: not counted, as Datasette leaves it
    assert datasette.inspect_data["reports"]["tables"] == counts
    assert get(datasette, "/reports/applications.json").json()["filtered_table_rows_count"] == 20
    filtered = get(datasette, "/reports/applications.json?applicant=total").json()
    assert filtered["filtered_table_rows_count"] == 10  # a filtered page counts its own rows


# The served site starts at about 115 MB; SQLite may take 256 MB of it for queries; before the limits one query took
# it to gigabytes. The address space cap stops a query the limits miss before it takes the machine.
SERVER_ADDRESS_SPACE = 3 * 2**30
SERVER_PEAK_RSS = 2**30
# A small page answers in some 20 ms; generous for a shared 2-core machine, and well short of the seconds a huge
# result kept the server busy before the limits.
SMALL_REQUEST_SECONDS = 2.0
SMALL_REQUEST = "/reports/reports.json?_shape=array&_size=1"
NUMBERS = "with recursive n(i) as (select 1 union all select i + 1 from n limit {})"
HOSTILE_QUERIES = {
    "one huge value": "select randomblob(1000000000)",
    "a string grown row by row": NUMBERS.format(100_000) + " select length(group_concat(hex(zeroblob(5000)))) from n",
    "a huge sort": NUMBERS.format(100_000) + " select zeroblob(10000), i from n order by i desc",
    "huge rows": NUMBERS.format(1000) + " select zeroblob(9000000) from n",
}


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    """`python -m crawler serve` over the small database, in a process of its own: requests are concurrent as
    visitors' are, and what a query takes is that process's memory. Yields its URL and process ID."""
    datasette, _ = site
    db_path = Path(datasette.get_database("reports").path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("served") / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "crawler", "serve", "--db", str(db_path), "--archive", str(db_path.parent),
             "--port", str(port)],
            cwd=ROOT, stdout=log_file, stderr=log_file,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (SERVER_ADDRESS_SPACE,) * 2),
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not answers(url + SMALL_REQUEST):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield url, server.pid
    finally:
        server.kill()
        server.wait()


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def peak_rss(pid: int) -> int:
    """The most memory the process has held, in bytes (Linux's VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text()
    (kilobytes,) = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(kilobytes) * 1024


@pytest.mark.parametrize("sql", HOSTILE_QUERIES.values(), ids=HOSTILE_QUERIES.keys())
def test_a_huge_query_fails_clearly_while_other_visitors_are_answered(served, sql):
    url, pid = served
    hostile = {}

    def run_hostile():
        hostile["response"] = httpx.get(url + "/reports.json", params={"sql": sql}, timeout=60)

    thread = threading.Thread(target=run_hostile)
    thread.start()
    small_seconds = []
    while thread.is_alive() or not small_seconds:
        started = time.monotonic()
        assert httpx.get(url + SMALL_REQUEST, timeout=60).status_code == 200
        small_seconds.append(time.monotonic() - started)
    thread.join()
    assert max(small_seconds) < SMALL_REQUEST_SECONDS, small_seconds
    assert peak_rss(pid) < SERVER_PEAK_RSS
    response = hostile["response"]
    assert response.status_code == 400 and "超过上限" in response.json()["error"], response.text[:300]
