"""homs feedback is written with homs's own nbconvert template on nbgrader's and a code style
whose colours all reach 4.5:1; a course that configures its own template or style keeps it.
(The page itself is audited in Chromium by ``test_pages.py``.)"""

from __future__ import annotations

import re
from pathlib import Path

from pygments.formatters import HtmlFormatter
from traitlets.config import Config

from homs.grading.course import feedback as fb


def test_the_page_is_written_with_homs_template_and_code_style() -> None:
    cfg = Config()
    fb._accessible_page(cfg)
    assert cfg.HTMLExporter.template_name == fb.TEMPLATE
    assert cfg.HTMLExporter.template_file == f"{fb.TEMPLATE}.html.j2"
    ours, stock = (Path(d) for d in cfg.HTMLExporter.extra_template_basedirs)
    assert (ours / fb.TEMPLATE / "conf.json").is_file()
    assert (ours / fb.TEMPLATE / f"{fb.TEMPLATE}.html.j2").is_file()
    assert (stock / "feedback" / "index.html.j2").is_file()  # nbgrader's, which it extends
    assert cfg.CSSHTMLHeaderPreprocessor.style is fb.code_style()


def test_a_course_that_configures_its_own_keeps_it() -> None:
    cfg = Config()
    cfg.HTMLExporter.template_name = "my-feedback"
    cfg.CSSHTMLHeaderPreprocessor.style = "monokai"
    fb._accessible_page(cfg)
    assert cfg.HTMLExporter.template_name == "my-feedback"
    assert "template_file" not in cfg.HTMLExporter
    assert "extra_template_basedirs" not in cfg.HTMLExporter
    assert cfg.CSSHTMLHeaderPreprocessor.style == "monokai"


def test_every_code_colour_reaches_4_5_to_1_on_the_code_background() -> None:
    """Every text colour of the highlighted code, against the grey code boxes and the white."""
    css = HtmlFormatter(style=fb.code_style()).get_style_defs(".highlight")
    colours = set(re.findall(r"(?<![-\w])color: (#[0-9a-fA-F]{6})", css))
    assert len(colours) > 10
    for colour in colours:
        for background in ("#f5f5f5", "#ffffff"):
            assert fb.contrast(colour, background) >= 4.5, (colour, background)


def test_contrast_is_the_wcag_ratio() -> None:
    assert round(fb.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(fb.contrast("#777777", "#ffffff"), 2) == 4.48
    assert fb.contrast("#123456", "#123456") == 1.0
