"""The engine's own settings, declared and validated as a typed MkDocs ``Config``.

An archive gives them in one of two places, both checked by the same class:

- as the options of the packaged plugin (``plugins: [search, docarchive: {...}]``),
  where MkDocs validates them like any plugin's;
- under ``extra.docarchive`` when the archive runs the engine from ``hooks:``
  (as this repository's archive does), where ``read`` validates them and refuses
  a misspelt name with the nearest known one, so a typo never silently means
  "no offline link".

docs/settings.md documents every setting; a test checks that it does.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError

EXTRA_KEY = "docarchive"
MOVED = {"offline_zip": "offline_zip"}  # settings that used to ride on extra.<name>


class RelativeZip(c.Type):
    """A path to a .zip file, relative to mkdocs.yml."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not value.endswith(".zip"):
            raise c.ValidationError(f"expected the path of a .zip file, got {value!r}")
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise c.ValidationError(f"give a path inside the archive's folder, relative to mkdocs.yml, not {value!r}")
        return value


class ArchiveSettings(base.Config):
    """Every setting of the engine; the comments are the one-line docs (the full ones are in docs/settings.md)."""

    offline_zip = c.Optional(RelativeZip())  # the offline edition's zip; linked from every page when it exists
    shim_source = c.Type(str, default="node_modules/iframe-worker")  # npm's iframe-worker, for the offline edition
    citation_author = c.Type(str, default="")  # who "Cite this", the feed and the JSON-LD name as the author
    bag_info = c.Type(dict, default={})  # extra bag-info.txt fields of `docarchive bag` (BagIt labels)
    cache_dir = c.Type(str, default=".cache")  # photos, search dictionary, allowlist verdicts


def names() -> list[str]:
    return [key for key, _ in ArchiveSettings._schema]


def validate(settings: ArchiveSettings, where: str) -> ArchiveSettings:
    """Validate every setting (MkDocs stops at the first bad one; this reports all of them), and raise
    ConfigurationError listing each problem, worded as MkDocs words its own."""
    known = names()
    lines = []
    for key, option in ArchiveSettings._schema:
        try:
            settings[key] = option.validate(settings.get(key))
        except c.ValidationError as exc:
            lines.append(f"Config value '{where}.{key}': {exc}")
    for key in sorted(set(settings.keys()) - set(known)):
        near = difflib.get_close_matches(key, known, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else f" Known settings: {', '.join(known)}."
        lines.append(f"Config value '{where}.{key}': unrecognised setting.{hint}")
    if lines:
        raise ConfigurationError("docarchive settings are not valid:\n" + "\n".join(f"  {line}" for line in lines))
    return settings


def read(extra: dict, config_file: str | None) -> ArchiveSettings:
    """The settings given under ``extra.docarchive`` (the hooks way)."""
    for old, new in MOVED.items():
        if old in extra:
            raise ConfigurationError(f"Config value 'extra.{old}': this setting has moved: write it as "
                                     f"extra.{EXTRA_KEY}.{new} (see docs/settings.md)")
    given = extra.get(EXTRA_KEY) or {}
    if not isinstance(given, dict):
        raise ConfigurationError(f"Config value 'extra.{EXTRA_KEY}': expected a mapping of settings, "
                                 f"got {type(given).__name__}")
    settings = ArchiveSettings(config_file_path=config_file)
    settings.load_dict(dict(given))
    return validate(settings, f"extra.{EXTRA_KEY}")


def resolve(root: Path, value: str) -> Path:
    """A setting's path, relative to the archive's folder (mkdocs.yml's) unless absolute."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path
