"""The photo pipeline: derivative sizes and formats, privacy, colour, cache, and each bad-input case."""

from __future__ import annotations

import hashlib

import base64
import io
import json
import logging
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms

from support import run_mkdocs, tree_digest

from docarchive import images
from docarchive.model import load_archive
from docarchive.problems import ContentError


@dataclass(frozen=True)
class FakePhoto:  # build_media needs only these two attributes of model.Photo
    id: str
    image: Path


def noisy(size, seed=0) -> Image.Image:
    """A picture with detail (so encoders do real work), cheap to make."""
    small = Image.effect_noise((max(1, size[0] // 8), max(1, size[1] // 8)), 40 + seed)
    return Image.merge("RGB", [small, small.transpose(Image.Transpose.FLIP_LEFT_RIGHT), small]).resize(size)


def derivative_paths(outputs):
    return {uri: path for uri, path in outputs}


# ------------------------------------------------------------ sizes and formats

@pytest.mark.parametrize("width, expected", [
    (4000, [320, 640, 1024, 1600]),
    (1600, [320, 640, 1024, 1600]),
    (1200, [320, 640, 1024, 1200]),
    (1100, [320, 640, 1100]),  # 1024 is within 10% of the top: not worth a file
    (1000, [320, 640, 1000]),
    (500, [320, 500]),
    (330, [330]),
    (200, [200]),
])
def test_widths_never_upscale(width, expected):
    assert images.target_widths(width) == expected


def test_derivatives_have_the_recorded_sizes_and_formats(tmp_path):
    src = tmp_path / "wide.jpg"
    noisy((2000, 1500)).save(src, quality=90)
    media, outputs = images.build_media([FakePhoto("wide", src)], tmp_path / "cache", workers=1)
    r = media["wide"]
    assert (r.width, r.height) == (2000, 1500)
    assert r.formats == ["webp", "jpeg"]  # best first, as the <source> elements; JPEG, the fallback, last
    files = derivative_paths(outputs)
    assert len(files) == 8
    for fmt, pil_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        assert [d.width for d in r.of(fmt)] == [320, 640, 1024, 1600]
        for d in r.of(fmt):
            assert d.uri == f"media/wide-{images.content_key(src)[:8]}-{d.width}.{fmt}"
            assert d.height == round(1500 * d.width / 2000)
            with Image.open(files[d.uri]) as im:
                assert im.format == pil_format and im.size == (d.width, d.height) and im.mode == "RGB"
            assert d.bytes == files[d.uri].stat().st_size
    assert r.largest("webp").width == 1600 and r.smallest("jpeg").width == 320
    assert r.srcset("webp", lambda u: "../" + u).startswith("../media/wide-")
    assert r.srcset("jpeg").endswith("1600.jpeg 1600w")


def test_a_tiny_image_is_used_at_its_own_size(tmp_path):
    src = tmp_path / "tiny.png"
    noisy((200, 120)).save(src)
    media, _ = images.build_media([FakePhoto("tiny", src)], tmp_path / "cache", workers=1)
    assert [(d.width, d.height) for d in media["tiny"].of("jpeg")] == [(200, 120)]


def test_exif_orientation_is_applied(tmp_path):
    stored = Image.new("RGB", (1200, 800), "white")
    stored.paste((255, 0, 0), (0, 0, 200, 200))  # red in the top-left corner of the stored pixels
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90 degrees clockwise to display"
    src = tmp_path / "turned.jpg"
    stored.save(src, exif=exif, quality=95)
    media, outputs = images.build_media([FakePhoto("turned", src)], tmp_path / "cache", workers=1)
    r = media["turned"]
    assert (r.width, r.height) == (800, 1200)
    assert [(d.width, d.height) for d in r.of("jpeg")] == [(320, 480), (640, 960), (800, 1200)]
    with Image.open(derivative_paths(outputs)[r.largest("jpeg").uri]) as im:
        assert im.getexif().get(ExifTags.Base.Orientation) is None
        red, green, _ = im.getpixel((im.width - 50, 50))  # now top-right
        assert red > 200 and green < 60
        assert im.getpixel((50, 50))[1] > 200  # top-left is white


def test_large_jpegs_are_decoded_at_reduced_scale_and_still_turned(tmp_path, monkeypatch):
    stored = Image.new("RGB", (3300, 2200), "white")
    stored.paste((255, 0, 0), (0, 0, 400, 400))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 3  # upside down
    src = tmp_path / "big.jpg"
    stored.save(src, exif=exif)
    from PIL import JpegImagePlugin
    drafts = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = real_draft(self, mode, size)
        drafts.append((size, self.size))
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    media, outputs = images.build_media([FakePhoto("big", src)], tmp_path / "cache", workers=1)
    assert drafts == [((1600, 1067), (1650, 1100))]  # decoded at half scale, still wider than 1600
    r = media["big"]
    assert (r.width, r.height) == (3300, 2200) and r.largest().height == 1067
    with Image.open(derivative_paths(outputs)[r.largest("jpeg").uri]) as im:
        assert im.getpixel((im.width - 40, im.height - 40))[1] < 60  # the red corner is now bottom-right


def test_png_with_transparency_and_16_bit_grey_become_rgb(tmp_path):
    rgba = Image.new("RGBA", (700, 400), (0, 0, 255, 0))
    rgba.paste((0, 0, 255, 255), (0, 0, 350, 400))
    rgba.save(tmp_path / "alpha.png")
    Image.linear_gradient("L").resize((700, 400)).convert("I").point(lambda v: v * 257).convert("I;16").save(
        tmp_path / "deep.png")
    with Image.open(tmp_path / "deep.png") as deep:
        assert deep.mode.startswith("I") and deep.getextrema()[1] > 60000  # really 16 bits
    media, outputs = images.build_media([FakePhoto("alpha", tmp_path / "alpha.png"),
                                         FakePhoto("deep", tmp_path / "deep.png")], tmp_path / "cache", workers=1)
    files = derivative_paths(outputs)
    with Image.open(files[media["alpha"].largest("jpeg").uri]) as im:
        assert im.mode == "RGB"
        assert im.getpixel((600, 200))[0] > 240  # transparent part flattened on white
    with Image.open(files[media["deep"].largest("jpeg").uri]) as im:
        top, bottom = im.getpixel((350, 5)), im.getpixel((350, 395))
        assert top[0] < 20 and bottom[0] > 230  # scaled down to 8 bits, not clipped to white


# ------------------------------------------------------------------ privacy

def swapped_profile() -> bytes:
    """An RGB profile whose red and blue primaries are swapped: sRGB red means blue here."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", data[128:132])[0]
    entries = {bytes(data[132 + 12 * i:136 + 12 * i]): 136 + 12 * i for i in range(count)}
    r, b = entries[b"rXYZ"], entries[b"bXYZ"]
    data[r:r + 8], data[b:b + 8] = data[b:b + 8], data[r:r + 8]
    return bytes(data).replace("sRGB".encode("utf-16-be"), "Swap".encode("utf-16-be")).replace(b"sRGB", b"Swap")


# What people really upload carries where, when and by whom: each input below has all of it.
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
       b' exif:GPSLatitude="35,30.2N"><dc:creator>Jane Photographer</dc:creator></rdf:Description>'
       b'</rdf:RDF></x:xmpmeta>')
COMMENT = b"shot at home"
IPTC_CAPTION = b"IPTC caption: our street"
# Bytes that must be in no derivative: the values above, and the containers that carry metadata
# (JPEG APP1 Exif and APP13 Photoshop/IPTC, ICC profiles, WebP EXIF/XMP/ICCP chunks, PNG text chunks).
PRIVATE_MARKERS = (b"PhoneMaker", b"Phone 12", b"Jane Photographer", b"35,30.2N", COMMENT, IPTC_CAPTION,
                   b"Exif\x00\x00", b"xmpmeta", b"adobe:ns:meta", b"Photoshop 3.0", b"8BIM", b"ICC_PROFILE",
                   b"acsp", b"EXIF", b"XMP ", b"ICCP", b"tEXt", b"zTXt", b"iTXt", b"eXIf")


def camera_exif() -> Image.Exif:
    """EXIF such as a phone writes: maker, model, owner, date and the GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Artist] = "Jane Photographer"
    exif[ExifTags.Base.DateTime] = "2019:05:04 10:11:12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (103.0, 12.0, 1.0)
    return exif


def with_iptc(jpeg: bytes) -> bytes:
    """``jpeg`` with an APP13 Photoshop segment holding IPTC by-line and caption (Pillow cannot write IPTC)."""
    def dataset(number: int, value: bytes) -> bytes:
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value
    iptc = dataset(80, b"Jane Photographer") + dataset(120, IPTC_CAPTION)
    iptc += b"\x00" * (len(iptc) % 2)
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    body = b"Photoshop 3.0\x00" + resource
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_jpeg(path: Path, icc: bytes | None = None, colour=(255, 0, 0), tagged: bool = True) -> Path:
    """A JPEG such as a phone writes: EXIF with GPS, XMP, IPTC, a comment and (``tagged``) a colour profile."""
    im = noisy((1000, 700)) if colour is None else Image.new("RGB", (1000, 700), colour)
    buf = io.BytesIO()
    extra = {"icc_profile": icc or srgb_profile()} if tagged else {}
    im.save(buf, "JPEG", exif=camera_exif(), xmp=XMP, comment=COMMENT, quality=95, **extra)
    path.write_bytes(with_iptc(buf.getvalue()))
    return path


def camera_png(path: Path) -> Path:
    """A PNG with text chunks (tEXt, compressed zTXt, international iTXt holding XMP) and EXIF."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Photographer")
    info.add_text("Comment", COMMENT.decode(), zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    noisy((900, 600)).save(path, "PNG", pnginfo=info, exif=camera_exif())
    return path


def camera_webp(path: Path) -> Path:
    noisy((900, 600)).save(path, "WEBP", exif=camera_exif(), xmp=XMP, quality=90)
    return path


UPLOADS = {
    "srgb.jpg": lambda path: camera_jpeg(path, colour=None),
    "untagged.jpg": lambda path: camera_jpeg(path, colour=None, tagged=False),
    "swapped.jpg": lambda path: camera_jpeg(path, icc=swapped_profile(), colour=None),  # converted to sRGB
    "text.png": camera_png,
    "camera.webp": camera_webp,
}


@pytest.mark.parametrize("name", sorted(UPLOADS))
def test_the_upload_fixtures_really_carry_their_metadata(tmp_path, name):
    path = UPLOADS[name](tmp_path / name)
    raw = path.read_bytes()
    with Image.open(path) as im:
        exif = im.getexif()
        assert exif[ExifTags.Base.Make] == "PhoneMaker"
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (35.0, 30.0, 12.5)
        assert b"Jane Photographer" in raw
        if im.format == "JPEG":
            from PIL import IptcImagePlugin

            assert IptcImagePlugin.getiptcinfo(im)[(2, 120)] == IPTC_CAPTION
            assert im.info["comment"] == COMMENT and "xmp" in im.info
            assert ("icc_profile" in im.info) == (name != "untagged.jpg")
        elif im.format == "PNG":
            assert im.text["Comment"] == COMMENT.decode() and "XML:com.adobe.xmp" in im.text
        else:
            assert "xmp" in im.info


@pytest.mark.parametrize("name", sorted(UPLOADS))
def test_no_derivative_keeps_any_metadata(tmp_path, name):
    src = UPLOADS[name](tmp_path / name)
    media, outputs = images.build_media([FakePhoto("up", src)], tmp_path / "cache", workers=1)
    assert len(outputs) == 6 and {d.format for d in media["up"].derivatives} == {"jpeg", "webp"}
    for uri, path in outputs:
        raw = path.read_bytes()
        for marker in PRIVATE_MARKERS:
            assert marker not in raw, f"{uri} contains {marker!r}"
        with Image.open(path) as im:
            assert not im.getexif(), uri
            assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(im.info), (uri, im.info.keys())


def test_colours_are_converted_to_srgb_through_the_profile(tmp_path):
    src = camera_jpeg(tmp_path / "cam.jpg", icc=swapped_profile(), colour=(255, 0, 0))
    media, outputs = images.build_media([FakePhoto("cam", src)], tmp_path / "cache", workers=1)
    with Image.open(derivative_paths(outputs)[media["cam"].smallest("jpeg").uri]) as im:
        r, g, b = im.getpixel((10, 10))
    assert b > 200 and r < 60, "the profile says this 'red' is blue"
    assert media["cam"].colour.startswith("#0")


def test_placeholder_colour_and_blurred_preview(tmp_path):
    im = Image.new("RGB", (1200, 800), (200, 30, 30))
    im.paste((20, 200, 20), (0, 0, 300, 200))
    im.save(tmp_path / "red.png")
    media, _ = images.build_media([FakePhoto("red", tmp_path / "red.png")], tmp_path / "cache", workers=1)
    r = media["red"]
    red, green, blue = (int(r.colour[i:i + 2], 16) for i in (1, 3, 5))
    assert red > 180 and green < 60 and blue < 60
    assert r.lqip.startswith("data:image/webp;base64,") and len(r.lqip) < 400
    with Image.open(io.BytesIO(base64.b64decode(r.lqip.split(",", 1)[1]))) as tiny:
        assert tiny.size == (16, 11)
    assert r.colour in r.placeholder_style and r.lqip in r.placeholder_style


# -------------------------------------------------------------------- cache

@pytest.fixture
def count_renders(monkeypatch):
    calls: list[str] = []
    real = images._render

    def counting(src, *args):
        calls.append(Path(src).name)
        return real(src, *args)

    monkeypatch.setattr(images, "_render", counting)
    return calls


def test_cache_hit_and_miss_by_content(tmp_path, count_renders):
    cache = tmp_path / "cache"
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    noisy((900, 600), 1).save(a)
    noisy((900, 600), 2).save(b)
    photos = [FakePhoto("a", a), FakePhoto("b", b)]

    first, out1 = images.build_media(photos, cache, workers=1)
    assert sorted(count_renders) == ["a.jpg", "b.jpg"]
    count_renders.clear()

    again, out2 = images.build_media(photos, cache, workers=1)  # warm: nothing re-encoded
    assert count_renders == [] and again == first and out2 == out1

    a.touch()  # a newer file with the same bytes is still a hit
    images.build_media(photos, cache, workers=1)
    assert count_renders == []

    noisy((900, 600), 3).save(b)  # changed content: only b is encoded again, under new names
    changed, out3 = images.build_media(photos, cache, workers=1)
    assert count_renders == ["b.jpg"]
    assert changed["a"] == first["a"] and changed["b"].largest().uri != first["b"].largest().uri
    count_renders.clear()

    renamed, _ = images.build_media([FakePhoto("a-renamed", a)], cache, workers=1)  # same bytes, new id
    assert count_renders == []
    assert renamed["a-renamed"].largest().uri.startswith("media/a-renamed-")
    # b is no longer referenced: its cache entry is pruned, so the cache does not grow without bound
    key_a = images.content_key(a)
    assert {p.name.split("-")[0].split(".")[0] for p in cache.iterdir()} == {key_a}


def damage_lines(capsys) -> list[str]:
    """The damage lines printed to stderr: WARNING lines of their own logger, outside MkDocs' count."""
    return [line for line in capsys.readouterr().err.splitlines() if "cache entry is damaged" in line]


def manifest_of(cache: Path) -> Path:
    [manifest] = cache.glob("*.json")
    return manifest


def test_a_missing_cached_file_is_made_again_with_one_line(tmp_path, count_renders, capsys):
    src = tmp_path / "a.jpg"
    noisy((700, 500)).save(src)
    media, outputs = images.build_media([FakePhoto("a", src)], tmp_path / "cache", workers=1)
    outputs[0][1].unlink()
    count_renders.clear()
    capsys.readouterr()
    again, outputs = images.build_media([FakePhoto("a", src)], tmp_path / "cache", workers=1)
    assert count_renders == ["a.jpg"] and again == media
    assert all(path.is_file() for _, path in outputs)
    assert damage_lines(capsys) == [f"WARNING -  photos: a.jpg: its cache entry is damaged ({outputs[0][1].name} "
                                    "is missing); making its derivatives again"]


MANIFEST_DAMAGE = {  # how a manifest can be wrong -> the words of the one line that says so
    "truncated": (lambda text: text[: len(text) // 2], "is not readable JSON"),
    "empty": (lambda text: "", "is not readable JSON"),
    "a list": (lambda text: "[]", "holds list, not an object"),
    "a string": (lambda text: '"x"', "holds str, not an object"),
    "no items": (lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "items"}),
                 "has no valid 'items'"),
    "no size": (lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "width"}),
                "has no valid 'width'"),
    "item without width": (lambda text: json.dumps({**json.loads(text), "items": [
        {k: v for k, v in item.items() if k != "width"} for item in json.loads(text)["items"]]}),
        "has an item without file, width, height, format and bytes"),
    "item naming another file": (lambda text: json.dumps({**json.loads(text), "items": [
        {**item, "file": "../../secret.txt"} for item in json.loads(text)["items"]]}),
        "names a file that is not its own ('../../secret.txt')"),
    "other settings": (lambda text: json.dumps({**json.loads(text), "settings": "{}"}), "was made with other settings"),
}


