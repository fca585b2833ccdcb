"""Command line: ``docarchive check``, ``new``, ``diff``, ``init``, ``placeholders``, ``zip``, ``bag``, ``verify`` and ``editions``.

``docarchive <command> --help`` shows each command's options with an example.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import load_archive
from .problems import ContentError

RECORD_KINDS = ("event", "person", "place", "organization", "figure")
RECORD_EXAMPLES = {
    "event": 'docarchive new event "The first workshop opens" --stage early-years --date 2012-06',
    "person": 'docarchive new person "Jane Doe"',
    "place": 'docarchive new place "Riverside County"',
    "organization": 'docarchive new organization "Harbour Textiles Company"',
    "figure": 'docarchive new figure "Workshops opened" --stage early-years --date 2014-12',
}


def _sub(parent, name: str, help_text: str, example: str):
    return parent.add_parser(name, help=help_text, description=help_text, epilog=f"example:\n  {example}",
                             formatter_class=argparse.RawDescriptionHelpFormatter)


def _root_option(parser) -> None:
    parser.add_argument("--root", default=".", type=Path,
                        help="the archive's folder, holding stories/, photos/ and data/ (default: the current folder)")


def _new_parsers(sub) -> None:
    new = _sub(sub, "new", "start a story, a photo or a record, with every field to fill in marked TODO",
               'docarchive new story --stage early-years --title "A workshop opens"')
    kinds = new.add_subparsers(dest="kind", required=True)
    story = _sub(kinds, "story", "write stories/<stage>/<slug>.md with every field of a story",
                 'docarchive new story --stage early-years --title "A workshop opens" --date 2012-10')
    story.add_argument("--stage", required=True, help="the stage id (the folder under stories/)")
    story.add_argument("--title", required=True, help="the headline")
    story.add_argument("--slug", help="the file name without .md (default: made from the title; "
                                      "needed when the title has no Latin letters)")
    story.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source")
    _root_option(story)
    photo = _sub(kinds, "photo", "copy an image into photos/ and write its caption record, after the "
                                 "build's image checks", "docarchive new photo ~/Pictures/workshop.jpg --stage early-years")
    photo.add_argument("image", type=Path, help="the image file (JPEG, PNG or WebP)")
    photo.add_argument("--stage", required=True, help="the stage id")
    photo.add_argument("--id", help="the photo id (default: made from the file name)")
    _root_option(photo)
    for kind in RECORD_KINDS:
        from .scaffold import NAME_FIELD, REGISTRY_FILES

        rec = _sub(kinds, kind, f"append a {kind} to {REGISTRY_FILES[kind]}, keeping the file's comments and layout",
                   RECORD_EXAMPLES[kind])
        rec.add_argument("name", help=f"the {kind}'s {NAME_FIELD[kind]}; the id is made from it")
        rec.add_argument("--id", help="the id (default: made from the name)")
        if kind in ("event", "figure"):
            rec.add_argument("--stage", help="the stage id")
            rec.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD")
        _root_option(rec)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docarchive", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = _sub(sub, "check", "validate every content file and print every problem",
                 "docarchive check . --format github")
    check.add_argument("root", nargs="?", default=".", help="archive folder (holds stories/, photos/, data/)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text (one line per problem), json (a list of {file, line, field, severity, message, "
                            "fix}) or github (workflow commands that annotate a pull request's diff)")
    _new_parsers(sub)
    diff = _sub(sub, "diff", "compare two built sites, for reviewers: pages, story text, photos, key figures",
                "docarchive diff base-site/ site/ --format markdown")
    diff.add_argument("old", type=Path, help="the site built before the change")
    diff.add_argument("new", type=Path, help="the site built after it")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown")
    init = _sub(sub, "init", "create a new, minimal archive that builds at once with this engine",
                'docarchive init my-archive --title "River towns, 1990-2000" --stages "Before, During, After"')
    init.add_argument("dir", type=Path, help="the folder to create (it must not exist or be empty)")
    init.add_argument("--title", default="A documentary archive", help="the site's title")
    init.add_argument("--stages", default="Before, During, After", help="the stages' titles, comma-separated")
    cards = sub.add_parser("placeholders", help="make a generated placeholder card for every photo record with "
                                                "'placeholder: true' and no image yet")
    cards.add_argument("root", nargs="?", default=".", help="archive folder (holds photos/ and data/)")
    pack = sub.add_parser("zip", help="pack a built offline edition into one zip (make offline runs it)")
    pack.add_argument("site", help="the built offline edition (site-offline/)")
    pack.add_argument("zip", help="the zip to write, e.g. dist/archive-offline.zip")
    pack.add_argument("--folder", help="the folder the zip unpacks to (default: the zip's name without .zip)")
    both = _sub(sub, "editions", "build the offline edition and its zip, then the site, every language, in one "
                "process, into .site-offline-build/ and .site-build/ (make site runs it, then publishes them)",
                "docarchive editions . --zip dist/.staged/archive-offline.zip")
    both.add_argument("root", nargs="?", default=".", help="archive folder (holds mkdocs.yml)")
    both.add_argument("--zip", help="where to write the offline edition's zip; without it, the site only")
    both.add_argument("--no-site", action="store_true", help="build the offline edition and its zip only")
    _bag_parsers(sub)
    return parser


def _bag_parsers(sub) -> None:
    bag = _sub(sub, "bag", "write a BagIt bag of the archive's masters and built editions, and its zip",
               "docarchive bag . --out dist/archive-bag")
    bag.add_argument("root", nargs="?", default=".", help="archive folder (holds stories/, photos/, data/, docs/)")
    bag.add_argument("--edition", action="append", metavar="NAME=FOLDER",
                     help="a built site to include under data/NAME (default: site=site, and "
                          "site-offline=site-offline if it exists)")
    bag.add_argument("--out", required=True, help="the bag folder to write, e.g. dist/archive-bag (its zip goes beside)")
    verify = _sub(sub, "verify", "validate a BagIt bag and name every missing, added or changed file",
                  "docarchive verify dist/archive-bag")
    verify.add_argument("bag", help="the bag folder")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


def run_zip(args) -> int:
    from .offline import human_size, make_zip

    zip_path = Path(args.zip)
    try:
        size = make_zip(Path(args.site), zip_path, args.folder or zip_path.name.removesuffix(".zip"))
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {zip_path} ({human_size(size)})")
    return 0


def run_placeholders(args) -> int:
    from .placeholders import generate

    written, problems = generate(Path(args.root))
    for problem in problems:
        print(f"{problem.level.upper()} {problem}", file=sys.stderr)
    for path in written:
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    print(f"{len(written)} placeholder card(s) made")
    return 1 if problems.errors else 0


def run_check(args) -> int:
    from . import report
    from .editions import declared_languages
    from .images import inspect

    try:
        archive = load_archive(Path(args.root), inspect_image=inspect)
        # Untranslated records are warnings too, when the archive has a Chinese edition: it shows the
        # English there, marked. An English-only archive (docarchive init's) is not asked for Chinese.
        untranslated = archive.untranslated if "zh" in declared_languages(Path(args.root)) else ()
        problems, summary = [*archive.warnings, *untranslated], report.summary(archive, untranslated)
    except ContentError as exc:
        problems, summary = exc.problems, None
    report.emit(problems, args.format, summary)
    failed = any(p.is_error for p in problems) or (args.strict and problems)
    return 1 if failed else 0


def run_new(args) -> int:
    from . import scaffold

    try:
        if args.kind == "story":
            written = scaffold.new_story(args.root, args.stage, args.title, args.slug, args.date)
        elif args.kind == "photo":
            written = scaffold.new_photo(args.root, args.image, args.stage, args.id)
        else:
            extra = {k: getattr(args, k, None) for k in ("stage", "date")}
            written = scaffold.new_record(args.root, args.kind, args.name, args.id, **extra)
    except (scaffold.ScaffoldError, FileExistsError) as exc:
        message = f"{exc.filename} exists already; nothing was written" if isinstance(exc, FileExistsError) else exc
        print(f"docarchive new {args.kind}: {message}", file=sys.stderr)
        return 1
    for note in written.notes:
        print(note)
    print(f"wrote {written.path}")
    print("fill in each TODO, then run: docarchive check" + ("" if str(args.root) == "." else f" {args.root}"))
    return 0


def run_diff(args) -> int:
    from . import sitediff

    for site in (args.old, args.new):
        if not (site / "index.html").is_file():
            print(f"docarchive diff: {site} is not a built site (no index.html)", file=sys.stderr)
            return 2
    changes = sitediff.compare(args.old, args.new)
    print(sitediff.to_json(changes) if args.format == "json" else sitediff.to_markdown(changes))
    return 0


def run_init(args) -> int:
    from . import newarchive

    try:
        written = newarchive.create(args.dir, args.title, [s.strip() for s in args.stages.split(",") if s.strip()])
    except newarchive.InitError as exc:
        print(f"docarchive init: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    print(f"A new archive is in {args.dir}. Next:\n  cd {args.dir}\n  docarchive check\n  mkdocs serve")
    return 0


def run_editions(args) -> int:
    import logging

    from mkdocs.__main__ import ColorFormatter
    from mkdocs.exceptions import MkDocsException

    from .sitebuild import build_editions

    handler = logging.StreamHandler()  # what `mkdocs build` prints: INFO and up, under the mkdocs logger
    handler.setFormatter(ColorFormatter())
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        for line in build_editions(Path(args.root), Path(args.zip) if args.zip else None, site=not args.no_site):
            print(line, flush=True)
    except MkDocsException as exc:
        print(exc.format_message(), file=sys.stderr)
        return 1
def run_verify(args) -> int:
    from . import bag

    verdict = bag.verify(Path(args.bag))
    for line in verdict.lines():
        print(line, file=sys.stderr)
    print(f"{args.bag}: {'valid' if verdict.valid else 'NOT valid'} BagIt bag")
    return 0 if verdict.valid else 1


def run_bag(args) -> int:
    from . import bag
    from .offline import human_size

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
    octets, files = made.info["Payload-Oxum"].split(".")  # Payload-Oxum is "<octets>.<files>" (RFC 8493)
    print(f"wrote {out} ({files} files, {human_size(int(octets))} of payload) and {out}.zip ({human_size(size)})")
    return 0


COMMANDS = {"check": run_check, "new": run_new, "diff": run_diff, "init": run_init,
            "placeholders": run_placeholders, "zip": run_zip, "bag": run_bag, "verify": run_verify,
            "editions": run_editions}
