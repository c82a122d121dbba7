"""Keep every byte the crawl received (report pages and attachments, failures included) and log its provenance."""

from __future__ import annotations

from crawler.archive import Archive
from crawler.items import Capture, ReportItem, utc_now


def capture_record(capture: Capture, sha256: str, **extra) -> dict:
    return {
        "type": "fetch",
        "at": capture.fetched_at,
        "url": capture.url,
        "request_url": capture.request_url,
        "status": capture.status,
        "headers": capture.headers,
        "content_type": capture.header("Content-Type"),
        "sha256": sha256,
        "size": len(capture.body),
        **extra,
    }


def archive_report(archive: Archive, item: ReportItem) -> None:
    """Store the page and every attachment body of `item`, and append their provenance records."""
    for document in item.documents:
        failure = vars(document.failure) if document.failure else None
        context = {"role": document.role, "spider": item.spider, "report_url": item.page_url, "failure": failure}
        if document.capture is None:
            archive.append_record({"type": "fetch", "at": utc_now(), "url": document.link.url, **context})
            continue
        document.sha256 = archive.store(document.capture.body)
        archive.append_record(
            capture_record(
                document.capture, document.sha256, link_text=document.link.text, filename=document.filename, **context
            )
        )
    archive.append_record(
        {
            "type": "report",
            "at": utc_now(),
            "spider": item.spider,
            "agency": item.agency,
            "title": item.title,
            "year": item.year,
            "page_url": item.page_url,
            "published": item.published,
            "page_sha256": item.page_document.sha256,
            "attachments": [
                {"url": d.link.url, "link_text": d.link.text, "sha256": d.sha256, "filename": d.filename}
                for d in item.documents
                if d.role == "attachment"
            ],
        }
    )


class ArchivePipeline:
    def __init__(self, archive_dir: str):
        self.archive = Archive(archive_dir)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings["ARCHIVE_DIR"])

    def process_item(self, item: ReportItem) -> ReportItem:
        archive_report(self.archive, item)
        return item
