"""Gallery, photo pages and photos in stories, from real builds; the lightbox in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from support import Server, Tags, content, run_mkdocs, tree_digest

from docarchive import images


def check_picture(tags: Tags, site: Path, page_dir: Path):
    """Every <picture>: WebP source + JPEG img with srcset, sizes, width, height, alt, async decoding."""
    sources, imgs = tags.all("source", type="image/webp"), tags.all("img", srcset=".jpeg")
    assert sources and len(sources) == len(imgs)
    # In each <picture>: a <source> per format, best first, then the JPEG <img> every browser shows.
    best_first = [images.MIME[fmt] for fmt in images.FORMATS if fmt != "jpeg"]
    names = [(tag, attrs) for tag, attrs in tags.tags if tag in ("picture", "source", "img")]
    for i, (tag, _) in enumerate(names):
        if tag == "picture":
            inside = names[i + 1: i + 2 + len(best_first)]
            assert [a.get("type") for t, a in inside[:-1] if t == "source"] == best_first
            assert inside[-1][0] == "img" and inside[-1][1]["src"].endswith(".jpeg")
    for source, img in zip(sources, imgs):
        assert source["sizes"] == img["sizes"]
        for srcset in (source["srcset"], img["srcset"]):
            for entry in srcset.split(", "):
                url, width = entry.split(" ")
                assert re.fullmatch(r"\d+w", width)
                assert (page_dir / url).resolve().is_file(), url
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert img["alt"] and img["decoding"] == "async"
        with Image.open((page_dir / img["src"]).resolve()) as im:
            assert im.width * int(img["height"]) == pytest.approx(im.height * int(img["width"]), rel=0.01)
    return imgs


def test_gallery_groups_photos_by_stage_with_fast_thumbnails(mini_site):
    html = content(mini_site.html("photos/index.html"))
    tags = Tags(html)
    assert [a["id"] for a in tags.all("h2")] == ["stage-one", "stage-two"]  # stage three has no photos
    assert html.index("Workers sew travel bags") < html.index('id="stage-two"') < html.index("A loom in a village")
    # the placeholder for a published photograph: a compact record with a small card, no image
    assert html.index('id="stage-two"') < html.index('class="da-photo-record"') and "not reproduced here" in html
    imgs = check_picture(tags, mini_site.site, mini_site.site / "photos")
    # thumbnails: the small JPEG as src, a small-screen sizes attribute
    assert all(img["src"].endswith("-320.jpeg") and "15rem" in img["sizes"] for img in imgs)
    # only the first image of the page is loaded at once
    assert [img.get("loading") for img in imgs] == [None, "lazy"]
    assert imgs[0]["fetchpriority"] == "high"
    # the placeholder colour and blurred preview sit behind each image
    for picture in tags.all("picture"):
        assert re.search(r"background-color: #[0-9a-f]{6}; background-image: url\(data:image/webp;base64,",
                         picture["style"])
    # each thumbnail opens the lightbox; without script, its link opens the largest JPEG
    links = tags.all("a", **{"class": "da-zoom"})
    assert len(links) == 2 and all(a["href"].endswith("-1600.jpeg") and a["data-da-lightbox"].endswith(".webp")
                                   for a in links)
    assert 'href="bags/"' in html and 'href="card/"' in html  # captions link to the photo pages
    assert "Huang Yan · All rights reserved" in html


def test_photo_page_has_caption_credit_date_place_license_consent_stories_and_largest_size(mini_site):
    html = content(mini_site.html("photos/bags/index.html"))
    tags = Tags(html)
    [img] = check_picture(tags, mini_site.site, mini_site.site / "photos" / "bags")
    assert "loading" not in img and img["alt"] == "Rows of sewing machines with workers at them."
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\s+", " ", text)
    for expected in ("Caption", "Workers sew travel bags.", "Credit Huang Yan", "License All rights reserved",
                     "Date 2020", "Place", "Consent public event", "In stories", "Alpha story", "Epsilon story",
                     "Largest size 1600 × 1200 pixels: WEBP (", "· JPEG ("):
        assert expected in text, expected
    assert "About this photo" not in html  # no link to itself
    assert tags.all("a", href="../../media/bags-") and tags.all("a", type="image/webp")
    placeholder = content(mini_site.html("photos/card/index.html"))
    assert "This image is a generated card, not a photograph." in placeholder


def test_story_shows_its_first_photo_at_once_and_the_next_lazily(mini_site):
    html = content(mini_site.html("stories/three/epsilon/index.html"))
    imgs = check_picture(Tags(html), mini_site.site, mini_site.site / "stories" / "three" / "epsilon")
    # Its photographs, the first at once; its placeholder (for a published photograph) as a compact record.
    assert [img.get("loading") for img in imgs] == [None, "lazy"]
    assert 'class="da-photo-record"' in html and "not reproduced here" in html
    figcaptions = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    assert "Huang Yan · All rights reserved" in figcaptions[0] and "About this photo" in figcaptions[0]


def test_a_changed_or_removed_photo_leaves_no_stale_file_and_warm_builds_are_quiet(archive):
    first = run_mkdocs(archive)
    assert first.returncode == 0, first.output
    old = {p.name for p in (archive / "site" / "media").iterdir()}
    assert len(old) == 24  # 3 photos x 2 formats x 4 widths

    warm = run_mkdocs(archive)
    assert warm.returncode == 0 and "photos:" not in warm.output  # nothing encoded, nothing said
    assert {p.name for p in (archive / "site" / "media").iterdir()} == old

    # A changed image gets new files; a photo removed from the archive leaves nothing behind.
    Image.new("RGB", (1000, 800), (10, 200, 10)).save(archive / "photos" / "bags.jpg")
    for story, before, after in (("one/aardvark.md", "[card]", "[]"), ("three/epsilon.md", "[bags, loom, card]", "[bags, loom]")):
        path = archive / "stories" / story
        path.write_text(path.read_text().replace(f"photos: {before}", f"photos: {after}"))
    (archive / "photos" / "card.yml").unlink()
    (archive / "photos" / "card.png").unlink()
    changed = run_mkdocs(archive)
    assert changed.returncode == 0, changed.output
    media = {p.name for p in (archive / "site" / "media").iterdir()}
    assert media - old and all(name.startswith("bags-") for name in media - old)  # the changed photo
    assert media & old and all(name.startswith("loom-") for name in media & old)  # the unchanged one
    assert not any(name.startswith("card-") for name in media)  # the removed one
    assert any(name.endswith("-1000.jpeg") for name in media)
    cache = archive / ".cache" / "photos"
    assert len(list(cache.glob("*.json"))) == 2 and len(list(cache.iterdir())) == 2 + len(media)


def test_a_tiny_image_fails_strict_builds_with_a_warning_naming_it(archive):
    Image.new("RGB", (240, 180), "gray").save(archive / "photos" / "bags.jpg")
    build = run_mkdocs(archive)
    assert build.returncode == 1
    assert "WARNING -  photos/bags.jpg: image: is only 240 pixels wide (smaller than 320)" in build.output


def test_a_broken_image_stops_the_build_and_writes_nothing(archive):
    cache = archive / ".cache" / "photos"
    good = run_mkdocs(archive)
    assert good.returncode == 0, good.output
    site_before, cache_before = tree_digest(archive / "site"), tree_digest(cache)
    assert len(cache_before) == 3 + 24  # a manifest per photo, and its derivatives
    data = (archive / "photos" / "bags.jpg").read_bytes()
    (archive / "photos" / "bags.jpg").write_bytes(data[: len(data) // 2])
    build = run_mkdocs(archive)
    assert build.returncode == 1
    assert "photos/bags.jpg: image: cannot be decoded (image file is truncated" in build.output
    assert tree_digest(archive / "site") == site_before
    assert tree_digest(cache) == cache_before


# ------------------------------------------------------------------ lightbox

@pytest.fixture(scope="module")
def http_site(mini_site):
    server = Server(mini_site.site)
    yield server.url
    server.close()


def lightbox_state(page) -> dict:
    return page.evaluate("""() => {
        const d = document.querySelector('dialog.da-lightbox');
        const img = d && d.querySelector('img');
        return {open: !!(d && d.open), label: d && d.getAttribute('aria-label'),
                src: img ? img.currentSrc || img.src : '', loaded: !!(img && img.complete && img.naturalWidth > 0),
                alt: img ? img.alt : '', caption: d ? d.querySelector('figcaption').textContent : '',
                focus: document.activeElement.className,
                focusHref: document.activeElement.getAttribute('href')};
    }""")


def drive_lightbox(page, url: str):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    first_href = page.locator("a.da-zoom").first.get_attribute("href")
    # Keyboard only: Tab to the first photo, Enter opens it.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('da-zoom')"):
            break
    else:
        raise AssertionError("no photo link is reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('dialog.da-lightbox').open")
    page.wait_for_function("document.querySelector('dialog.da-lightbox img').complete")
    state = lightbox_state(page)
    assert state["open"] and state["label"] == "Photo viewer" and state["loaded"], state
    assert "bags-" in state["src"] and state["src"].endswith(".webp")
    assert state["alt"] == "Rows of sewing machines with workers at them."
    assert "Workers sew travel bags" in state["caption"] and "Photo 1 of 2" in state["caption"]
    assert "da-lightbox__close" in state["focus"]  # focus moved into the dialog

    page.keyboard.press("ArrowRight")
    state = lightbox_state(page)
    assert "loom-" in state["src"] and "Photo 2 of 2" in state["caption"] and "A loom" in state["caption"]
    page.keyboard.press("ArrowRight")  # wraps around
    assert "Photo 1 of 2" in lightbox_state(page)["caption"]
    page.keyboard.press("ArrowLeft")
    assert "Photo 2 of 2" in lightbox_state(page)["caption"]

    page.keyboard.press("Escape")
    state = lightbox_state(page)
    assert not state["open"]
    assert "da-zoom" in state["focus"] and state["focusHref"] == first_href  # focus returns to the opener
    assert errors == []


@pytest.mark.browser
def test_lightbox_by_keyboard_over_http(browser, http_site):
    page = browser.new_page()
    drive_lightbox(page, http_site + "photos/")
    page.close()


@pytest.mark.browser
def test_lightbox_by_keyboard_from_file(browser, mini_site):
    page = browser.new_page()
    drive_lightbox(page, (mini_site.site / "photos" / "index.html").as_uri())
    page.close()
