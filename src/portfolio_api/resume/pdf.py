"""The resume as a clean one-column PDF of real, selectable text.

fpdf2 is imported inside `render` so that it costs nothing at cold start. Text is set in
DejaVu Sans (shipped in `fonts/`, Bitstream Vera licence) because fpdf2's core fonts are
Latin-1 only; fpdf2 embeds only the glyphs used, so a PDF stays small.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from portfolio_api.resume.schemas import Basics, Education, Resume

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
RENDER_REVISION = "3"
"""Bump when the layout changes, so stored PDFs of unchanged resumes are rendered anew."""

EN_DASH = " \u2013 "
EM_DASH = " \u2014 "
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
INK = (33, 33, 33)
MUTED = (96, 96, 96)
RULE = (180, 180, 180)
BODY_SIZE = 9.5
LINE = 4.6
SUBTITLE_LINE = 4.2

Entry = tuple[str, str, str | None, list[str]]
"""An entry of a section: title, subtitle (dates, place), summary, highlights."""


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


_CONTROLS = {c: " " for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c != ord("\n")}


def _printable(value: str) -> str:
    """`value` trimmed, its line breaks as `\n` and other control characters as spaces: the
    font has no glyph for them, so fpdf2 would drop them and join the words around a tab."""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS).strip()


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
        value = _printable(value)
        if not value:
            return
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(*color)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(self.pdf.epw - indent, height, value, new_x="LMARGIN", new_y="NEXT")

    def bullets(self, items: Iterable[str]) -> None:
        for item in map(_printable, items):
            if item:
                self.pdf.set_font(FONT, "", BODY_SIZE)
                self.pdf.set_text_color(*INK)
                self.pdf.set_x(self.pdf.l_margin + 2)
                self.pdf.cell(4, LINE, "•")
                self.pdf.multi_cell(self.pdf.epw - 6, LINE, item, new_x="LMARGIN", new_y="NEXT")

    def measure(
        self,
        value: str,
        *,
        size: float = BODY_SIZE,
        bold: bool = False,
        indent: float = 0.0,
        height: float = LINE,
    ) -> float:
        """How tall `text` with these arguments would set `value`."""
        value = _printable(value)
        if not value:
            return 0.0
        self.pdf.set_font(FONT, "B" if bold else "", size)
        measured = self.pdf.multi_cell(
            self.pdf.epw - indent, height, value, dry_run=True, output="HEIGHT"
        )
        return cast("float", measured)

    def keep(self, height: float) -> None:
        """A new page unless `height` fits on this one (or would fit on no page at all)."""
        if height <= self.pdf.eph and self.pdf.will_page_break(height):
            self.pdf.add_page()

    def entry_head(self, entry: Entry) -> float:
        """The height of an entry's title, subtitle and first body line, kept together."""
        title, subtitle, summary, highlights = entry
        has_body = bool(_printable(summary or "")) or any(map(_printable, highlights))
        return (
            self.measure(title, bold=True)
            + self.measure(subtitle, size=8.5, height=SUBTITLE_LINE)
            + (LINE if has_body else 0.0)
        )

    def heading(self, title: str, *, keep: float = LINE) -> None:
        """A section heading, on the page where the `keep` mm that follow it also fit."""
        pdf = self.pdf
        pdf.ln(2.5)
        self.keep(self.measure(title.upper(), size=10.5, bold=True, height=5.5) + 1.5 + keep)
        self.text(title.upper(), size=10.5, bold=True, height=5.5)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1.5)

    def entry(self, entry: Entry) -> None:
        """An entry; its title and subtitle never end a page without its first body line."""
        title, subtitle, summary, highlights = entry
        self.keep(self.entry_head(entry))
        self.text(title, bold=True)
        self.text(subtitle, size=8.5, color=MUTED, height=SUBTITLE_LINE)
        if summary:
            self.text(summary)
        self.bullets(highlights)
        self.pdf.ln(1.5)

    def section(self, title: str, entries: list[Entry]) -> None:
        """A heading kept with its first entry's head, then the entries."""
        if entries:
            self.heading(title, keep=self.entry_head(entries[0]))
            for entry in entries:
                self.entry(entry)


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


def _education(school: Education) -> Entry:
    degree = _joined(school.studyType, school.area, sep=", ")
    return (
        _joined(degree, school.institution, sep=EM_DASH),
        _joined(period(school.startDate, school.endDate), school.score),
        None,
        [", ".join(school.courses)] if school.courses else [],
    )


def _sections(out: _Writer, resume: Resume) -> None:
    out.section(
        "Experience",
        [
            (
                _joined(job.position, job.name, sep=EM_DASH),
                _joined(period(job.startDate, job.endDate), job.location),
                job.summary,
                job.highlights or [],
            )
            for job in resume.work or []
        ],
    )
    out.section(
        "Projects",
        [
            (
                _joined(project.name, project.entity, sep=EM_DASH),
                _joined(
                    period(project.startDate, project.endDate),
                    ", ".join(project.roles or []),
                    project.url,
                ),
                project.description,
                project.highlights or [],
            )
            for project in resume.projects or []
        ],
    )
    out.section("Education", [_education(school) for school in resume.education or []])
    out.section(
        "Volunteering",
        [
            (
                _joined(role.position, role.organization, sep=EM_DASH),
                period(role.startDate, role.endDate),
                role.summary,
                role.highlights or [],
            )
            for role in resume.volunteer or []
        ],
    )
    out.section(
        "Awards",
        [
            (
                _joined(award.title, award.awarder, sep=EM_DASH),
                display_date(award.date),
                award.summary,
                [],
            )
            for award in resume.awards or []
        ],
    )
    out.section(
        "Certificates",
        [
            (_joined(cert.name, cert.issuer, sep=EM_DASH), display_date(cert.date), None, [])
            for cert in resume.certificates or []
        ],
    )
    out.section(
        "Publications",
        [
            (
                _joined(pub.name, pub.publisher, sep=EM_DASH),
                display_date(pub.releaseDate),
                pub.summary,
                [],
            )
            for pub in resume.publications or []
        ],
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
    out.section(
        "References", [(ref.name or "", "", ref.reference, []) for ref in resume.references or []]
    )


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
