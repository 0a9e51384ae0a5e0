"""A case page's "Cite this case": the copy button puts the citation, as shown, on the clipboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .harness import OpenPage

CASE_ID = "camden-mission-led-procurement"


def test_the_copy_button_copies_the_citation(open_page: OpenPage, cases: list[dict[str, Any]]) -> None:
    visit = open_page(f"cases/{CASE_ID}.html", permissions=("clipboard-read", "clipboard-write"))
    page = visit.page
    shown = page.locator(f"#casebook-cite-text-{CASE_ID}").inner_text().strip()
    (case,) = [c for c in cases if c["id"] == CASE_ID]
    assert case["title"] in shown
    page.get_by_role("button", name="Copy the citation").click()
    page.wait_for_function("() => document.querySelector('.casebook-copy-status').textContent !== ''")
    assert page.locator(".casebook-copy-status").first.inner_text() == "Copied."
    assert page.evaluate("navigator.clipboard.readText()") == shown
    visit.assert_clean()


def test_each_format_s_copy_button_copies_that_format(open_page: OpenPage) -> None:
    visit = open_page(f"cases/{CASE_ID}.html", permissions=("clipboard-read", "clipboard-write"))
    page = visit.page
    for block in page.locator(".casebook-cite-format").all():
        block.locator("summary").click()
        text = block.locator("pre").inner_text().strip()
        assert text
        block.get_by_role("button", name="Copy").click()
        page.wait_for_function("text => navigator.clipboard.readText().then(t => t === text)", arg=text)
    visit.assert_clean()
