"""The replica web's report documents: annual reports as the five sites publish them, with their ground truth
(expected.json).

    facts        the table numbers of a report, keyed as in vocabulary.json, how a site prints them, the checks
    series       a consistent multi-year series of facts derived from one real (seed) report
    prose        a report's intro and section texts, cleaned from a seed report's text; free-form pre-2019 reports
    word         render_docx(): a report as .docx bytes on the official template's tables
    html         render_html(): a report as the Word-exported HTML fragment of a 信息公开 page
    pdf          convert(): many .docx files to PDF or Word 97 (.doc/.wps) with one LibreOffice run
    scan         scanned_pdf(): a PDF rasterised into an image-only "scanned" PDF
    infographic  render_infographic(): the （图解） PNG poster of a report's headline numbers
    sites        which site gets which reports in which formats (one short declaration per site)
    build        python -m replica.documents.build: write every site's documents
"""

from pathlib import Path

# Shared, read-only project material (report format, seeds, the official template) beside the project's root.
SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
