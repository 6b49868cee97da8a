"""Every lesson chart keeps its alt text and carries its data as a table, shown on request: one
click away under the image in a notebook (a ``<details>`` disclosure a keyboard opens), and on
its own with ``chart.table()``. The table is HTML a screen reader can navigate: a caption,
column headings and row headings with their scope, every text escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import matplotlib
import pytest

from homs import charts, knowledge
from homs.charts import Chart, DataTable

matplotlib.use("Agg")

CHARTS: dict[str, Callable[[], Chart]] = {
    "timeline": charts.timeline,
    "timeline_2011_2012_source_a": lambda: charts.timeline(sources="A", start="2011", end="2012"),
    "source_coverage": charts.source_coverage,
    "dating_methods": charts.dating_methods,
    "dating_evidence": charts.dating_evidence,
    "discrepancy_matrix": charts.discrepancy_matrix,
    "numbers_compared": charts.numbers_compared,
    "discrepancy_types": charts.discrepancy_types,
    "word_choice": charts.word_choice,
    "voices": charts.voices,
    "voice_kinds": charts.voice_kinds,
}


def text(html: str) -> str:
    """The text a reader gets from some HTML: style sheets and tags dropped, entities decoded."""
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module", params=list(CHARTS))
def chart(request: pytest.FixtureRequest) -> Chart:
    return CHARTS[request.param]()


def test_every_chart_has_alt_text_and_a_data_table(chart: Chart) -> None:
    """Alt text stays; the table has a caption, headings and rows as wide as the headings."""
    assert len(chart.get_alt_text()) > 60
    table = chart.table()
    assert isinstance(table, DataTable)
    assert table.caption
    assert len(table.columns) >= 2
    assert table.rows, "an empty table"
    assert all(len(row) == len(table.columns) for row in table.rows)
    assert all(cell.strip() for row in table.rows for cell in row), "a blank cell"


def test_the_table_is_html_a_screen_reader_can_navigate(chart: Chart) -> None:
    """A caption, one <th scope="col"> per column, one <th scope="row"> per row."""
    table = chart.table()
    html = chart.data_table_html()
    assert html == table.to_html() == table._repr_html_()
    assert html.count("<caption>") == 1
    assert html.count('<th scope="col">') == len(table.columns)
    assert html.count('<th scope="row">') == len(table.rows)
    assert html.count("<tr>") == len(table.rows) + 1


def test_in_a_notebook_the_table_is_one_click_away_under_the_image(chart: Chart) -> None:
    """The notebook's HTML: the <img> with its alt text, then a closed <details> whose summary
    names the table (on request: nothing more to read past for who does not want it)."""
    html = chart._repr_mimebundle_()["text/html"]
    assert html.index("<img") < html.index("<details")
    assert "<details open" not in html
    assert "<summary>The chart's data as a table</summary>" in html
    assert chart.data_table_html() in html


def test_the_timeline_table_gives_each_event_its_number_date_and_dating() -> None:
    """The timeline's table: the number the chart prints beside each event, its date (with the
    correction from outside the texts where there is one) and how each source dates it."""
    table = charts.timeline().table()
    assert table.columns == (
        "Event",
        "Number on the chart",
        "Date",
        "Source A",
        "Source B",
        "Source C",
    )
    kb = knowledge.load()
    assert len(table.rows) == len(kb.timeline())
    rows = {row[0]: row for row in table.rows}
    waer = kb.event("waer-retaken")
    assert rows[waer.title][2] == waer.date_text()
    assert "context" in rows[waer.title][2]
    assert set(rows[waer.title][3:]) <= {*charts.DATING_STYLES.values(), "not reported"}
    assert [row[1] for row in table.rows] == [str(n) for n in range(1, len(table.rows) + 1)]


def test_a_period_and_a_source_narrow_the_timeline_table() -> None:
    """Only the events shown: in the period, reported by the sources chosen."""
    table = charts.timeline(sources="A", start="2011", end="2012").table()
    assert table.columns[3:] == ("Source A",)
    assert table.rows
    assert all(row[3] != "not reported" for row in table.rows)
    assert "2011 to 2012" in table.caption


def test_the_numbers_table_matches_the_alt_text() -> None:
    """The numbers compared: the same figures as the alt text says, each with its sentence."""
    fig = charts.numbers_compared()
    for point, source, number, sentence, _says in fig.table().rows:
        assert f"{source} {number}" in fig.get_alt_text() or number in ("silent", "no number")
        assert re.fullmatch(r"[ABC]-\d+|none", sentence), sentence
        assert point in fig.get_alt_text()


def test_a_table_escapes_its_text() -> None:
    """Markup in a cell reaches the page as text."""
    fig = Chart()
    fig.set_alt_text("A chart")
    fig.set_data_table('A <b>"caption"</b>', ["x <i>", "y"], [["<script>1</script>", 2]])
    html = fig.data_table_html()
    assert "<script>" not in html
    assert "&lt;script&gt;1&lt;/script&gt;" in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert text(html).startswith('A <b>"caption"</b>')


def test_a_row_of_the_wrong_length_is_refused() -> None:
    fig = Chart()
    with pytest.raises(ValueError, match="a row of 1 cells in a table of 2 columns"):
        fig.set_data_table("caption", ["a", "b"], [["only one"]])


def test_a_chart_without_a_table_says_so_and_shows_the_image_alone() -> None:
    """A chart that holds no data a student needs (a map) has no table; it says where its
    description is, and its HTML is the image alone."""
    fig = Chart()
    fig.set_alt_text("A map of Syria with Homs marked.")
    with pytest.raises(ValueError, match="get_alt_text"):
        fig.table()
    assert fig.data_table_html() == ""
    assert "<details" not in fig._repr_mimebundle_()["text/html"]


def test_a_table_reads_as_text() -> None:
    """str(): the caption, then a line per row, then the notes."""
    lines = str(charts.discrepancy_types().table()).splitlines()
    assert lines[0].startswith("The ")
    assert lines[1] == "Kind of discrepancy | Between sources | Within one source | Total"
    assert any(line.startswith("contradiction: ") for line in lines)
