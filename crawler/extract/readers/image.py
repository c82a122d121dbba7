"""Images (a photographed or scanned report: PNG, JPEG, TIFF with one page per frame, GIF, BMP) through OCR."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence, UnidentifiedImageError

from crawler.extract import limits
from crawler.extract.blocks import DocumentTooLarge, Reading, UnreadableDocument
from crawler.extract.readers import ocr
from crawler.extract.readers.layout import blocks_of_pages
from crawler.extract.readers.pdf import MAX_SCANNED_PAGES
from crawler.text import first_line


def read(data: bytes) -> Reading:
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only: the pixels are decoded by convert()
            frame_count = getattr(image, "n_frames", 1)
            frames = [_grey(frame, number) for frame, number in
                      zip(ImageSequence.Iterator(image), range(1, MAX_SCANNED_PAGES + 1))]
    except Image.DecompressionBombError as exc:  # Pillow's own bound, far above ours, met when opening
        raise DocumentTooLarge(f"the image is too large to open: {exc}") from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        cause = first_line(exc)
        raise UnreadableDocument(f"corrupt image: {cause}") from None
    warnings = []
    if frame_count > len(frames):
        warnings.append(f"image has {frame_count} pages; OCR read the first {len(frames)}")
    pages = [ocr.read_page(frame) for frame in frames]
    if not any(page.lines or page.tables for page in pages):
        raise UnreadableDocument("image without any text OCR could read")
    return Reading(blocks_of_pages(pages), warnings)


def _grey(frame: Image.Image, number: int) -> Image.Image:
    """The frame (page `number` of the image) decoded as greyscale, once its size is known to be within bounds."""
    limits.check_pixels("the image" if number == 1 else f"page {number} of the image", *frame.size)
    return frame.convert("L")
