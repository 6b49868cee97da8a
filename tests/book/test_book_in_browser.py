"""The course book in Chromium, offline: every page opens from its folder (file://) and from a
local web server with every request that leaves the site aborted; no console errors; every
self-check gives feedback when answered right and when answered wrong; layer toggles change
the highlights; images have alt text; the layout fits a phone; pages print without their menus.
Screenshots go to artifacts/book/ (ignored by git)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from homs import excerpts

from ._browser import PHONE, SCREENSHOTS, Site, answer, pages, right_and_wrong, state_of

pytestmark = pytest.mark.slow


def _shot(page: Any, name: str, full: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full)


def _stem(path: str) -> str:
    return path.removesuffix(".html").replace("/", "-")


def test_every_page_opens_offline_with_no_errors(site: Site, book: Any) -> None:
    """Each page loads with nothing from outside the site, no console error, every widget
    drawn and every image shown with its alt text."""
    problems = []
    for path in pages(book.out):
        page = site.goto(path)
        images = page.locator("main img, article img")
        for i in range(images.count()):
            image = images.nth(i)
            alt = image.get_attribute("alt")
            if not alt or not alt.strip():
                problems.append(
                    f"{path}: an image has no alt text: {image.get_attribute('src')[:80]}"
                )
            image.scroll_into_view_if_needed()
            if not image.evaluate("img => img.complete && img.naturalWidth > 0"):
                problems.append(f"{path}: an image did not load")
        if page.locator(".homs-widget:not([data-homs-ready='true'])").count():
            problems.append(f"{path}: a widget was not drawn")
        for link in page.locator(".dropdown-download-buttons a[href]").all():
            target = (book.out / path).parent / link.get_attribute("href")
            if not target.is_file():
                problems.append(f"{path}: the download button's {target.name} is missing")
        if site.base.startswith("http"):
            _shot(page, _stem(path))
    assert not site.blocked, f"requests left the site: {site.blocked[:10]}"
    assert not site.errors, "\n".join(site.errors[:20])
    assert not problems, "\n".join(problems)


def _verdict(question: Any) -> str:
    feedback = question.locator(".homs-feedback-region .homs-feedback")
    feedback.wait_for(timeout=5_000)
    return feedback.inner_text()


def _questions(book: Any) -> list[str]:
    return [p for p in pages(book.out) if re.match(r"(\d\d-|practice/)", p)]


def test_every_self_check_gives_feedback_right_and_wrong(browser: Any, book: Any) -> None:
    """Each question of every lesson and practice page, answered through its controls: the
    preferred answer is marked right and explained with its sentences; a wrong one is marked
    not yet. No kernel: the page alone checks."""
    problems, checked = [], 0
    with Site.open(browser, book.out.as_uri(), book.out) as site:
        for path in _questions(book):
            page = site.goto(path)
            questions = page.locator(".homs-selfcheck")
            for i in range(questions.count()):
                question = questions.nth(i)
                question.scroll_into_view_if_needed()
                data = state_of(question)["data"]
                right, wrong = right_and_wrong(data)
                answer(question, data, right)
                question.locator("button.homs-check").click()
                text = _verdict(question)
                if not re.search(r"Correct\.|Checklist complete\.", text):
                    problems.append(
                        f"{path} #{i} ({data['kind']}): right answer gave: {text[:200]}"
                    )
                elif (
                    data["kind"] != "evidence"
                    and not question.locator(".homs-feedback .homs-cites, .homs-feedback p").count()
                ):
                    problems.append(f"{path} #{i}: no explanation with the right answer")
                answer(question, data, wrong)
                question.locator("button.homs-check").click()
                text = _verdict(question)
                if "Not yet." not in text:
                    problems.append(
                        f"{path} #{i} ({data['kind']}): wrong answer gave: {text[:200]}"
                    )
                checked += 1
        _shot(site.page, "practice-checked")
    assert not site.errors, "\n".join(site.errors[:20])
    assert not problems, "\n".join(problems)
    assert checked >= 40, f"only {checked} self-checks found"


def test_a_self_check_works_from_the_keyboard(browser: Any, book: Any) -> None:
    """Tab reaches an option and the Check button; Space ticks, Enter checks; the feedback
    appears in a live region, and focus is visible."""
    with Site.open(browser, book.out.as_uri(), book.out) as site:
        page = site.goto("01-meet-the-sources.html")
        question = page.locator(".homs-selfcheck").first
        data = state_of(question)["data"]
        first = question.locator("input[type=radio]").first
        first.focus()
        page.keyboard.press("Space")
        assert first.is_checked()
        outline = first.evaluate("el => getComputedStyle(el).outlineStyle")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check"
        page.keyboard.press("Enter")
        region = question.locator(".homs-feedback-region")
        assert region.get_attribute("aria-live") == "polite"
        expected = "Correct." if data["options"][0][0] == data["answer"] else "Not yet."
        assert expected in _verdict(question)
        assert outline != "none", "no visible focus on the option"
        _shot(page, "keyboard-check")


def test_ordering_buttons_keep_focus_on_the_moved_item(browser: Any, book: Any) -> None:
    """Moving an item with Down keeps focus on that item's button, and the move is announced."""
    with Site.open(browser, book.out.as_uri(), book.out) as site:
        page = site.goto("01-meet-the-sources.html")
        question = page.locator(".homs-selfcheck[data-kind='ordering']").first
        first_key = question.locator("ol.homs-order > li").first.get_attribute("data-key")
        question.locator(f'button[data-move="down"][data-key="{first_key}"]').focus()
        page.keyboard.press("Enter")
        keys = question.locator("ol.homs-order > li").evaluate_all("l => l.map(x => x.dataset.key)")
        assert keys[1] == first_key
        assert page.evaluate("document.activeElement.dataset.key") == first_key
        assert "now 2 of" in question.locator(".homs-ordering [role=status]").inner_text()


