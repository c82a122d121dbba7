"""Paths and the proxy are Scrapy settings: `-s` reaches them like any other setting, for Scrapy's requests and the
browser's alike, from our command line and from Scrapy's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from replica.server import ReplicaServer
from replica.sites import replica_web
from tests.crawling import ROOT, TEST_CRAWL_SETTINGS

pytestmark = pytest.mark.e2e
SCRAPY = str(Path(sys.executable).with_name("scrapy"))


@pytest.mark.parametrize(
    "program, spiders",
    [
        # zibo_kjj goes through Scrapy's downloader, zibo_gxq through the browser (its list needs JavaScript).
        ([sys.executable, "-m", "crawler", "crawl"], ["zibo_kjj", "zibo_gxq"]),
        ([SCRAPY, "crawl"], ["zibo_kjj"]),
    ],
    ids=["python -m crawler crawl", "scrapy crawl"],
)
def test_dash_s_sets_the_proxy_the_archive_and_the_database(tmp_path, program, spiders):
    server = ReplicaServer(replica_web())
    server.start_in_thread()
    archive, database = tmp_path / "elsewhere", tmp_path / "published" / "reports.db"
    database.parent.mkdir()
    settings = {**TEST_CRAWL_SETTINGS, "CRAWL_PROXY": server.proxy_url, "ARCHIVE_DIR": str(archive),
                "DATABASE_PATH": str(database)}
    command = [*program, *spiders]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    try:
        # From elsewhere: nothing may land in a default archive/ of the working directory.
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                                env={**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    db = sqlite_utils.Database(database)
    reports = dict(db.execute("select spider, count(*) from reports group by spider").fetchall())
    db.close()
    assert sorted(reports) == sorted(spiders) and min(reports.values()) >= 4  # the proxy reached the replica
    assert any(path.is_file() for path in (archive / "objects").rglob("*"))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["elsewhere", "published"]
