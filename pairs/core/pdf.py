"""Rendering of the printable documents (a crisis plan version, the wallet card, the Observatoire
report and posters): a Django template rendered to HTML, then laid out by WeasyPrint as a tagged PDF
(PDF/UA-1: real text, structure tags, document language and title).

Nothing is fetched from the network: the only resources are our print stylesheet, the vendored
Atkinson Hyperlegible font files (DejaVu from the system as fallback) and ``data:`` images such as
the QR code. WeasyPrint needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0); it is imported on
first use so that the rest of the application runs without it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PRINT_CSS = Path(__file__).resolve().parent / "static" / "pairs" / "print.css"
FONT_CSS = "vendor/atkinson-hyperlegible/atkinson-hyperlegible.css"
PDF_VARIANT = "pdf/ua-1"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) cannot be loaded."""


@cache
def _weasyprint() -> Any:
    try:
        with warnings.catch_warnings():
            # Without HarfBuzz-subset (Debian: libharfbuzz-subset0) WeasyPrint still embeds whole fonts.
            warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*", category=DeprecationWarning)
            import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango's shared libraries are missing
        raise PdfUnavailable(f"WeasyPrint cannot be loaded: {error}") from error
    return weasyprint  # its loggers are quietened in settings.LOGGING


def unavailable_reason() -> str:
    """Why PDFs cannot be produced here ("" when they can)."""
    try:
        _weasyprint()
    except PdfUnavailable as error:
        return str(error)
    return ""


@dataclass(frozen=True)
class RunningText:
    """Text repeated on every page, in the page margins: ``top_left``, ``bottom`` (centred) and, top
    right, ``page_label`` where ``%(page)s`` and ``%(pages)s`` become the page number and count."""

    top_left: str = ""
    bottom: str = ""
    page_label: str = ""


def css_string(text: str) -> str:
    """A CSS string literal holding ``text`` whatever it contains."""
    escaped = re.sub(r'[\\"\n\r\f]', lambda m: f"\\{ord(m.group()):x} ", text)
    return f'"{escaped}"'


def _page_content(label: str) -> str:
    parts = []
    for piece in re.split(r"(%\(pages?\)s)", label):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'


def running_css(running: RunningText) -> str:
    boxes: list[tuple[str, str]] = []
    if running.top_left:
        boxes.append(("top-left", css_string(running.top_left)))
    if running.page_label:
        boxes.append(("top-right", _page_content(running.page_label)))
    if running.bottom:
        boxes.append(("bottom-center", css_string(running.bottom)))
    rules = " ".join(f"@{box} {{ content: {content}; }}" for box, content in boxes)
    return f"@page {{ {rules} }}"


def _font_css() -> tuple[str, Path] | None:
    """The vendored font's @font-face rules (without the browser-only ``font-display``) and their
    folder, or None when the files are not there (DejaVu is then used)."""
    found = finders.find(FONT_CSS)
    if not found or not isinstance(found, str):
        return None
    path = Path(found).resolve()
    text = re.sub(r"^\s*font-display:[^;]*;\s*$", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return text, path.parent


def _local_fetcher(roots: tuple[Path, ...]) -> Any:
    """A URL fetcher that reads ``data:`` URLs and files under ``roots`` only."""
    _weasyprint()
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(f"Refused outside the allowed folders: {url}")
            elif scheme != "data":
                raise ValueError(f"Refused, no network access while printing: {url[:40]}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file", "data"}, fail_on_errors=False)


def render_pdf(template: str, context: Mapping[str, Any], *, running: RunningText | None = None) -> bytes:
    """The template rendered as a tagged, accessible PDF."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    roots: list[Path] = [PRINT_CSS.parent]
    font = _font_css()
    if font is not None:
        roots.append(font[1])
    fetcher = _local_fetcher(tuple(roots))
    font_config = FontConfiguration()
    stylesheets = []
    if font is not None:
        stylesheets.append(
            weasyprint.CSS(
                string=font[0], base_url=font[1].as_uri() + "/", url_fetcher=fetcher, font_config=font_config
            )
        )
    stylesheets.append(
        weasyprint.CSS(filename=str(PRINT_CSS), url_fetcher=fetcher, font_config=font_config),
    )
    if running is not None:
        stylesheets.append(weasyprint.CSS(string=running_css(running), url_fetcher=fetcher, font_config=font_config))
    html = render_to_string(template, dict(context))
    document = weasyprint.HTML(string=html, base_url=PRINT_CSS.parent.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=stylesheets, font_config=font_config, pdf_variant=PDF_VARIANT)
    return pdf
