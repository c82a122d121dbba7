"""datasette_metadata.json, generated from the readable sources in site/ by `python -m crawler metadata`.

- site/metadata.yaml: Datasette's metadata (titles, descriptions, facets, column descriptions), except that a
  database's `queries` is a list of names, in the order the pages list the queries.
- site/queries/<name>.sql: one canned query. A header of `-- key: value` lines (YAML) gives its title, description
  and any of Datasette's options for it (params, hide_sql, fragment…); a blank line; then the SQL, as it is run.

The generated file is committed and is what Datasette serves (crawler.publish loads it); a test fails when it is not
what the sources generate.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from crawler.publish import METADATA_PATH, SITE_PATH

COMMAND = "python -m crawler metadata"


class SourceError(ValueError):
    """A source in site/ that does not make metadata: the message names the file and what is wrong."""


def build_metadata(site: Path = SITE_PATH) -> dict:
    """The metadata site/metadata.yaml and site/queries/ describe."""
    source = site / "metadata.yaml"
    metadata = yaml.safe_load(source.read_text(encoding="utf-8"))
    listed = []
    for database in metadata.get("databases", {}).values():
        names = database.get("queries")
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise SourceError(f"{source}: queries is a list of names, each of a file queries/<name>.sql")
        database["queries"] = {name: read_query(site / "queries" / f"{name}.sql") for name in names}
        listed += names
    twice = sorted({name for name in listed if listed.count(name) > 1})
    unlisted = sorted(path.name for path in (site / "queries").glob("*.sql") if path.stem not in listed)
    if twice:
        raise SourceError(f"{source}: queries listed twice: {twice}")
    if unlisted:
        raise SourceError(f"{source}: queries/ holds queries it does not list: {unlisted}")
    return metadata


def read_query(path: Path) -> dict:
    """A canned query from its .sql file: title and description, the SQL, then the header's other options."""
    if not path.is_file():
        raise SourceError(f"{path}: no such file, yet the query is listed in metadata.yaml")
    header, _, sql = path.read_text(encoding="utf-8").partition("\n\n")
    lines = header.splitlines()
    if not all(line.startswith("--") for line in lines) or not sql.strip():
        raise SourceError(f"{path}: expected `-- key: value` header lines, a blank line, then the SQL")
    options = yaml.safe_load("\n".join(line[2:].removeprefix(" ") for line in lines))
    if not isinstance(options, dict) or not options.get("title") or "sql" in options:
        raise SourceError(f"{path}: the header needs a title, and the SQL goes after it, not in it")
    described = {key: options.pop(key) for key in ("title", "description") if key in options}
    return {**described, "sql": sql.strip(), **options}


def metadata_text(site: Path = SITE_PATH) -> str:
    """datasette_metadata.json as the sources in `site` generate it."""
    return json.dumps(build_metadata(site), ensure_ascii=False, indent=2) + "\n"


def is_current(generated: Path = METADATA_PATH, site: Path = SITE_PATH) -> bool:
    return generated.is_file() and generated.read_text(encoding="utf-8") == metadata_text(site)


def write(generated: Path = METADATA_PATH, site: Path = SITE_PATH) -> None:
    generated.write_text(metadata_text(site), encoding="utf-8")