@pytest.mark.parametrize("damage", sorted(MANIFEST_DAMAGE))
def test_a_damaged_manifest_is_made_again_with_one_line_and_no_traceback(tmp_path, count_renders, capsys, damage):
    src, cache = tmp_path / "a.jpg", tmp_path / "cache"
    noisy((700, 500)).save(src)
    first, _ = images.build_media([FakePhoto("a", src)], cache, workers=1)
    manifest = manifest_of(cache)
    change, words = MANIFEST_DAMAGE[damage]
    manifest.write_text(change(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    count_renders.clear()
    capsys.readouterr()
    again, outputs = images.build_media([FakePhoto("a", src)], cache, workers=1)
    assert count_renders == ["a.jpg"] and again == first
    [line] = damage_lines(capsys)
    assert line.startswith(f"WARNING -  photos: a.jpg: its cache entry is damaged ({manifest.name} {words}")
    assert all(path.is_file() and path.parent == cache for _, path in outputs)
    count_renders.clear()
    images.build_media([FakePhoto("a", src)], cache, workers=1)  # repaired: a warm build again
    assert count_renders == [] and damage_lines(capsys) == []


def test_a_build_with_a_damaged_cache_recovers_strict_with_one_warning_line_each(archive):
    """The damage is a WARNING the reader sees, once per photo, yet the --strict build succeeds: the
    cache repairs itself, and only the archive's own problems fail a strict build."""
    first = run_mkdocs(archive)
    assert first.returncode == 0, first.output
    cache = archive / ".cache" / "photos"
    manifests = sorted(cache.glob("*.json"))
    manifests[0].write_text("[]", encoding="utf-8")  # valid JSON of the wrong shape
    manifests[1].write_text(manifests[1].read_text(encoding="utf-8")[:40], encoding="utf-8")  # truncated
    again = run_mkdocs(archive)
    assert again.returncode == 0, again.output
    assert "Traceback" not in again.output
    lines = [line for line in again.output.splitlines() if "cache entry is damaged" in line]
    assert len(lines) == 2 and all(line.startswith("WARNING -  photos: ") for line in lines), lines
    assert {line.split(": ")[1] for line in lines} == {"bags.jpg", "card.png"}
    assert "Aborted with" not in again.output and "in strict mode" not in again.output
    assert len(list((archive / "site" / "media").iterdir())) == 24
    assert sorted(p.name for p in cache.glob("*.json")) == [m.name for m in manifests]  # repaired in place


def jpeg_options(**changes):
    return ("JPEG", {**images.ENCODERS["jpeg"][1], **changes})


def webp_options(**changes):
    return ("WEBP", {**images.ENCODERS["webp"][1], **changes})


def is_progressive(path: Path) -> bool:
    with Image.open(path) as im:
        return bool(im.info.get("progressive"))


# Each setting of the pipeline, changed for real: (the change, what the new derivatives show:
# a function of the new Rendition, its files by URI, and the old sizes and preview)
SETTING_CHANGES = {
    "widths": (lambda mp: mp.setattr(images, "WIDTHS", (320, 800, 1600)),
               lambda r, paths, old: [d.width for d in r.of("jpeg")] == [320, 800, 1100]),
    "formats": (lambda mp: mp.setattr(images, "FORMATS", ("jpeg",)),
                lambda r, paths, old: r.formats == ["jpeg"]),
    "jpeg quality": (lambda mp: mp.setitem(images.ENCODERS, "jpeg", jpeg_options(quality=40)),
                     lambda r, paths, old: r.largest("jpeg").bytes < 0.8 * old["jpeg"]),
    "jpeg options": (lambda mp: mp.setitem(images.ENCODERS, "jpeg", jpeg_options(progressive=False)),
                     lambda r, paths, old: not is_progressive(paths[r.largest("jpeg").uri])),
    "webp quality": (lambda mp: mp.setitem(images.ENCODERS, "webp", webp_options(quality=30)),
                     lambda r, paths, old: r.largest("webp").bytes < 0.8 * old["webp"]),
    "webp options": (lambda mp: mp.setitem(images.ENCODERS, "webp", webp_options(method=0)),
                     lambda r, paths, old: r.largest("webp").bytes != old["webp"]),
    "preview width": (lambda mp: mp.setattr(images, "LQIP_WIDTH", 24),
                      lambda r, paths, old: r.lqip != old["lqip"]),
}


@pytest.mark.parametrize("setting", sorted(SETTING_CHANGES))
def test_changing_a_setting_encodes_the_photos_again(tmp_path, monkeypatch, count_renders, setting):
    src, cache = tmp_path / "a.jpg", tmp_path / "cache"
    noisy((1100, 740)).save(src, quality=95)
    before, outputs = images.build_media([FakePhoto("a", src)], cache, workers=1)
    r = before["a"]
    assert r.formats == ["webp", "jpeg"]  # best first: the order of the <source> elements, JPEG last
    assert is_progressive(dict(outputs)[r.largest("jpeg").uri])
    old = {"jpeg": r.largest("jpeg").bytes, "webp": r.largest("webp").bytes, "lqip": r.lqip}
    change, shows = SETTING_CHANGES[setting]
    change(monkeypatch)
    count_renders.clear()
    after, outputs = images.build_media([FakePhoto("a", src)], cache, workers=1)
    assert count_renders == ["a.jpg"], f"changing the {setting} re-used the old derivatives"
    assert shows(after["a"], dict(outputs), old)
    count_renders.clear()
    assert images.build_media([FakePhoto("a", src)], cache, workers=1)[0] == after and count_renders == []


def test_cold_build_uses_a_process_pool_and_reports_progress_warm_build_is_silent(tmp_path, caplog):
    photos = []
    for i in range(images.PROGRESS_MIN_PHOTOS + 1):
        path = tmp_path / f"p{i}.jpg"
        noisy((700, 500), i).save(path)
        photos.append(FakePhoto(f"p{i}", path))
    cache = tmp_path / "cache"
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.archive"):
        cold, _ = images.build_media(photos, cache, workers=2)
    messages = [r.getMessage() for r in caplog.records]
    assert any("with 2 process(es)" in m for m in messages), messages
    assert any(m.startswith(f"photos: {len(photos)}/{len(photos)} done, ") for m in messages), messages
    assert all(r.levelno == logging.INFO for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="mkdocs.hooks.archive"):
        warm, _ = images.build_media(photos, cache, workers=2)
    assert caplog.records == [] and warm == cold


def test_without_a_process_pool_photos_are_made_in_this_process(tmp_path, monkeypatch, caplog):
    def no_pool(*args, **kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(images, "ProcessPoolExecutor", no_pool)
    photos = []
    for i in range(3):
        noisy((500, 400), i).save(tmp_path / f"p{i}.jpg")
        photos.append(FakePhoto(f"p{i}", tmp_path / f"p{i}.jpg"))
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.archive"):
        media, outputs = images.build_media(photos, tmp_path / "cache", workers=2)
    assert len(media) == 3 and len(outputs) == 3 * 2 * 2
    assert "photos: no process pool (no semaphores here); encoding in this process" in caplog.messages


# ---------------------------------------------------------------- bad input

def png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size but holds (almost) no pixels: what a decompression bomb looks like."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    buf = io.BytesIO()
    noisy((800, 600)).save(buf, "JPEG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def as_bytes(im: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


BAD = {
    # name: (file name, bytes, text the one-line problem must contain)
    "over our pixel limit": ("bags.png", lambda: png_header(8000, 8000),
                             "photos/bags.png: image: 8000x8000 is 64,000,000 pixels, over the limit of 60,000,000"),
    "bomb warning made an error": ("bags.png", lambda: png_header(10000, 10000),
                                   "photos/bags.png: image: 100,000,000 pixels is over the limit of 60,000,000 "
                                   "pixels; the file was refused unopened as a possible decompression bomb"),
    "bomb error": ("bags.png", lambda: png_header(50000, 50000),
                   "photos/bags.png: image: 2,500,000,000 pixels is over the limit of 60,000,000 pixels"),
    "truncated": ("bags.jpg", truncated_jpeg, "photos/bags.jpg: image: cannot be decoded (image file is truncated"),
    "png named jpg": ("bags.jpg", lambda: as_bytes(noisy((400, 300)), "PNG"),
                      "photos/bags.jpg: image: the file is PNG but its name says JPEG - rename it to bags.png"),
    "gif named png": ("bags.png", lambda: as_bytes(noisy((400, 300)), "GIF"),
                      "photos/bags.png: image: the file is GIF, which the archive does not take"),
    "not an image": ("bags.jpg", lambda: b"<html>not an image</html>",
                     "photos/bags.jpg: image: is not an image Pillow can read"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_images_are_errors_naming_file_and_limit(archive, case):
    name, make, expected = BAD[case]
    (archive / "photos" / "bags.jpg").unlink()
    (archive / "photos" / name).write_bytes(make())
    with pytest.raises(ContentError) as err:
        load_archive(archive, inspect_image=images.inspect)
    assert expected in str(err.value), str(err.value)


def test_unsupported_suffix_is_an_error_from_inspect(tmp_path):
    path = tmp_path / "x.gif"
    noisy((400, 300)).save(path, "GIF")
    [(field, message, fix)] = images.inspect(path)
    assert "'.gif' is not a supported image format" in message and ".jpg" in fix


def test_a_tiny_image_is_a_warning_not_an_error(archive):
    (archive / "photos" / "bags.jpg").unlink()
    noisy((200, 150)).save(archive / "photos" / "bags.jpg")
    loaded = load_archive(archive, inspect_image=images.inspect)
    assert [str(w) for w in loaded.warnings] == [
        "photos/bags.jpg: image: is only 200 pixels wide (smaller than 320); it is used at its own size and looks "
        "blurred on large screens - supply the image at least 1600 pixels wide if you have it"]


def test_a_cached_image_is_not_decoded_again_but_still_checked(tmp_path, monkeypatch):
    src = tmp_path / "a.jpg"
    noisy((700, 500)).save(src)
    cache = tmp_path / "cache"
    images.build_media([FakePhoto("a", src)], cache, workers=1)
    loads = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: loads.append(1) or real_load(self))
    assert images.inspect(src, cache) == []
    assert loads == []  # header checks only
    assert images.inspect(src) == [] and loads  # without the cache: full decode
    renamed = tmp_path / "a.png"
    src.rename(renamed)
    assert "the file is JPEG but its name says PNG" in images.inspect(renamed, cache)[0][1]


@pytest.mark.parametrize("page", ["photo-guide.md", "photo-guide.zh.md"])
def test_the_photo_guide_states_the_current_sizes_and_limits(page):
    guide = (Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8")
    *small, top = images.WIDTHS
    widths = (f"{', '.join(map(str, small))} and {top} pixels wide" if page == "photo-guide.md"
              else f"宽 {'、'.join(map(str, small))} 和 {top} 像素")  # the Chinese: 宽 320、640、1024 和 1600 像素
    assert widths in guide
    assert f"over the limit of {images.MAX_PIXELS:,} pixels" in guide  # the error lines, in both
    assert f"(smaller than {images.MIN_WIDTH})" in guide
    assert "WebP" in guide and ("AVIF" in guide) == ("avif" in images.FORMATS)


def test_validation_and_pipeline_share_one_hash_per_image(tmp_path, monkeypatch):
    """A build reads each image's bytes for its content key once, not once to validate and again to encode."""
    src = tmp_path / "a.jpg"
    noisy((700, 500)).save(src)
    cache = images.cache_for(tmp_path / "cache")
    hashed = []
    real_sha256 = hashlib.sha256

    def counting_sha256(*args):
        hashed.append(1)
        return real_sha256(*args)

    monkeypatch.setattr(hashlib, "sha256", counting_sha256)
    assert images.inspect(src, cache) == []
    images.build_media([FakePhoto("a", src)], cache, workers=1)
    assert len(hashed) == 1
    assert cache.key(src) == images.content_key(src) and cache.has(src)


@pytest.mark.parametrize("damage", ["other settings", "a missing derivative"])
def test_validation_trusts_only_an_entry_the_pipeline_would_use(tmp_path, monkeypatch, damage):
    """One cache contract: an entry build_media would make again does not spare inspect a full decode."""
    src = tmp_path / "a.jpg"
    noisy((700, 500)).save(src)
    images.build_media([FakePhoto("a", src)], tmp_path / "cache", workers=1)
    cache = images.cache_for(tmp_path / "cache")
    manifest = cache.manifest_path(cache.key(src))
    if damage == "other settings":
        manifest.write_text(manifest.read_text(encoding="utf-8").replace('\\"v\\": ', '\\"v\\": 9'), encoding="utf-8")
    else:
        next((tmp_path / "cache").glob("*-320.webp")).unlink()
    assert not cache.has(src) and cache.entry(cache.key(src))[1]
    loads = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: loads.append(1) or real_load(self))
    assert images.inspect(src, cache) == [] and loads  # decoded in full, as a photo not yet made


def test_derivatives_are_written_beside_their_target_and_renamed(tmp_path, monkeypatch):
    """An encoder that dies half-way (a full disk, a killed worker) leaves every cached file whole."""
    src, cache = tmp_path / "a.jpg", tmp_path / "cache"
    noisy((700, 500)).save(src)
    images.build_media([FakePhoto("a", src)], cache, workers=1)
    manifest_of(cache).unlink()  # the derivatives are made again, onto the same names
    before = tree_digest(cache)
    real_save = Image.Image.save

    def dies_half_way(self, fp, *args, **kwargs):
        Path(fp).write_bytes(b"half an image")
        raise OSError("No space left on device")

    monkeypatch.setattr(Image.Image, "save", dies_half_way)
    with pytest.raises(images.MediaError, match="No space left on device"):
        images.build_media([FakePhoto("a", src)], cache, workers=1)
    assert tree_digest(cache) == before  # no derivative truncated, no temporary file left
    monkeypatch.setattr(Image.Image, "save", real_save)
    media, outputs = images.build_media([FakePhoto("a", src)], cache, workers=1)
    assert len(outputs) == 4 and all(path.is_file() for _, path in outputs)
