"""`docarchive diff`: two real builds of the fixture archive, before and after an editor's change."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from PIL import Image
from support import make_archive, run_mkdocs


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    root = make_archive(tmp_path_factory.mktemp("diff") / "archive")
    before = run_mkdocs(root)
    assert before.returncode == 0, before.output
    old_site = root.parent / "old-site"
    shutil.move(root / "site", old_site)
    alpha = root / "stories/one/alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("More text about alpha.",
                                                               "Rewritten text about alpha."), encoding="utf-8")
    (root / "stories/one/aardvark.md").unlink()
    (root / "stories/one/aardvark.zh.md").unlink(missing_ok=True)  # its Chinese goes with it
    (root / "stories/two/zebra.md").write_text(
        "---\ntitle: Zebra story\nstage: two\ndate: 2016\nsummary: A new story.\nsources: [src]\n---\n\n"
        "The zebra story's first paragraph.\n", encoding="utf-8")
    Image.new("RGB", (1200, 800), (10, 90, 30)).save(root / "photos/field.jpg", "JPEG")
    (root / "photos/field.yml").write_text(
        "caption: A field in spring.\nalt: A green field.\ncredit: Ann Author\nlicense: CC0\n"
        "consent: not-applicable\nstage: two\n", encoding="utf-8")
    figures = root / "data/figures.yml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("value: 620000000", "value: 630000000"),
                       encoding="utf-8")
    after = run_mkdocs(root)
    assert after.returncode == 0, after.output
    return old_site, root / "site"


def diff(old, new, fmt):
    out = subprocess.run([sys.executable, "-m", "docarchive", "diff", str(old), str(new), "--format", fmt],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_json_lists_pages_story_text_photos_and_figures(two_builds):
    changes = json.loads(diff(*two_builds, "json"))
    assert {"page": "stories/two/zebra/", "title": "Zebra story"} in changes["added"]
    assert any(p["page"] == "photos/field/" for p in changes["added"])
    assert any(p["page"] == "stories/one/aardvark/" for p in changes["removed"])
    changed = {p["page"] for p in changes["changed"]}
    assert "stories/one/alpha/" in changed and "figures/" in changed
    assert "about/" not in changed  # a page whose content did not change is not listed
    alpha = next(s for s in changes["stories"] if s["page"] == "stories/one/alpha/")
    assert "-More text about alpha." in alpha["diff"] and "+Rewritten text about alpha." in alpha["diff"]
    zebra = next(s for s in changes["stories"] if s["page"] == "stories/two/zebra/")
    assert zebra["status"] == "added" and "+The zebra story\u2019s first paragraph." in zebra["diff"]  # smarty
    assert [p["page"] for p in changes["photos_added"]] == ["photos/field/"]
    money = next(f for f in changes["figures"] if f["id"] == "money")
    assert money["status"] == "changed"
    assert (money["before"]["value"], money["after"]["value"]) == ("620000000", "630000000")


def test_markdown_is_a_summary_for_the_pull_request(two_builds):
    text = diff(*two_builds, "markdown")
    assert text.startswith("## Changes to the built site")
    assert "### Pages added" in text and "- `stories/two/zebra/` Zebra story" in text
    assert "```diff" in text and "+Rewritten text about alpha." in text
    assert "### Photos added" in text and "`photos/field/`" in text
    assert "| Money invested (`money`) | changed | 620000000 yuan (2020-08) | 630000000 yuan (2020-08) |" in text


def test_the_same_site_twice_has_no_changes(two_builds):
    old, _ = two_builds
    assert "No page of the site changed." in diff(old, old, "markdown")
    assert json.loads(diff(old, old, "json"))["changed"] == []
