"""The lessons' outputs in JupyterLab are accessible: axe-core's WCAG 2.1 A and AA rules,
scoped to the notebook's output areas, find no serious or critical violation; no two elements
of the outputs share an id (labels and descriptions point at ids); and the widgets work with the
keyboard alone: Tab reaches each control, which shows its focus and has a name, Space or Enter
operates it, and a self-check's feedback arrives in a live region, which screen readers
announce.

JupyterLab's own interface (menus, toolbars, file browser) is JupyterLab's and is not audited.
The lessons are opened by the ``lesson_page`` fixture (``conftest.py``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from a11y._axe import audit, blocking, counts, describe, focus_shown

from ._lab import whole_notebook_on_screen

pytestmark = pytest.mark.slow

#: The output areas of the open notebook.
OUTPUTS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"
#: The most Tab presses a walk takes to reach its control.
MOST_TABS = 40
#: What the focused element is: inside which output, with a focus indicator or not.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const output = el.closest('.jp-OutputArea-output');
    const outputs = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')];
    return {output: outputs.indexOf(output), tag: el.tagName.toLowerCase(),
            type: el.type || '', checked: el.checked === undefined ? null : el.checked,
            html: el.outerHTML.slice(0, 160)};
}"""
LIVE = "[aria-live=polite], [aria-live=assertive], [role=status], [role=alert]"


def test_lesson_outputs_pass_axe_wcag21_aa(lesson_page: Any) -> None:
    """No serious or critical violation of axe-core's WCAG 2.1 A and AA rules in the outputs."""
    with whole_notebook_on_screen(lesson_page):
        found = audit(lesson_page, context=OUTPUTS)
    bad = blocking(found)
    assert not bad, f"{counts(bad)}\n{describe(bad)}"


def test_ids_in_the_outputs_are_unique(lesson_page: Any) -> None:
    """No id is used twice across the lesson's outputs: a label, a description or a radio
    group that points at an id would point at the wrong element."""
    repeated = lesson_page.evaluate(
        f"""() => {{
        const seen = {{}};
        for (const el of document.querySelectorAll('{OUTPUTS} [id]'))
            seen[el.id] = (seen[el.id] || 0) + 1;
        return Object.entries(seen).filter(([, n]) => n > 1);
    }}"""
    )
    assert not repeated, f"ids used more than once in the outputs: {repeated[:12]}"


def _name(page: Any) -> tuple[str, str]:
    """The focused element's role and accessible name, as Playwright's accessibility snapshot
    (YAML: ``- checkbox "◆ DATE (4)" [checked]``) has them."""
    entry = yaml.safe_load(page.locator("*:focus").aria_snapshot())[0]
    head = next(iter(entry)) if isinstance(entry, dict) else str(entry)
    match = re.match(r'([\w-]+)(?:\s+"(.*)")?', head)
    return (match.group(1), match.group(2) or "") if match else ("", "")


def _index(output: Any) -> int:
    return int(output.evaluate(f"el => [...document.querySelectorAll('{OUTPUTS}')].indexOf(el)"))


def _tab_to(page: Any, output: Any, want: Any, *, start: bool = True) -> dict[str, Any]:
    """Presses Tab until the focused element satisfies ``want``: from ``output`` (focused as if
    a student had reached it) when ``start``, else from where the focus is, without leaving
    the output. Every stop inside the output must show its focus and have a name."""
    index = _index(output)
    if start:
        output.evaluate("el => { el.setAttribute('tabindex', '-1'); el.focus(); }")
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, "Tab left the notebook"
        if focused["output"] != index:
            assert start, f"Tab left the output before reaching the control: {focused}"
            continue
        assert focus_shown(page), f"no visible focus on {focused['html']}"
        role, name = _name(page)
        assert name.strip(), f"no accessible name for {role or focused['tag']}: {focused['html']}"
        focused.update(role=role, name=name)
        if want(focused):
            return focused
    raise AssertionError(f"{MOST_TABS} presses of Tab never reached the control")


def test_keyboard_walk_toggles_an_excerpt_layer(lesson_page: Any) -> None:
    """Tab reaches a layer's tick box in the lesson's first annotated excerpt; Space ticks or
    unticks it, and the excerpt's highlights change."""
    page = lesson_page
    output = page.locator(f"{OUTPUTS}:has(.homs-excerpt):has(input[type=checkbox])").first
    output.scroll_into_view_if_needed()
    marks = output.locator(".homs-excerpt mark")
    before = marks.count()
    layer = _tab_to(
        page,
        output,
        lambda f: (
            f["type"] == "checkbox"
            and (m := re.search(r"\((\d+)\)", f["name"])) is not None
            and int(m.group(1)) > 0
        ),
    )
    page.keyboard.press("Space")
    page.wait_for_function(
        "([el, n]) => el.querySelectorAll('.homs-excerpt mark').length !== n",
        arg=[output.element_handle(), before],
        timeout=20_000,
    )
    assert page.evaluate(FOCUSED)["checked"] is not layer["checked"], "Space did not toggle it"


def test_keyboard_walk_answers_a_self_check(lesson_page: Any) -> None:
    """In the lesson's first self-check with options: Tab reaches an option and Space ticks it,
    Tab reaches Check and Enter presses it, and the feedback arrives in a live region that was
    in the page before (so a screen reader announces it); the focus stays in the question, and
    the question with its feedback passes the audit."""
    page = lesson_page
    output = page.locator(
        f"{OUTPUTS}:has(button:text-is('Check')):has(input[type=checkbox], input[type=radio])"
    ).first
    output.scroll_into_view_if_needed()
    live = output.locator(LIVE)
    assert live.count() >= 1, "the self-check has no live region for its feedback"
    before = [live.nth(i).inner_text() for i in range(live.count())]
    _tab_to(page, output, lambda f: f["type"] in ("checkbox", "radio"))
    page.keyboard.press("Space")
    assert page.evaluate(FOCUSED)["checked"], "Space did not choose the option"
    _tab_to(page, output, lambda f: f["role"] == "button" and f["name"] == "Check", start=False)
    page.keyboard.press("Enter")
    region = output.locator(LIVE).first
    page.wait_for_function(
        "([el, t]) => el.innerText !== t"
        " && /Correct|Not yet|Not answered|accepted/.test(el.innerText)",
        arg=[region.element_handle(), before[0]],
        timeout=20_000,
    )
    focused = page.evaluate(FOCUSED)
    assert focused is not None, "the focus was lost after Check"
    assert focused["output"] == _index(output), "the focus left the question"
    # The feedback, now shown, passes the audit too.
    output.evaluate("el => el.setAttribute('data-homs-audited', '')")
    with whole_notebook_on_screen(page):
        bad = blocking(audit(page, context="[data-homs-audited]"))
    output.evaluate("el => el.removeAttribute('data-homs-audited')")
    assert not bad, f"the self-check with its feedback: {counts(bad)}\n{describe(bad)}"
