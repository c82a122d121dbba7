"""The sites whose report documents the replica serves: one short declaration per site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import SHARED_DIR

SEEDS_DIR = SHARED_DIR / "seeds"


@dataclass(frozen=True)
class SiteReports:
    """One agency's annual reports in the replica.

    `seed` names a real report of the agency: <seed>.txt gives the prose of every year,
    <seed>.expected.json the exact numbers of its year; the other years' numbers are derived from it.
    """

    spider: str  # the spider's name; also the folder the documents are written to
    agency: str
    file_stem: str  # documents are <file_stem>-<year>.docx / .pdf / .expected.json
    years: range
    seed: Path


SITES = (
    SiteReports(
        spider="zibo_kjj",
        agency="淄博市科学技术局",
        file_stem="zibo-kjj",
        years=range(2019, 2024),
        seed=SEEDS_DIR / "seed-000-zibo-kjj-2020",
    ),
)
