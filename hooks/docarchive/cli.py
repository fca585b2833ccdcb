"""Command line: ``python -m docarchive check [ROOT]`` validates an archive without building it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import load_archive
from .problems import ContentError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docarchive", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every content file and print every problem")
    check.add_argument("root", nargs="?", default=".", help="archive folder (holds stories/, photos/, data/)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    cards = sub.add_parser("placeholders", help="make a generated placeholder card for every photo record with "
                                                "'placeholder: true' and no image yet")
    cards.add_argument("root", nargs="?", default=".", help="archive folder (holds photos/ and data/)")
    pack = sub.add_parser("zip", help="pack a built offline edition into one zip (make offline runs it)")
    pack.add_argument("site", help="the built offline edition (site-offline/)")
    pack.add_argument("zip", help="the zip to write, e.g. dist/archive-offline.zip")
    pack.add_argument("--folder", help="the folder the zip unpacks to (default: the zip's name without .zip)")
    bag = sub.add_parser("bag", help="write a BagIt bag of the archive's masters and built editions, and its zip")
    bag.add_argument("root", nargs="?", default=".", help="archive folder (holds stories/, photos/, data/, docs/)")
    bag.add_argument("--edition", action="append", metavar="NAME=FOLDER",
                     help="a built site to include under data/NAME (default: site=site, and "
                          "site-offline=site-offline if it exists)")
    bag.add_argument("--out", required=True, help="the bag folder to write, e.g. dist/archive-bag (its zip goes beside)")
    check_bag = sub.add_parser("verify", help="validate a BagIt bag and name every missing, added or changed file")
    check_bag.add_argument("bag", help="the bag folder")
    args = parser.parse_args(argv)

    if args.command in ("bag", "verify"):
        return _bag_command(args)

    if args.command == "zip":
        from .offline import human_size, make_zip

        zip_path = Path(args.zip)
        try:
            size = make_zip(Path(args.site), zip_path, args.folder or zip_path.name.removesuffix(".zip"))
        except FileNotFoundError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"wrote {zip_path} ({human_size(size)})")
        return 0

    if args.command == "placeholders":
        from .placeholders import generate

        written, problems = generate(Path(args.root))
        for problem in problems:
            print(f"{problem.level.upper()} {problem}", file=sys.stderr)
        for path in written:
            print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
        print(f"{len(written)} placeholder card(s) made")
        return 1 if problems.errors else 0

    if args.command == "check":
        from .images import inspect

        try:
            archive = load_archive(Path(args.root), inspect_image=inspect)
        except ContentError as exc:
            print(exc, file=sys.stderr)
            return 1
        for warning in archive.warnings:
            print(f"WARNING {warning}", file=sys.stderr)
        for warning in archive.untranslated:  # the Chinese edition shows the English there, marked
            print(f"WARNING {warning}", file=sys.stderr)
        print(f"ok: {len(archive.stages)} stages, {len(archive.stories)} stories, {len(archive.photos)} photos, "
              f"{len(archive.events)} events, {len(archive.figures)} figures, {len(archive.people)} people, "
              f"{len(archive.places)} places, {len(archive.organizations)} organizations")
        if archive.untranslated:
            print(f"{len(archive.untranslated)} record(s), story(ies) or page(s) have no Chinese yet")
        return 1 if (args.strict and (archive.warnings or archive.untranslated)) else 0
    return 2


def _bag_command(args) -> int:
    from . import bag
    from .offline import human_size

    if args.command == "verify":
        verdict = bag.verify(Path(args.bag))
        for line in verdict.lines():
            print(line, file=sys.stderr)
        print(f"{args.bag}: {'valid' if verdict.valid else 'NOT valid'} BagIt bag")
        return 0 if verdict.valid else 1
    root = Path(args.root)
    pairs = args.edition or ["site=site"] + (["site-offline=site-offline"] if (root / "site-offline").is_dir() else [])
    editions = {}
    for pair in pairs:
        name, _, folder = pair.partition("=")
        if not name or not folder:
            print(f"--edition {pair}: write it as NAME=FOLDER, e.g. site=site", file=sys.stderr)
            return 2
        editions[name] = root / folder
    out = Path(args.out)
    try:
        made = bag.make_bag(bag.BagSpec(root, editions, bag.info_from_config(root)), out)
    except (bag.BagProblem, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    size = bag.zip_bag(out, out.with_name(out.name + ".zip"))
    print(f"wrote {out} ({made.info['Payload-Oxum']} bytes.files) and {out}.zip ({human_size(size)})")
    return 0
