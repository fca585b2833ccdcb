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
    args = parser.parse_args(argv)

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
