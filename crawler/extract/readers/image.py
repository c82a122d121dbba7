"""Images (a photographed or scanned report: PNG, JPEG, TIFF with one page per frame, GIF, BMP) through OCR."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence, UnidentifiedImageError

from crawler.extract.blocks import Reading, UnreadableDocument
from crawler.extract.readers import ocr
from crawler.extract.readers.layout import blocks_of_pages
from crawler.extract.readers.pdf import MAX_SCANNED_PAGES


def read(data: bytes) -> Reading:
    try:
        with Image.open(io.BytesIO(data)) as image:
            frame_count = getattr(image, "n_frames", 1)
            frames = [frame.convert("L") for frame, _ in zip(ImageSequence.Iterator(image), range(MAX_SCANNED_PAGES))]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        cause = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnreadableDocument(f"corrupt image: {cause}") from None
    warnings = []
    if frame_count > len(frames):
        warnings.append(f"image has {frame_count} pages; OCR read the first {len(frames)}")
    pages = [ocr.read_page(frame) for frame in frames]
    if not any(page.lines or page.tables for page in pages):
        raise UnreadableDocument("image without any text OCR could read")
    return Reading(blocks_of_pages(pages), warnings)
