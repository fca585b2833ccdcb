"""Photo pipeline benchmark: cold and warm processing of N generated 4000x3000 photos.

Not a test. Generates N camera-sized JPEGs (smooth gradients, texture and sensor
grain, so encoders work about as hard as on real photographs), then times
``images.build_media``:

- cold, one process, empty cache;
- cold, the process pool (2 workers on a 2-core machine), empty cache;
- warm, cache filled: nothing should be re-encoded.

Prints photos per second, the speed-up of the pool, the warm/cold time ratio,
the sizes of the derivatives, and (with --avif) encode time, bytes and PSNR of
JPEG, WebP and AVIF at several qualities at the largest width.

    .venv/bin/python bench/bench_photos.py [N] [--avif]
"""

from __future__ import annotations

import argparse
import io
import math
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hooks"))

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat  # noqa: E402

from docarchive import images  # noqa: E402


@dataclass(frozen=True)
class BenchPhoto:
    id: str
    image: Path


def camera_like(seed: int, size=(4000, 3000)) -> Image.Image:
    """A synthetic 'photograph': sky gradient, blurred shapes, mid-scale texture and fine grain."""
    w, h = size
    sky = Image.linear_gradient("L").resize(size)
    texture = Image.effect_noise((w // 16, h // 16), 60 + seed).resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 12)
    scene = Image.merge("RGB", [
        Image.blend(sky, texture, 0.5),
        Image.blend(texture, grain, 0.3),
        Image.blend(sky.transpose(Image.Transpose.FLIP_TOP_BOTTOM), grain, 0.2),
    ])
    draw = ImageDraw.Draw(scene)
    for k in range(12):
        x, y = (k * 997 + seed * 131) % w, (k * 613 + seed * 71) % h
        draw.ellipse([x, y, x + 500, y + 350], fill=((k * 40) % 256, (k * 90 + seed) % 256, (k * 20) % 256))
    return scene.filter(ImageFilter.GaussianBlur(1.2))


def run(photos, cache: Path, workers: int) -> float:
    start = time.perf_counter()
    images.build_media(photos, cache, workers=workers)
    return time.perf_counter() - start


def psnr(a: Image.Image, b: Image.Image) -> float:
    rms = ImageStat.Stat(ImageChops.difference(a, b)).rms
    mse = sum(x * x for x in rms) / len(rms)
    return 10 * math.log10(255 ** 2 / mse) if mse else float("inf")


def measure_avif(photos) -> None:
    """Encode the largest derivative as JPEG, WebP (the pipeline's settings) and AVIF; compare time, bytes, PSNR."""
    candidates = [("jpeg q82", *images.ENCODERS["jpeg"]), ("webp q80", *images.ENCODERS["webp"])] + [
        (f"avif q{q}", "AVIF", {"quality": q}) for q in (75, 60, 50)]
    totals = {name: [0.0, 0, 0.0] for name, _, _ in candidates}
    for photo in photos:
        with Image.open(photo.image) as im:
            im.draft("RGB", (1600, 1200))
            big = im.convert("RGB").resize((1600, 1200), Image.Resampling.LANCZOS)
        for name, fmt, opts in candidates:
            buf = io.BytesIO()
            start = time.perf_counter()
            big.save(buf, fmt, **opts)
            totals[name][0] += time.perf_counter() - start
            totals[name][1] += len(buf.getvalue())
            with Image.open(buf) as back:
                totals[name][2] += psnr(big, back.convert("RGB")) / len(photos)
    base_t, base_b, _ = totals["webp q80"]
    print("\nformats at 1600 px: encode time, bytes (relative to WebP), PSNR against the unencoded image:")
    for name, (t, b, quality) in totals.items():
        print(f"  {name:9s} {t:6.2f} s ({t / base_t:4.1f}x)  {b / 1024 / len(photos):7.1f} KB each "
              f"({b / base_b:4.2f}x)  {quality:5.2f} dB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=8, help="number of photos (default 8)")
    parser.add_argument("--avif", action="store_true", help="also measure AVIF against WebP")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    try:
        photos = []
        start = time.perf_counter()
        for i in range(args.n):
            path = work / f"photo-{i}.jpg"
            camera_like(i).save(path, quality=92)
            photos.append(BenchPhoto(f"photo-{i}", path))
        source_mb = sum(p.image.stat().st_size for p in photos) / 1e6
        print(f"{args.n} photos of 4000x3000 ({source_mb:.1f} MB of JPEG) generated in "
              f"{time.perf_counter() - start:.1f} s")

        cache = work / "cache"
        one = run(photos, cache, workers=1)
        shutil.rmtree(cache)
        pool_workers = images._worker_count(args.n, None)
        cold = run(photos, cache, workers=None)
        warm = run(photos, cache, workers=None)
        media, outputs = images.build_media(photos, cache)

        print(f"cold, 1 process:      {one:6.2f} s  {args.n / one:5.2f} photos/s")
        print(f"cold, {pool_workers} process(es): {cold:6.2f} s  {args.n / cold:5.2f} photos/s  "
              f"(x{one / cold:.2f})")
        print(f"warm (cache hit):     {warm:6.3f} s  {args.n / warm:7.1f} photos/s")
        print(f"warm/cold ratio:      {warm / cold:.4f}")

        sizes: dict[tuple[str, int], list[int]] = {}
        for r in media.values():
            for d in r.derivatives:
                sizes.setdefault((d.format, d.width), []).append(d.bytes)
        print("\nmean derivative size (KB):")
        for (fmt, width), values in sorted(sizes.items()):
            print(f"  {fmt:4s} {width:5d} px  {sum(values) / len(values) / 1024:7.1f}")
        total = sum(p.stat().st_size for _, p in outputs)
        print(f"all derivatives: {total / 1e6:.1f} MB for {len(outputs)} files")
        if args.avif:
            measure_avif(photos)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":  # guarded: the process pool's workers import this module again
    raise SystemExit(main())
