"""The saved pages under tests/pages/ are exactly what the replica answers to their declared requests (the two
JavaScript-rendered zibo_gxq lists through Chromium, a few seconds), and every file there is declared: a change to
the replica or a document that the spider tests would not see fails here instead."""

import difflib

import pytest

from tests.saved_pages import PAGES, SAVED_PAGES, SavedPage, regenerated

REGENERATE = "run `make pages` to regenerate tests/pages/ from the replica, then review `git diff tests/pages`"


@pytest.fixture(scope="module")
def replica_pages():
    return regenerated(SAVED_PAGES)


def first_differences(saved: bytes, fresh: bytes, lines: int = 12) -> str:
    """The start of a line diff, enough to see what changed (GBK pages show as replacement characters)."""
    saved_lines, fresh_lines = (text.decode(errors="replace").splitlines() for text in (saved, fresh))
    diff = difflib.unified_diff(saved_lines, fresh_lines, "saved", "replica", lineterm="", n=0)
    return "\n".join(line[:200] for line in list(diff)[:lines])


@pytest.mark.parametrize("page", SAVED_PAGES, ids=lambda page: f"{page.spider}/{page.filename}")
def test_saved_page_is_what_the_replica_answers(page: SavedPage, replica_pages):
    saved, fresh = page.path.read_bytes(), replica_pages[page.path]
    assert saved == fresh, (
        f"tests/pages/{page.spider}/{page.filename} is not what the replica answers to {page.url}: {REGENERATE}.\n"
        + first_differences(saved, fresh)
    )


def test_every_saved_page_is_declared():
    files = {path for path in PAGES.rglob("*") if path.is_file()}
    undeclared = sorted(str(path.relative_to(PAGES)) for path in files - {page.path for page in SAVED_PAGES})
    assert not undeclared, (
        f"saved pages no request makes: {undeclared}. Declare each in SAVED_PAGES (tests/saved_pages.py) and "
        f"{REGENERATE}; or delete it if no test reads it."
    )
