"""Attachment responses: filenames however servers encode them, and bodies that are not the document."""

from urllib.parse import quote

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy.exceptions import DownloadTimeoutError
from twisted.internet.error import TimeoutError

from crawler.attachments import (
    attachment_failure,
    attachment_filename,
    failure_from_exception,
    filename_from_content_disposition,
    safe_filename,
)
from crawler.items import Capture, Failure

NAME = "淄博市科学技术局2020年政府信息公开工作年度报告.docx"
URL = "https://www.china-zibo.gov.cn/gongkai/attachment/bf97f4a4414d7873a6eb0dfb.pdf"


def capture(body=b"%PDF-1.7 ...", status=200, url="http://x.gov.cn/module/download/downfile.jsp?filename=ab12.pdf",
            **headers):
    return Capture(url=url, request_url=url, status=status, body=body, fetched_at="2026-01-01T00:00:00+00:00",
                   headers={k.replace("_", "-"): [v] for k, v in headers.items()})


def as_received(raw: bytes) -> str:
    # Scrapy hands header bytes over undecoded; Capture keeps them as latin-1 text, one char per byte.
    return raw.decode("latin-1")


@pytest.mark.parametrize(
    "header",
    [
        b'attachment; filename="' + NAME.encode("gbk") + b'"',
        b"attachment; filename*=UTF-8''" + quote(NAME).encode(),
        b'attachment; filename="' + quote(NAME).encode() + b'"',
        b'attachment; filename="' + NAME.encode("utf-8") + b'"',
        b"attachment; filename=" + NAME.encode("gbk"),
    ],
    ids=["raw-gbk", "rfc5987", "percent-utf8", "raw-utf8", "unquoted-gbk"],
)
def test_content_disposition_filename_in_every_encoding(header):
    assert filename_from_content_disposition(as_received(header)) == NAME


def test_no_filename_in_header():
    assert filename_from_content_disposition("inline") is None
    assert filename_from_content_disposition(None) is None


@pytest.mark.parametrize(
    "hostile, expected",
    [("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), ("/abs/报告.pdf", "报告.pdf"),
     ("..", None), ("a\x00b\r\n.pdf", "ab.pdf")],
)
def test_safe_filename_never_keeps_a_path(hostile, expected):
    assert safe_filename(hostile) == expected


def test_filename_prefers_header_then_link_text_then_url():
    header = as_received(b'attachment; filename="' + NAME.encode("gbk") + b'"')
    assert attachment_filename(capture(Content_Disposition=header), "下载") == NAME
    assert attachment_filename(capture(), "报告全文.pdf") == "报告全文.pdf"
    assert attachment_filename(capture(url="http://x.gov.cn/attach/P0202101.pdf"), "点击下载") == "P0202101.pdf"
    hostile = as_received(b'attachment; filename="../../../outside.pdf"')
    assert attachment_filename(capture(Content_Disposition=hostile), "") == "outside.pdf"


def test_document_bodies_pass():
    assert attachment_failure(capture(body=b"%PDF-1.4\n...")) is None
    assert attachment_failure(capture(body=b"PK\x03\x04...")) is None


@pytest.mark.parametrize(
    "response, kind",
    [
        (capture(body=b"<!DOCTYPE html><html><body>\xe7\xb3\xbb\xe7\xbb\x9f\xe7\xb9\x81\xe5\xbf\x99</body></html>"),
         "not_a_document"),
        (capture(body=b"  \n<html><head><title>error</title></head></html>"), "not_a_document"),
        (capture(status=404, body=b"<html>404</html>"), "http_404"),
        (capture(status=500, body=b"oops"), "http_500"),
        (capture(body=b""), "empty"),
        (capture(status=412, body=b"<html><script>var $_ts=window['$_ts'];</script></html>"), "waf_challenge"),
        (capture(status=521, body=b"<script>document.cookie='__jsl_clearance=1';location.reload()</script>"),
         "waf_challenge"),
        (capture(body=b"<script>document.cookie='acw_sc__v2=abc';location.reload();</script>"), "waf_challenge"),
    ],
    ids=["html-200", "html-200-leading-space", "404", "500", "empty", "412-ruishu", "521-jsl", "200-aliyun"],
)
def test_responses_that_are_not_the_document_are_named(response, kind):
    failure = attachment_failure(response)
    assert failure is not None and failure.kind == kind and failure.message


@pytest.mark.parametrize(
    ("exception", "message"),
    [
        (DownloadTimeoutError(f"Getting {URL} took longer than 5.0 seconds."), f"no answer within 5 s from {URL}"),
        (PlaywrightTimeoutError('Timeout 30000ms exceeded.\nwaiting for locator("#list li a[href]")'),
         f"no answer within 30 s from {URL}"),
        (TimeoutError(), f"no answer in time from {URL}"),
    ],
    ids=["scrapy", "playwright", "twisted"],
)
def test_a_timeout_says_how_long_it_waited(exception, message):
    assert failure_from_exception(exception, URL) == Failure("timeout", message)
