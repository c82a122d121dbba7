"""Command line: `python -m crawler {replica,crawl,discover,extract,rebuild,publish,serve,metadata} …` (see --help of
each)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from crawler.runlock import BUSY_EXIT_STATUS, ArchiveBusy, hold_run_lock

DEFAULT_ARCHIVE = "archive"
EXIT_STATUSES = f"""exit status: 0 done; 1 failed (crawl: a spider found no report or did not finish); 2 wrong
command line; {BUSY_EXIT_STATUS} busy: another crawl, rebuild or publish holds the archive's lock (nothing was done)"""


def _replica_server(host: str, port: int, access_log: str | None = None):
    from replica.server import ReplicaServer
    from replica.sites import replica_web

    return ReplicaServer(replica_web(), host, port, Path(access_log) if access_log else None)


def cmd_replica(args) -> int:
    server = _replica_server(args.host, args.port)
    print(f"replica web listening as an HTTP(S) proxy on {server.proxy_url}", flush=True)
    print(f"  e.g. curl --proxy {server.proxy_url} http://kjj.zibo.gov.cn/col/col18932/index.html", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def crawl_archive(args) -> str:
    """The archive a crawl with these arguments writes: ARCHIVE_DIR as cmd_crawl's settings will hold it (the last
    `-s ARCHIVE_DIR=`, else --archive, else the settings module's), read without importing Scrapy, which takes a
    second or more: a crawl that finds the archive busy stops before anything slow."""
    given = [value for name, _, value in (a.partition("=") for a in args.set) if name == "ARCHIVE_DIR"]
    if given:
        return given[-1]
    if args.archive:
        return args.archive
    return importlib.import_module(os.environ.get("SCRAPY_SETTINGS_MODULE", "crawler.settings")).ARCHIVE_DIR


def cmd_crawl(args) -> int:
    hold_run_lock(crawl_archive(args), "crawl")  # before anything starts; when busy: ArchiveBusy, see main()
    replica = None
    if args.replica:
        replica = _replica_server("127.0.0.1", 0, args.replica_log)
        replica.start_in_thread()
        args.proxy = replica.proxy_url
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")

    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.database import ReportDatabase, database_path
    from crawler.schema import OutdatedDatabase
    from crawler.site_queue import crawl_sites
    from crawler.sites import SitesFileError

    settings = get_project_settings()
    # The options are settings too; a -s of the same name, given explicitly, wins.
    options = {"CRAWL_PROXY": args.proxy, "ARCHIVE_DIR": args.archive, "DATABASE_PATH": args.db,
               "SITES_FILE": args.sites}
    for name, value in options.items():
        if value:
            settings.set(name, value, priority="cmdline")
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        settings.set(name, value, priority="cmdline")
    try:
        process = CrawlerProcess(settings)
    except SitesFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    names = args.spiders or sorted(process.spider_loader.list())
    unknown = sorted(set(names) - set(process.spider_loader.list()))
    if unknown:
        print(f"error: no such spider: {', '.join(unknown)} (see `scrapy list`)", file=sys.stderr)
        return 2
    try:  # before crawling: a new database is created, one of another schema refused in one line
        ReportDatabase(database_path(settings)).close()
    except OutdatedDatabase as exc:
        print(f"error: {exc}", file=sys.stderr)
        if replica is not None:
            replica.shutdown()
        return 1
    crawlers, cancelled = crawl_sites(process, names, settings.getint("CONCURRENT_SITES"))
    process.start()
    if replica is not None:
        replica.shutdown()
    publish(database_path(settings), settings["ARCHIVE_DIR"])  # what the spiders wrote, whether or not they all did

    exit_status = 0
    print("\ncrawl summary")
    for crawler in crawlers:
        summary = crawler.stats.get_value("summary") or {"spider": crawler.spider.name, "reports": 0}
        print(json.dumps(summary, ensure_ascii=False))
        if summary.get("reports", 0) == 0 or summary.get("finish_reason") != "finished":
            exit_status = 1  # a site that yields nothing is broken (layout change, block): make cron notice
    for name in cancelled:
        print(json.dumps({"spider": name, "finish_reason": "not started: the crawl was stopped", "reports": 0},
                         ensure_ascii=False))
        exit_status = 1
    return exit_status


def cmd_discover(args) -> int:
    import csv
    import dataclasses

    import requests
    from scrapy.http import HtmlResponse
    from w3lib.url import canonicalize_url

    from crawler import settings
    from crawler.discovery import discover, proposed_site
    from crawler.sites import COLUMNS, SitesFileError, read_sites

    sites_file = args.sites or settings.SITES_FILE
    try:
        existing = read_sites(sites_file)
    except SitesFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    keys = {site.key for site in existing}
    entry_urls = {canonicalize_url(url): site.key for site in existing for url in site.entry_urls}
    proxies = {"http": args.proxy, "https": args.proxy} if args.proxy else None

    def fetch(url: str) -> HtmlResponse:
        answer = requests.get(url, proxies=proxies, timeout=args.timeout, verify=False,
                              headers={"User-Agent": settings.USER_AGENT})
        answer.raise_for_status()
        return HtmlResponse(url=answer.url, body=answer.content,
                            headers={"Content-Type": answer.headers.get("Content-Type", "text/html")})

    requests.packages.urllib3.disable_warnings()  # certificates are not checked, as in the crawl (see discovery)
    rows, status = [], 0
    for homepage in args.urls:
        try:
            proposals = discover(homepage, fetch)
        except requests.RequestException as exc:
            print(f"# {homepage}: cannot read the homepage: {exc}")
            status = 1
            continue
        for proposal in proposals:
            print(f"# {homepage}")
            for reason in proposal.reasons:
                print(f"#   {reason}")
            entry_url = canonicalize_url(proposal.entry_url)
            if entry_url in entry_urls:
                print(f"#   already in {sites_file} as {entry_urls[entry_url]}: not added")
                continue
            site = proposed_site(proposal, keys)
            keys.add(site.key)
            entry_urls[entry_url] = site.key
            row = {**dataclasses.asdict(site), "entry_urls": " ".join(site.entry_urls)}
            rows.append([row[column] for column in COLUMNS])
            csv.writer(sys.stdout, lineterminator="\n").writerow(rows[-1])
    if args.add and rows:
        with open(sites_file, "a", encoding="utf-8", newline="") as file:
            csv.writer(file, lineterminator="\n").writerows(rows)
        print(f"# added {len(rows)} rows to {sites_file}")
    return status


def cmd_extract(args) -> int:
    from crawler import settings
    from crawler.extract import ExtractionError, ExtractionWorker, UnreadableDocument

    worker = ExtractionWorker(args.memory_limit or settings.EXTRACT_MEMORY_LIMIT_MB,
                              args.timeout or settings.EXTRACT_TIMEOUT)
    try:
        result = worker.extract(Path(args.file).read_bytes(), Path(args.file).name)
    except (UnreadableDocument, OSError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1
    except ExtractionError as exc:  # a reader's bug on an odd file: one line, as for an unreadable one
        print(f"error: {args.file}: unexpected {exc}", file=sys.stderr)
        return 1
    finally:
        worker.close()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=None if args.compact else 2)
    sys.stdout.write("\n")
    return 0


def cmd_rebuild(args) -> int:
    from crawler.rebuild import IncompleteArchive, rebuild_database

    db = args.db or os.path.join(args.archive, "reports.db")
    # It replaces reports.db when done: a crawl still writing the replaced file would lose its rows. A folder that is
    # not there has no crawl to wait for, and rebuild says what it lacks.
    if Path(args.archive).is_dir():
        hold_run_lock(args.archive, "rebuild")
    try:
        summary = rebuild_database(args.archive, db)
    except IncompleteArchive as exc:
        print(f"error: the archive is incomplete: {exc}", file=sys.stderr)
        return 1
    print(f"rebuilt {db} from {args.archive}: {summary.reports} report sightings, {summary.documents} documents re-read")
    if summary.damaged_lines:
        print(f"warning: skipped {summary.damaged_lines} record lines that were not whole records", file=sys.stderr)
    return 0


def publish(database: str, archive: str) -> None:
    from crawler.published import publish_database, published_path

    publish_database(database, published_path(archive))
    print(f"published {database} as {published_path(archive)}")


def cmd_publish(args) -> int:
    db = args.db or os.path.join(args.archive, "reports.db")
    if not Path(db).is_file():
        print(f"error: no database at {db}; run `python -m crawler crawl` first", file=sys.stderr)
        return 1
    hold_run_lock(args.archive, "publish")
    publish(db, args.archive)
    return 0


def cmd_serve(args) -> int:
    from crawler.published import published_path

    db = args.db or str(published_path(args.archive))
    if not Path(db).exists():
        print(f"error: no database at {db}; run `python -m crawler crawl` first", file=sys.stderr)
        return 1
    import uvicorn

    from crawler.publish import datasette_app

    print(f"Datasette: http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(datasette_app(db, args.archive).app(), host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_metadata(args) -> int:
    from crawler.site_metadata import COMMAND, METADATA_PATH, SourceError, is_current, write

    try:
        if args.check:
            if is_current():
                return 0
            print(f"error: {METADATA_PATH.name} is not what site/ generates; run `{COMMAND}`", file=sys.stderr)
            return 1
        write()
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {METADATA_PATH.name} from site/metadata.yaml and site/queries/")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crawler", description="Archive of 政府信息公开工作年度报告: crawl, archive, extract, publish.",
        epilog=EXIT_STATUSES,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    replica = commands.add_parser("replica", help="serve the replica web (local copies of the sites) as an HTTP proxy")
    replica.add_argument("--host", default="127.0.0.1")
    replica.add_argument("--port", type=int, default=8899)
    replica.set_defaults(run=cmd_replica)

    crawl = commands.add_parser(
        "crawl", help="run spiders through the pipelines (every site by default), then publish the database",
        description="Crawl, archive, extract and write ARCHIVE/reports.db, then publish it as ARCHIVE/published.db "
                    "(what `serve` shows). One run at a time: a crawl, rebuild or publish of the same archive already "
                    f"running makes this one stop at once with exit status {BUSY_EXIT_STATUS}.",
        epilog=EXIT_STATUSES,
    )
    crawl.add_argument("spiders", nargs="*", metavar="KEY", help="sites to crawl, by key (default: every site)")
    crawl.add_argument("--sites", metavar="FILE", help="the sites file (default: the SITES_FILE setting, sites.csv)")
    crawl.add_argument("--proxy", help="send every request through this HTTP proxy (e.g. a running replica)")
    crawl.add_argument("--replica", action="store_true", help="start the replica web in-process and crawl it")
    crawl.add_argument("--replica-log", help="with --replica: append every request the replica answers to this file")
    crawl.add_argument("--archive", help="archive directory (default: the ARCHIVE_DIR setting, archive)")
    crawl.add_argument("--db", help="database path (default: the DATABASE_PATH setting, else ARCHIVE/reports.db)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="override a setting")
    crawl.set_defaults(run=cmd_crawl)

    discover = commands.add_parser(
        "discover", help="detect each homepage's platform and annual-report entry points; print the sites.csv rows")
    discover.add_argument("urls", nargs="+", metavar="URL", help="portal homepages")
    discover.add_argument("--proxy", help="fetch through this HTTP proxy (e.g. a running replica)")
    discover.add_argument("--add", action="store_true", help="append the rows to the sites file")
    discover.add_argument("--sites", metavar="FILE", help="the sites file (default: the SITES_FILE setting, sites.csv)")
    discover.add_argument("--timeout", type=float, default=30, help="seconds per page (default: %(default)s)")
    discover.set_defaults(run=cmd_discover)

    extract = commands.add_parser("extract", help="extract one document; print the contract JSON")
    extract.add_argument("file")
    extract.add_argument("--compact", action="store_true", help="one line of JSON")
    extract.add_argument("--memory-limit", type=int, metavar="MB",
                         help="memory ceiling of the extraction (default: the crawl's EXTRACT_MEMORY_LIMIT_MB)")
    extract.add_argument("--timeout", type=float, metavar="SECONDS",
                         help="time limit of the extraction (default: the crawl's EXTRACT_TIMEOUT)")
    extract.set_defaults(run=cmd_extract)

    rebuild = commands.add_parser(
        "rebuild", help="rebuild the database from the archive alone, re-extracting every archived original",
        description="Write ARCHIVE/reports.db anew from the archive; `publish` then serves it.", epilog=EXIT_STATUSES,
    )
    rebuild.add_argument("--archive", default=DEFAULT_ARCHIVE, help="archive directory (default: %(default)s)")
    rebuild.add_argument("--db", help="database to write (default: ARCHIVE/reports.db; replaced when complete)")
    rebuild.set_defaults(run=cmd_rebuild)

    publish_command = commands.add_parser(
        "publish", help="publish the database: copy ARCHIVE/reports.db whole over ARCHIVE/published.db",
        description="Copy the database as one snapshot and rename it over ARCHIVE/published.db; a running `serve` "
                    "serves it from its next requests (crawl does this when it ends).", epilog=EXIT_STATUSES,
    )
    publish_command.add_argument("--archive", default=DEFAULT_ARCHIVE, help="archive directory (default: %(default)s)")
    publish_command.add_argument("--db", help="database to publish (default: ARCHIVE/reports.db)")
    publish_command.set_defaults(run=cmd_publish)

    serve = commands.add_parser("serve", help="serve the published database with Datasette")
    serve.add_argument("--archive", default=DEFAULT_ARCHIVE)
    serve.add_argument("--db", help="database path (default: ARCHIVE/published.db, replaced by each publish)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    serve.set_defaults(run=cmd_serve)

    metadata = commands.add_parser(
        "metadata", help="write datasette_metadata.json from site/metadata.yaml and the queries in site/queries/"
    )
    metadata.add_argument("--check", action="store_true", help="write nothing; fail if the file is not up to date")
    metadata.set_defaults(run=cmd_metadata)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ArchiveBusy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return BUSY_EXIT_STATUS


if __name__ == "__main__":
    sys.exit(main())
