"""Convert Word documents with LibreOffice, many files in one run: to PDF, or to the old binary Word 97 format."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

# Starting LibreOffice takes seconds, converting a short report a fraction of that: convert in batches.
_TIMEOUT_SECONDS = 600
# The documents keep the fonts real reports name (宋体, 楷体). Without these Windows fonts fontconfig would set
# the text in DejaVu with Japanese-style CJK glyphs borrowed per character; map them to the Simplified Chinese
# Noto fonts (Debian package fonts-noto-cjk) instead.
_FONT_SUBSTITUTES = {"宋体": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC"}
_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""


# soffice --convert-to targets: file extension, and the export filter where the extension alone is ambiguous.
PDF = "pdf"
WORD_97 = "doc:MS Word 97"  # the shell's --convert-to doc:"MS Word 97"


def convert_to_pdf(docx_paths: list[Path], output_dir: Path) -> list[Path]:
    """Convert every file with one `soffice --headless --convert-to pdf` run; returns the PDFs' paths
    (output_dir/<stem>.pdf, in the order of `docx_paths`). Raises RuntimeError if a PDF is missing."""
    return convert(docx_paths, output_dir, PDF)


def convert(docx_paths: list[Path], output_dir: Path, target: str) -> list[Path]:
    """Convert every file with one `soffice --headless --convert-to <target>` run; returns the written paths
    (output_dir/<stem>.<extension>, in the order of `docx_paths`). Raises RuntimeError if one is missing."""
    if not docx_paths:
        return []
    extension = target.split(":")[0]
    paths = [output_dir / f"{path.stem}.{extension}" for path in docx_paths]
    for path in paths:
        path.unlink(missing_ok=True)  # so an existing file proves this run wrote it
    # A private profile: a LibreOffice already running for the user would otherwise take the job (or lock it).
    with tempfile.TemporaryDirectory(prefix="soffice-") as workdir:
        fontconfig = Path(workdir) / "fonts.conf"
        fontconfig.write_text(_FONTCONFIG.format(aliases="\n".join(
            f"  <alias binding=\"same\"><family>{font}</family><prefer><family>{substitute}</family></prefer></alias>"
            for font, substitute in _FONT_SUBSTITUTES.items())), "utf-8")
        result = subprocess.run(
            ["soffice", f"-env:UserInstallation={(Path(workdir) / 'profile').as_uri()}", "--headless",
             "--norestore", "--convert-to", target, "--outdir", str(output_dir), *map(str, docx_paths)],
            capture_output=True, text=True, timeout=_TIMEOUT_SECONDS,
            env={**os.environ, "FONTCONFIG_FILE": str(fontconfig)},
        )
    missing = [path.name for path in paths if not path.exists()]
    if missing:
        raise RuntimeError(f"soffice (exit {result.returncode}) did not write {missing}: {result.stderr.strip()}")
    return paths
