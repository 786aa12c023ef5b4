"""The PDF rendering: real, extractable text in one column; Unicode; short; lazy fpdf2."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from portfolio_api.resume import pdf
from portfolio_api.resume.schemas import Resume
from tests.resume.samples import full_resume, long_resume


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_text_holds_name_every_job_title_employer_and_school() -> None:
    resume = Resume.model_validate(full_resume())
    text = _text(pdf.render(resume))
    assert "Zoë Łukasiewicz-Ångström" in text
    titles = [job.position for job in resume.work or []]
    employers = [job.name for job in resume.work or []]
    schools = [school.institution for school in resume.education or []]
    assert titles == ["Senior Backend Engineer", "Software Developer"]
    assert employers == ["Nordwind Logistik GmbH", "Kraków Software House"]
    assert schools == ["Uniwersytet Jagielloński"]
    for expected in (*titles, *employers, *schools):
        assert expected in text


def test_pdf_renders_cyrillic_and_greek_as_text() -> None:
    text = _text(pdf.render(Resume.model_validate(full_resume())))
    assert "Пишет по-русски" in text
    assert "γράφει ελληνικά" in text


def test_pdf_embeds_the_unicode_font_and_no_images() -> None:
    reader = PdfReader(io.BytesIO(pdf.render(Resume.model_validate(full_resume()))))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    names = {str(fonts[f].get_object()["/BaseFont"]) for f in fonts}
    assert {n.split("+")[-1] for n in names} == {"DejaVuSansBook", "DejaVuSansBold"}
    assert "/XObject" not in page["/Resources"]


def test_pdf_metadata_names_the_owner() -> None:
    reader = PdfReader(io.BytesIO(pdf.render(Resume.model_validate(full_resume()))))
    assert reader.metadata is not None
    assert reader.metadata.title == "Zoë Łukasiewicz-Ångström — Resume"


def test_a_thirty_entry_resume_is_under_five_pages() -> None:
    data = pdf.render(Resume.model_validate(long_resume(30)))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) < 5
    text = _text(data)
    assert all(f"Title {i} — Employer {i}" in text for i in range(30))


def test_an_empty_resume_still_renders() -> None:
    assert "Resume" in _text(pdf.render(Resume()))


def test_tabs_and_other_control_characters_are_set_as_spaces(
    caplog: pytest.LogCaptureFixture,
) -> None:
    document = {
        "basics": {"name": "A", "summary": "line3\tTab\x0bvt\x00nul\x85nel\r\nnext"},
        "work": [{"highlights": ["a\tb"]}],
    }
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        text = _text(pdf.render(Resume.model_validate(document)))
    assert "line3 Tab vt nul nel\nnext" in text
    assert "• a b" in text
    assert [r.getMessage() for r in caplog.records if "missing" in r.getMessage()] == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2020", "2020"), ("2020-03", "Mar 2020"), ("2020-03-15", "Mar 2020"), ("2020-13", "2020-13")],
)
def test_display_dates(value: str, shown: str) -> None:
    assert pdf.display_date(value) == shown


def test_an_entry_without_end_date_is_ongoing() -> None:
    assert pdf.period("2021-04", None) == "Apr 2021 \u2013 Present"


def test_importing_the_app_does_not_import_fpdf() -> None:
    code = "import sys, portfolio_api.main; print('fpdf' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def _page_lines(data: bytes) -> list[list[str]]:
    pages = PdfReader(io.BytesIO(data)).pages
    return [[line for line in page.extract_text().splitlines() if line.strip()] for page in pages]


def _is_entry_head(line: str) -> bool:
    """An entry's title (`Title 3 — Employer 3`, `Project 1`) or subtitle (`... · London`)."""
    return bool(re.fullmatch(r"Title \d+ — Employer \d+|Project \d+|(.* · )?London", line))


def test_no_page_ends_with_an_entry_title_or_dates_without_its_body() -> None:
    document = long_resume(80)
    for i, job in enumerate(document["work"]):  # entries of many heights: breaks fall anywhere
        job["highlights"] = job["highlights"][: i % 4]
        if i % 3:
            del job["summary"]
    pages = _page_lines(pdf.render(Resume.model_validate(document)))
    assert len(pages) > 5
    assert [page[-1] for page in pages[:-1] if _is_entry_head(page[-1])] == []


@pytest.mark.parametrize("summary_lines", range(2, 8))
def test_no_page_ends_with_a_heading_or_the_first_entry_after_it(summary_lines: int) -> None:
    # Each summary line moves the Projects heading one line further down, across the end of
    # page 1 (one job is about four lines).
    document = long_resume(10)
    for job in document["work"]:
        job["highlights"] = job["highlights"][:1]
    document["basics"]["summary"] = "\n".join(["A long career."] * summary_lines)
    document["projects"] = [
        {"name": f"Project {i}", "url": "London", "description": "Built it."} for i in range(2)
    ]
    pages = _page_lines(pdf.render(Resume.model_validate(document)))
    assert len(pages) == 2
    assert not _is_entry_head(pages[0][-1])
    assert pages[0][-1] != "PROJECTS"
