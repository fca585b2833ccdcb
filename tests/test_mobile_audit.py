"""axe-core as Lighthouse runs it, on a phone, over each page kind of this repository's archive.

Lighthouse's accessibility score is axe-core with its own rule set (WCAG 2 A and AA,
plus rules such as target-size, off by default in axe) in its mobile preset's
screen. The same axe-core (package-lock.json) runs here with that rule set and
screen, over one page of each kind, English and Chinese, so that what would cost
Lighthouse points (a stage colour on paper, touch targets under 24 px) fails a
test. ``make lighthouse`` (bench/lighthouse.py) gives the scores themselves.
"""

from __future__ import annotations

import json

import pytest
from support import REAL_PAGE_KINDS, Server

# One page of each kind (as bench/lighthouse.py), in both editions.
KINDS = REAL_PAGE_KINDS
PAGES = {**KINDS, **{f"zh-{name}": f"zh/{path}" for name, path in KINDS.items()}}

# Lighthouse 12's screen for its mobile preset (a Moto G Power) and its axe options
# (lighthouse/core/gather/gatherers/accessibility.js): WCAG 2 A and AA, with these rules switched.
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True,
         "has_touch": True}
LIGHTHOUSE_RULES = {
    **{rule: True for rule in (
        "accesskeys", "aria-allowed-role", "aria-conditional-attr", "aria-deprecated-role", "aria-dialog-name",
        "aria-prohibited-attr", "aria-treeitem-name", "aria-text", "empty-heading", "heading-order",
        "html-xml-lang-mismatch", "identical-links-same-purpose", "image-redundant-alt", "input-button-name",
        "label-content-name-mismatch", "landmark-one-main", "link-in-text-block", "meta-viewport", "select-name",
        "skip-link", "tabindex", "table-duplicate-name", "table-fake-caption", "target-size", "td-has-header")},
    **{rule: False for rule in (
        "area-alt", "aria-braille-equivalent", "aria-roledescription", "audio-caption", "blink", "duplicate-id",
        "frame-focusable-content", "frame-title-unique", "marquee", "nested-interactive", "no-autoplay-audio",
        "role-img-alt", "scrollable-region-focusable", "server-side-image-map", "summary-name", "svg-img-alt")},
}
OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "resultTypes": ["violations"],
           "rules": {rule: {"enabled": on} for rule, on in LIGHTHOUSE_RULES.items()}}


@pytest.fixture(scope="module")
def phone_results(axe, browser, real_editions):
    server = Server(real_editions.site)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    results = {}
    try:
        for name, path in PAGES.items():
            page.goto(server.url + path)
            page.add_script_tag(path=str(axe))
            results[name] = page.evaluate(
                f"async () => (await axe.run(document, {json.dumps(OPTIONS)})).violations.map("
                "v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary).slice(0, 3)}))")
    finally:
        context.close()
        server.close()
    return results


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_with_lighthouse_rules_on_a_phone_finds_nothing(phone_results, name):
    assert phone_results[name] == []

