import pytest

from tests.crawling import CrawledReplica, open_database, run_crawl


@pytest.fixture(scope="session")
def crawled_replica(tmp_path_factory) -> CrawledReplica:
    """Every spider crawls the whole replica web twice into one fresh archive; the second crawl must change
    nothing but last-seen times. Session-scoped: the crawls are the slowest part of the suite."""
    archive = tmp_path_factory.mktemp("replica-crawl") / "archive"
    first = run_crawl(archive)
    db = open_database(archive)
    after_first = {
        "objects": sorted(p.name for p in (archive / "objects").rglob("*") if p.is_file()),
        "reports": {row["id"]: row for row in db["reports"].rows},
    }
    db.close()
    second = run_crawl(archive)
    return CrawledReplica(archive, first, second, after_first)


@pytest.fixture(scope="session")
def replica_db(crawled_replica):
    db = open_database(crawled_replica.archive)
    yield db
    db.close()
