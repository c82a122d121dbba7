"""The replica web's report documents: Word and PDF annual reports with their ground truth (expected.json).

    facts     the table numbers of a report, keyed as in vocabulary.json, and their consistency checks
    series    a consistent multi-year series of facts derived from one real (seed) report
    prose     a report's intro and section texts, cleaned from a seed report's extracted text
    word      render_docx(): a report as .docx bytes on the official template's tables
    pdf       convert_to_pdf(): many .docx files to PDF with one LibreOffice run
    sites     which site gets which reports (one short declaration per site)
    build     python -m replica.documents.build: write every site's documents
"""

from pathlib import Path

# Shared, read-only project material (report format, seeds, the official template) beside the project's root.
SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