def test_layer_toggles_change_the_highlights(browser: Any, book: Any) -> None:
    """In every lesson, ticking and unticking an annotation layer changes what is highlighted."""
    problems, toggled = [], 0
    with Site.open(browser, book.out.as_uri(), book.out) as site:
        for path in [p for p in pages(book.out) if re.match(r"\d\d-", p)]:
            page = site.goto(path)
            widgets = page.locator(".homs-excerpt-widget")
            for i in range(widgets.count()):
                widget = widgets.nth(i)
                widget.scroll_into_view_if_needed()
                boxes = widget.locator(".homs-layers input[type=checkbox][value]")
                box = boxes.first
                before = widget.locator(f"mark.homs-c-{box.get_attribute('value')}").count()
                marks = widget.locator(".homs-excerpt-view mark").count()
                box.click()
                after = widget.locator(f"mark.homs-c-{box.get_attribute('value')}").count()
                if (before == 0) == (after == 0) or widget.locator(
                    ".homs-excerpt-view mark"
                ).count() == marks:
                    problems.append(f"{path} excerpt {i}: toggling {box.get_attribute('value')}")
                box.click()
                toggled += 1
            if path.startswith("02-"):
                _shot(page, "excerpt-toggled")
    assert not site.errors, "\n".join(site.errors[:20])
    assert not problems, "\n".join(problems)
    assert toggled >= 20


def _subsets(layers: list[str], shown: list[str]) -> list[list[str]]:
    out = [shown, layers, [], *([key] for key in layers)]
    out += [[k for k in layers if k != key] for key in layers]
    return [list(s) for s in dict.fromkeys(tuple(s) for s in out)]


def test_excerpt_layers_in_the_page_are_what_homs_draws(browser: Any, book: Any) -> None:
    """For every excerpt of two lessons and several choices of layers, the page shows exactly
    the HTML homs.excerpts.excerpt_html gives for those layers (same marks, tags, notes and
    numbering)."""
    compare = """([view, html]) => {
        const t = document.createElement('template'); t.innerHTML = html;
        const box = document.createElement('div'); box.append(t.content);
        return view.innerHTML === box.innerHTML;
    }"""
    problems, compared = [], 0
    with Site.open(browser, book.out.as_uri(), book.out) as site:
        for path in ("01-meet-the-sources.html", "06-putting-it-together.html"):
            page = site.goto(path)
            widgets = page.locator(".homs-excerpt-widget")
            for i in range(widgets.count()):
                widget = widgets.nth(i)
                state = state_of(widget)
                layers = [layer["key"] for layer in state["layers"]]
                choices = [(s, False) for s in _subsets(layers, state["shown"])]
                if state["html_raw"]:  # Source A: also with its stored tokens shown
                    choices += [(state["shown"], True), (layers, True)]
                for subset, raw in choices:
                    for key in layers:
                        box = widget.locator(f'.homs-layers input[value="{key}"]')
                        box.set_checked(key in subset)
                    if state["html_raw"]:
                        widget.locator(".homs-layers input:not([value])").set_checked(raw)
                    expected = excerpts.excerpt_html(
                        state["source"],
                        state["first"],
                        state["last"],
                        layers=subset,
                        uid=state["uid"],
                        show_raw=raw,
                    )
                    view = widget.locator(".homs-excerpt-view").element_handle()
                    if not page.evaluate(compare, [view, expected]):
                        problems.append(f"{path} excerpt {i} layers {subset} raw {raw}")
                    compared += 1
    assert not problems, "\n".join(problems[:20])
    assert compared >= 30


