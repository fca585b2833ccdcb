"""A BagIt bag of a release (RFC 8493), made and checked with the Library of Congress's ``bagit``.

The payload holds the archive's masters (stories, photos and their caption
records, data/, docs/, the MkDocs configuration) and the built editions, so
that an archivist can check every file in fifty years with any BagIt tool.

``bagit`` 1.9 writes ``BagIt-Version: 0.97``, dates the bag today and lists tag
files in directory order; we write 1.0, date it from ``SOURCE_DATE_EPOCH`` or
the commit, sort every manifest and recompute the tag manifests, so the same
commit gives the same bag, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import bagit
import yaml

from . import __version__, offline, provenance

MASTERS = ("stories", "photos", "data", "docs")
CHECKSUMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


@dataclass(frozen=True)
class BagSpec:
    root: Path  # the archive: stories/, photos/, data/, docs/, mkdocs*.yml
    editions: dict[str, Path]  # payload folder name -> built site
    info: dict[str, str] = field(default_factory=dict)  # extra bag-info.txt fields (Source-Organization...)


def _copy_masters(root: Path, dest: Path) -> None:
    for name in MASTERS:
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    for config in sorted(root.glob("mkdocs*.yml")):
        shutil.copy2(config, dest / config.name)


def bag_info(spec: BagSpec) -> dict[str, str]:
    epoch = provenance.source_epoch(spec.root)
    if epoch is None:
        raise BagProblem("no date for the bag: set SOURCE_DATE_EPOCH or bag a git checkout")
    info = dict(spec.info)
    info["Bagging-Date"] = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d")
    info["Bag-Software-Agent"] = f"docarchive {__version__} (bagit.py {bagit.VERSION})"
    info["Engine-Version"] = f"docarchive {__version__}"
    info["Git-Commit"] = provenance.git_commit(spec.root) or "none (not a git checkout)"
    return info


class BagProblem(Exception):
    pass


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml whatever MkDocs tags it uses (!ENV, !!python/name): we only want two plain keys."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def info_from_config(root: Path) -> dict[str, str]:
    """bag-info.txt fields from mkdocs.yml: ``extra.docarchive.bag_info`` (BagIt labels; docs/settings.md),
    and ``site_description`` as the External-Description unless it gives one."""
    config_path = root / "mkdocs.yml"
    if not config_path.is_file():
        return {}
    config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    engine = ((config.get("extra") or {}).get("docarchive") or {})
    info = {str(k): str(v) for k, v in (engine.get("bag_info") or {}).items()}
    if config.get("site_description"):
        info.setdefault("External-Description", str(config["site_description"]))
    return info


def make_bag(spec: BagSpec, bag_dir: Path) -> bagit.Bag:
    """Write the bag into ``bag_dir`` (replaced if it exists), built beside it and renamed on success."""
    for name, site in spec.editions.items():
        if not (site / "index.html").is_file():
            raise BagProblem(f"{site} has no index.html: build the {name} edition first")
    bag_dir = Path(bag_dir)
    scratch = bag_dir.with_name(bag_dir.name + ".part")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    _copy_masters(spec.root, scratch / "masters")
    for name, site in spec.editions.items():
        shutil.copytree(site, scratch / name)
    info = bag_info(spec)
    _quiet_library()
    bagit.make_bag(str(scratch.resolve()), bag_info=info, checksums=list(CHECKSUMS))
    _normalise(scratch)
    shutil.rmtree(bag_dir, ignore_errors=True)
    scratch.rename(bag_dir)
    return bagit.Bag(str(bag_dir))


def _normalise(bag_dir: Path) -> None:
    """BagIt 1.0 declaration, manifests sorted by path, tag manifests recomputed to match."""
    (bag_dir / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    for alg in CHECKSUMS:
        manifest = bag_dir / f"manifest-{alg}.txt"
        lines = manifest.read_text(encoding="utf-8").splitlines()
        manifest.write_text("".join(f"{line}\n" for line in sorted(lines, key=lambda l: l.split(None, 1)[1])),
                            encoding="utf-8")
    tag_files = sorted(p.name for p in bag_dir.iterdir() if p.is_file() and not p.name.startswith("tagmanifest-"))
    for alg in CHECKSUMS:
        lines = [f"{hashlib.new(alg, (bag_dir / name).read_bytes()).hexdigest()}  {name}\n" for name in tag_files]
        (bag_dir / f"tagmanifest-{alg}.txt").write_text("".join(lines), encoding="utf-8")


def zip_bag(bag_dir: Path, zip_path: Path) -> int:
    """The bag as one reproducible zip (sorted, fixed dates) that unpacks to a folder of the bag's name."""
    return offline.make_zip(bag_dir, zip_path, bag_dir.name, required="bagit.txt")


# ------------------------------------------------------------- verifying


def _quiet_library() -> None:
    """bagit logs each problem as it meets it, once per checksum; we report each file once."""
    logging.getLogger("bagit").setLevel(logging.ERROR)


@dataclass
class Verdict:
    valid: bool
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    message: str = ""

    def lines(self) -> list[str]:
        out = [f"missing: {p} (listed in the manifests, not in the bag)" for p in self.missing]
        out += [f"added: {p} (in the bag, not in the manifests)" for p in self.added]
        out += [f"changed: {p} (its checksum differs from the manifest)" for p in self.changed]
        if not out and self.message:
            out.append(self.message)
        return out


def verify(bag_dir: Path, processes: int = 1) -> Verdict:
    """Validate with ``bagit``; if invalid, name every missing, added and changed file.

    ``Bag.validate`` stops at its first failing step (a file count that does not
    match Payload-Oxum hides the checksums), so for the list we also ask the
    library for the completeness and the fixity of every entry on their own.
    """
    _quiet_library()
    try:
        bag = bagit.Bag(str(bag_dir))
    except bagit.BagError as exc:
        return Verdict(False, message=f"{bag_dir}: not a readable bag: {exc}")
    try:
        bag.validate(processes=processes)
        return Verdict(True)
    except bagit.BagError as exc:
        verdict = Verdict(False, message=str(exc))
    missing, added = bag.compare_manifests_with_fs()
    verdict.missing, verdict.added = sorted(missing), sorted(added)
    try:
        bag._validate_entries(processes)  # the library's per-file fixity check (no public name in 1.9)
    except bagit.BagValidationError as exc:
        changed = {d.path for d in exc.details if isinstance(d, bagit.ChecksumMismatch)}
        verdict.changed = sorted(changed - set(missing))
    return verdict
