"""The resume as a clean one-column PDF of real, selectable text.

fpdf2 is imported inside `render` so that it costs nothing at cold start. Text is set in
DejaVu Sans (shipped in `fonts/`, Bitstream Vera licence) because fpdf2's core fonts are
Latin-1 only; fpdf2 embeds only the glyphs used, so a PDF stays small.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio_api.resume.schemas import Basics, Resume

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
RENDER_REVISION = "1"
"""Bump when the layout changes, so stored PDFs of unchanged resumes are rendered anew."""

EN_DASH = " \u2013 "
EM_DASH = " \u2014 "
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
INK = (33, 33, 33)
MUTED = (96, 96, 96)
RULE = (180, 180, 180)
BODY_SIZE = 9.5
LINE = 4.6


def display_date(value: str | None) -> str:
    """`2020-03-15` -> `Mar 2020`, `2020` -> `2020`; a month out of range is shown as given."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0] if len(parts) == 1 else value


def period(start: str | None, end: str | None) -> str:
    """`Mar 2020 - Present`, `2018 - 2019` (with an en dash), or one date alone."""
    if start and not end:
        return f"{display_date(start)}{EN_DASH}Present"
    if start and end:
        return f"{display_date(start)}{EN_DASH}{display_date(end)}"
    return display_date(end)


def _joined(*parts: str | None, sep: str = " · ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


class _Writer:
    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf

    def text(
        self,
        value: str,
        *,
        size: float = BODY_SIZE,
        bold: bool = False,
        color: tuple[int, int, int] = INK,
        indent: float = 0.0,
        height: float = LINE,
    ) -> None:
        if not value.strip():
            return
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(*color)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(
            self.pdf.epw - indent, height, value.strip(), new_x="LMARGIN", new_y="NEXT"
        )

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            if item.strip():
                self.pdf.set_font(FONT, "", BODY_SIZE)
                self.pdf.set_text_color(*INK)
                self.pdf.set_x(self.pdf.l_margin + 2)
                self.pdf.cell(4, LINE, "•")
                self.pdf.multi_cell(
                    self.pdf.epw - 6, LINE, item.strip(), new_x="LMARGIN", new_y="NEXT"
                )

    def heading(self, title: str) -> None:
        pdf = self.pdf
        pdf.ln(2.5)
        if pdf.will_page_break(14):
            pdf.add_page()
        self.text(title.upper(), size=10.5, bold=True, height=5.5)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1.5)

    def entry(
        self, title: str, subtitle: str, summary: str | None, highlights: Iterable[str]
    ) -> None:
        if self.pdf.will_page_break(2 * LINE):
            self.pdf.add_page()
        self.text(title, bold=True)
        self.text(subtitle, size=8.5, color=MUTED, height=4.2)
        if summary:
            self.text(summary)
        self.bullets(highlights)
        self.pdf.ln(1.5)


def _header(out: _Writer, basics: Basics) -> None:
    out.text(basics.name or "Resume", size=20, bold=True, height=9)
    if basics.label:
        out.text(basics.label, size=11.5, color=MUTED, height=6)
    location = basics.location
    place = (
        _joined(location.city, location.region, location.countryCode, sep=", ") if location else ""
    )
    out.text(
        _joined(basics.email, basics.phone, basics.url, place), size=8.5, color=MUTED, height=4.4
    )
    profiles = [_joined(p.network, p.url or p.username, sep=": ") for p in basics.profiles or []]
    out.text(_joined(*profiles), size=8.5, color=MUTED, height=4.4)
    if basics.summary:
        out.pdf.ln(2)
        out.text(basics.summary)


def _sections(out: _Writer, resume: Resume) -> None:
    if resume.work:
        out.heading("Experience")
        for job in resume.work:
            out.entry(
                _joined(job.position, job.name, sep=EM_DASH),
                _joined(period(job.startDate, job.endDate), job.location),
                job.summary,
                job.highlights or [],
            )
    if resume.projects:
        out.heading("Projects")
        for project in resume.projects:
            out.entry(
                _joined(project.name, project.entity, sep=EM_DASH),
                _joined(
                    period(project.startDate, project.endDate),
                    ", ".join(project.roles or []),
                    project.url,
                ),
                project.description,
                project.highlights or [],
            )
    if resume.education:
        out.heading("Education")
        for school in resume.education:
            degree = _joined(school.studyType, school.area, sep=", ")
            out.entry(
                _joined(degree, school.institution, sep=EM_DASH),
                _joined(period(school.startDate, school.endDate), school.score),
                None,
                [", ".join(school.courses)] if school.courses else [],
            )
    if resume.volunteer:
        out.heading("Volunteering")
        for role in resume.volunteer:
            out.entry(
                _joined(role.position, role.organization, sep=EM_DASH),
                period(role.startDate, role.endDate),
                role.summary,
                role.highlights or [],
            )
    if resume.awards:
        out.heading("Awards")
        for award in resume.awards:
            out.entry(
                _joined(award.title, award.awarder, sep=EM_DASH),
                display_date(award.date),
                award.summary,
                [],
            )
    if resume.certificates:
        out.heading("Certificates")
        for cert in resume.certificates:
            out.entry(
                _joined(cert.name, cert.issuer, sep=EM_DASH), display_date(cert.date), None, []
            )
    if resume.publications:
        out.heading("Publications")
        for pub in resume.publications:
            out.entry(
                _joined(pub.name, pub.publisher, sep=EM_DASH),
                display_date(pub.releaseDate),
                pub.summary,
                [],
            )
    _lists(out, resume)


def _lists(out: _Writer, resume: Resume) -> None:
    if resume.skills:
        out.heading("Skills")
        for skill in resume.skills:
            label = skill.name or ""
            if skill.level:
                label = f"{label} ({skill.level})" if label else skill.level
            keywords = ", ".join(skill.keywords or [])
            out.text(f"{label}: {keywords}" if label and keywords else label or keywords)
    if resume.languages:
        out.heading("Languages")
        out.text(_joined(*(_joined(x.language, x.fluency, sep=EN_DASH) for x in resume.languages)))
    if resume.interests:
        out.heading("Interests")
        for interest in resume.interests:
            keywords = ", ".join(interest.keywords or [])
            out.text(_joined(interest.name, keywords, sep=": "))
    if resume.references:
        out.heading("References")
        for ref in resume.references:
            out.entry(ref.name or "", "", ref.reference, [])


def render(resume: Resume) -> bytes:
    """The resume as PDF bytes."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    basics = resume.basics or Basics()
    title = f"{basics.name}{EM_DASH}Resume" if basics.name else "Resume"
    pdf.set_title(title)
    if basics.name:
        pdf.set_author(basics.name)
    pdf.set_creator("Portfolio API")
    pdf.set_lang("en")
    pdf.set_margins(left=18, top=16, right=18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    out = _Writer(pdf)
    _header(out, basics)
    _sections(out, resume)
    return bytes(pdf.output())
