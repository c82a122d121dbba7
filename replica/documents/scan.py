"""Make a scanned (image-only) PDF from a PDF: what a report looks like after print, sign, stamp and scan.

Each page is rasterised with poppler's pdftoppm in grayscale, turned by a fraction of a degree, given a
grey paper tone and a little sensor noise, and the page images are wrapped into a PDF by Pillow: JPEG pages and
no text layer at all, so only OCR can read it. The noise and angles come from a seeded random generator and
the PDF's dates are fixed, so the same input PDF always gives the same bytes.
"""

from __future__ import annotations

import datetime
import random
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

_DPI = 150
_JPEG_QUALITY = 70
_MAX_ANGLE_DEGREES = 0.6
_PAPER_GREY = 236  # white paper scans as light grey
_NOISE_TILE = 192  # the noise is a tile of this many pixels square, repeated over the page
_NOISE_SPREAD = 10  # grey levels the noise moves a pixel up or down


def scanned_pdf(pdf: Path, output: Path, key: str, title: str, author: str, published: datetime.datetime) -> None:
    """Write `output`: the pages of `pdf` as noisy, slightly rotated grayscale scans without any text."""
    rng = random.Random(key)
    with tempfile.TemporaryDirectory(prefix="scan-") as workdir:
        subprocess.run(["pdftoppm", "-r", str(_DPI), "-gray", "-png", str(pdf), str(Path(workdir) / "page")],
                       check=True, capture_output=True, timeout=300)
        pages = [_scanned_page(Image.open(path), rng) for path in sorted(Path(workdir).glob("page-*.png"))]
    if not pages:
        raise RuntimeError(f"pdftoppm rendered no page of {pdf}")
    pages[0].save(output, "PDF", save_all=True, append_images=pages[1:], resolution=_DPI, quality=_JPEG_QUALITY,
                  title=title, author=author, creator="Scanner", producer="Scanner",
                  creationDate=published.timetuple(), modDate=published.timetuple())


def _scanned_page(page: Image.Image, rng: random.Random) -> Image.Image:
    page = page.convert("L")
    # The sheet lies slightly askew on the glass; what the rotation uncovers is the scanner lid's white.
    page = page.rotate(rng.uniform(-_MAX_ANGLE_DEGREES, _MAX_ANGLE_DEGREES), resample=Image.BICUBIC,
                       fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(0.5))
    # Paper tone: white maps to _PAPER_GREY, black stays black.
    page = page.point(lambda value: value * _PAPER_GREY // 255)
    noise = Image.new("L", (_NOISE_TILE, _NOISE_TILE))
    noise.putdata([rng.randint(0, 2 * _NOISE_SPREAD) for _ in range(_NOISE_TILE * _NOISE_TILE)])
    tiled = Image.new("L", page.size)
    for x in range(0, page.width, _NOISE_TILE):
        for y in range(0, page.height, _NOISE_TILE):
            tiled.paste(noise, (x, y))
    # add the noise and take its mean back off: pixels move by ±_NOISE_SPREAD around their tone
    return ImageChops.subtract(ImageChops.add(page, tiled), Image.new("L", page.size, _NOISE_SPREAD))
