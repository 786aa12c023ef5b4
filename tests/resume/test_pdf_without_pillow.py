"""The Lambda build leaves Pillow out (Makefile: UNUSED); PDFs must render without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import io, sys
sys.modules["PIL"] = None  # any `import PIL...` now raises ImportError, as in the Lambda zip
from pypdf import PdfReader
from portfolio_api.resume import pdf
from portfolio_api.resume.schemas import Resume
from tests.resume.samples import full_resume
data = pdf.render(Resume.model_validate(full_resume()))
text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
assert "PIL.Image" not in sys.modules
print("Zoë Łukasiewicz-Ångström" in text, len(data) > 1000)
"""


def test_a_resume_renders_with_pillow_unimportable() -> None:
    result = subprocess.run(  # noqa: S603 - fixed script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_the_lambda_build_excludes_pillow() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "UNUSED := pillow" in makefile
    assert "$(RUNTIME_PROVIDED) $(UNUSED)" in makefile