def test_the_timeline_explorer_changes_with_no_kernel(browser: Any, book: Any) -> None:
    """In Lesson 2, unticking a source and choosing a period show the chart for that choice,
    drawn beforehand, with its alt text; unticking every source asks for one."""
    with Site.open(browser, book.out.as_uri(), book.out) as site:
        page = site.goto("02-timeline.html")
        explorer = page.locator(".homs-timeline").first
        explorer.scroll_into_view_if_needed()
        image = explorer.locator(".homs-tl-image img")
        assert "Source A" in image.get_attribute("alt")
        explorer.locator("input[type=checkbox][value=A]").uncheck()
        assert "Source A reports" not in image.get_attribute("alt")
        explorer.locator("input[type=radio]").nth(1).check()
        assert "2011" in image.get_attribute("alt")
        _shot(page, "timeline-explorer")
        for source in ("B", "C"):
            explorer.locator(f"input[type=checkbox][value={source}]").uncheck()
        assert "Tick at least one source" in explorer.inner_text()
        assert not image.count()
    assert not site.errors, site.errors


def test_the_texts_are_whole_with_their_sentence_ids(browser: Any, book: Any) -> None:
    """Each text's page shows every sentence, each with its id."""
    from homs import sources

    with Site.open(browser, book.out.as_uri(), book.out) as site:
        for source in sources.load().values():
            page = site.goto(f"texts/source-{source.id.lower()}.html")
            text = page.locator("article").inner_text()
            for sentence in source.sentences:
                assert page.locator(f'[id$="-{sentence.id}"] .homs-sid').count() == 1, sentence.id
            assert source.sentences[-1].text.split()[-1].strip('"') in text


def test_the_layout_fits_a_phone(browser: Any, book: Any) -> None:
    """At 375 px, no page scrolls sideways (wide tables and charts stay in their boxes), and
    the self-check controls fit."""
    problems = []
    with Site.open(browser, book.out.as_uri(), book.out, viewport=PHONE) as site:
        for path in pages(book.out):
            page = site.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"] + 1:
                problems.append(f"{path}: the page is {width} px wide")
            wide = page.evaluate(
                """() => [...document.querySelectorAll('.homs-selfcheck, .homs-excerpt-widget')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1).length"""
            )
            if wide:
                problems.append(f"{path}: {wide} widgets wider than the screen")
            _shot(page, f"phone-{_stem(path)}")
        page = site.goto("02-timeline.html")
        page.locator(".homs-selfcheck[data-kind='ordering']").first.scroll_into_view_if_needed()
        _shot(page, "phone-ordering")
    assert not problems, "\n".join(problems)


def test_pages_print_without_menus(browser: Any, book: Any) -> None:
    """In print, the menus, buttons and answer controls are left out, the questions stay; a
    lesson prints as a PDF (artifacts/book/lesson-1.pdf)."""
    with Site.open(browser, book.out.as_uri(), book.out) as site:
        page = site.goto("01-meet-the-sources.html")
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => ['.bd-sidebar-primary', '.bd-header', '.homs-selfcheck .homs-actions']
            .map(s => document.querySelector(s))
            .every(el => !el || getComputedStyle(el).display === 'none')"""
        )
        assert hidden
        assert page.locator(".homs-selfcheck .homs-q-prompt").first.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pdf = SCREENSHOTS / "lesson-1.pdf"
        page.pdf(path=str(pdf), format="A4")
        assert pdf.stat().st_size > 50_000
        _shot(page, "print-lesson-1")
