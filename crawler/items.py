"""What spiders yield and pipelines fill in.

A spider yields one `ReportItem` per annual-report page it finds: what the page says about the report and the
links to its attachments. Its `documents` start with the page itself; the pipelines add the downloaded
attachments, archive every byte, extract the facts and write the database, each adding to the same item.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from scrapy.http import Response


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


@dataclass
class Capture:
    """One HTTP response exactly as received: what the archive keeps, with its provenance."""

    url: str  # the URL that answered (after redirects)
    request_url: str  # the URL that was asked for
    status: int
    headers: dict[str, list[str]]  # header values decoded as latin-1, so the original bytes are recoverable
    body: bytes
    fetched_at: str

    @classmethod
    def from_response(cls, response: Response) -> "Capture":
        headers = {
            key.decode("latin-1"): [value.decode("latin-1") for value in values]
            for key, values in response.headers.items()
        }
        redirected_from = response.request.meta.get("redirect_urls", []) if response.request else []
        return cls(
            url=response.url,
            request_url=redirected_from[0] if redirected_from else response.url,
            status=response.status,
            headers=headers,
            body=response.body,
            fetched_at=utc_now(),
        )

    def header(self, name: str) -> str | None:
        for key, values in self.headers.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None


@dataclass
class AttachmentLink:
    url: str
    text: str  # the anchor text: often the only place the document's real name appears


@dataclass
class Failure:
    """Why something could not be fetched or read. `kind` is a short stable word, for facets and counts."""

    kind: str  # http_404, timeout, not_a_document, unreadable, too_large, … (see pipelines.fetch and .extract)
    message: str


@dataclass
class Document:
    """One attachment of a report, as fetched, archived and extracted."""

    link: AttachmentLink
    capture: Capture | None = None
    role: str = "attachment"  # or "page": the report page itself, which may hold the whole report
    filename: str | None = None
    sha256: str | None = None
    kind: str | None = None  # pdf, docx, … as the bytes say, not the URL
    extraction: dict | None = None
    failure: Failure | None = None


@dataclass
class ReportItem:
    spider: str
    agency: str
    title: str
    year: int | None
    page_url: str
    published: str | None  # ISO date the site gives
    page: Capture
    attachments: list[AttachmentLink] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    region: str = ""  # where the agency sits, e.g. 山东省淄博市 (the spider's `region`)
    level: str = ""  # its administrative level, e.g. 市级, 区县级 (the spider's `level`, or the unit's on a portal)
    # The platform's own id of the publishing body, where it has one (a Hanweb 信息公开 unit's area code, often its
    # 统一社会信用代码; a gkmlpt organisation id): what identifies the agency across renamings.
    unit_code: str = ""

    def __post_init__(self) -> None:
        # The page is the report's first document: some reports exist only as the page's HTML.
        if not any(document.role == "page" for document in self.documents):
            page = Document(link=AttachmentLink(self.page_url, self.title), capture=self.page, role="page")
            self.documents.insert(0, page)

    @property
    def page_document(self) -> Document:
        return next(document for document in self.documents if document.role == "page")
