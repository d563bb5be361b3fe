"""PDF through LibreOffice headless: a missing LibreOffice is named with its packages, a conversion leaves
only the PDF behind."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import fichex
from fichex.wording import console as console_text
from fichex.errors import DependencyError, FichexError
from fichex.render import pdf


@pytest.fixture
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)


def test_require_libreoffice_names_the_packages(no_libreoffice):
    with pytest.raises(DependencyError) as raised:
        pdf.require_libreoffice()
    message = str(raised.value)
    assert message.startswith("LibreOffice introuvable")
    assert f"apt-get install -y {pdf.LIBREOFFICE_PACKAGES}" in message
    assert "libreoffice-impress" in message and "\n" not in message


def test_require_libreoffice_returns_the_executable(monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: "/opt/libreoffice/program/soffice")
    assert pdf.require_libreoffice() == "/opt/libreoffice/program/soffice"


def test_convert_without_libreoffice_writes_nothing(no_libreoffice, tmp_path):
    source = tmp_path / "deck.pptx"
    source.write_bytes(b"not used")
    target = tmp_path / "pdf" / "deck.pdf"
    target.parent.mkdir()
    with pytest.raises(DependencyError):
        pdf.convert_to_pdf(source, target, tmp_path / "profile")
    assert list(target.parent.iterdir()) == []


def test_a_failed_conversion_leaves_nothing(monkeypatch, tmp_path):
    failing = shutil.which("false")
    assert failing
    monkeypatch.setattr(pdf, "soffice_path", lambda: failing)
    source = tmp_path / "deck.pptx"
    source.write_bytes(b"not used")
    target = tmp_path / "pdf" / "deck.pdf"
    target.parent.mkdir()
    with pytest.raises(FichexError, match="deck.pptx") as raised:
        pdf.convert_to_pdf(source, target, tmp_path / "profile")
    assert str(raised.value) == console_text.pdf_failed("deck.pptx")
    assert list(target.parent.iterdir()) == []


@pytest.mark.libreoffice
def test_libreoffice_converts_a_deck(fiche_23, tmp_path):
    source = tmp_path / "source" / "creuse.pptx"
    source.parent.mkdir()
    fichex.write_deck(fiche_23, source)
    target = tmp_path / "pdf" / "creuse.pdf"
    target.parent.mkdir()
    pdf.convert_to_pdf(source, target, tmp_path / "profile")
    assert target.read_bytes()[:4] == b"%PDF"
    assert [p.name for p in target.parent.iterdir()] == ["creuse.pdf"]
    assert [p.name for p in source.parent.iterdir()] == ["creuse.pptx"]
    # tagged, with the slides' alternative texts in its structure tree, for screen readers
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    body = target.read_bytes()
    assert b"/StructTreeRoot" in body and b"/Alt" in body
    # PDF/UA: identified as such, and pdfua's checks find no error (every figure, charts included, has /Alt)
    from pdfua import Severity, validate

    report = validate(str(target))
    assert [f"{f.rule_id} {f.message}" for f in report.findings if f.severity >= Severity.ERROR] == []
    assert b"pdfuaid" in body or "pdfuaid" in _xmp(target)


def _xmp(path: Path) -> str:
    import pikepdf

    with pikepdf.open(path) as document:
        metadata = document.Root.get("/Metadata")
        return metadata.read_bytes().decode("utf-8", "replace") if metadata is not None else ""


def test_the_pdf_export_asks_for_tags():
    assert pdf.pdf_target(Path("a.pptx")).startswith("pdf:impress_pdf_Export:")
    assert pdf.pdf_target(Path("a.xlsx")).startswith("pdf:calc_pdf_Export:")
    assert '"UseTaggedPDF":{"type":"boolean","value":"true"}' in pdf.pdf_target(Path("a.pptx"))
    assert '"PDFUACompliance":{"type":"boolean","value":"true"}' in pdf.pdf_target(Path("a.pptx"))


def test_chart_alt_texts_read_each_slide_s_charts(deck_23_path):
    texts = pdf.chart_alt_texts(deck_23_path)
    assert len(texts) == 16
    charted = [number for number, alts in enumerate(texts, 1) if alts]
    assert charted == [7, 8, 9, 15]  # balance, exposure, specialisation, evolution
    assert all(len(alt) > 40 for alts in texts for alt in alts)  # each a description, not empty
