"""Read YAML and front matter ourselves, keeping the line of every value.

Why not ``yaml.safe_load``: it accepts aliases (a 500-byte "billion laughs"
loads instantly and explodes when walked) and loses line numbers. MkDocs'
own front-matter parser silently drops invalid YAML. Content files here get
plain data only: no anchors, no aliases, no tags, no duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problems


class Mapping(dict):
    """A dict that knows the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict

    def __init__(self, *args, line: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A list that knows the line of itself and of each item."""

    line: int = 0
    item_lines: list

    def __init__(self, *args, line: int = 0):
        super().__init__(*args)
        self.line = line
        self.item_lines = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass
class Parsed:
    data: Any = None
    ok: bool = True
    problems: Problems = field(default_factory=Problems)


# Scalars are built by calling the constructor's per-tag functions directly: its
# ``construct_object`` would remember every node (and, through its marks, the
# file's text) for the life of the process, which under ``mkdocs serve`` is a leak.
_SCALARS = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def parse_yaml(text: str, path: str, line_offset: int = 0, pure_python: bool = False) -> Parsed:
    """Parse ``text`` into Mapping/Sequence/scalars; problems name ``path`` and line.

    ``line_offset`` is added to every line (front matter starts after ``---``).
    libyaml's C parser reads the text; when it finds an error (or a character the
    pure-Python reader would refuse) PyYAML's Python parser reads it again, so that
    problems are worded as before. ``pure_python`` uses only the Python parser
    (the reference the C path is tested against).
    """
    result = Parsed()
    try:
        events = None if pure_python else _c_events(text)
        if events is None:
            events = yaml.parse(text, Loader=yaml.SafeLoader)  # lazily: problems met before an error stay
        events = _refuse_anchors_and_tags(events, path, line_offset, result)
        if result.ok:
            result.data = _Builder(path, line_offset, result).document(events)
    except yaml.MarkedYAMLError as exc:
        # An unclosed [list], {mapping} or quoted string is only noticed where the next value
        # starts: name the line where it was opened, which is the one to fix.
        unclosed = exc.context and ("flow" in exc.context or "quoted" in exc.context)
        mark = (exc.context_mark if unclosed else None) or exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        what = (exc.problem or exc.context or "invalid YAML").strip()
        result.problems.error(
            path, line, "yaml", f"malformed YAML: {what}",
            "check the indentation and quote values that contain ': ' or start with a special character",
        )
        result.ok = False
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures
        result.problems.error(path, line_offset + 1, "yaml", f"malformed YAML: {exc}", "fix the YAML syntax")
        result.ok = False
    if not result.ok:
        result.data = None
    return result


def _c_events(text: str) -> list | None:
    """Every event of ``text`` from libyaml, or None when the Python parser should read it instead."""
    if _NON_PRINTABLE.search(text):
        return None
    loader = yaml.CSafeLoader(text)
    try:
        events = []
        while loader.check_event():
            events.append(loader.get_event())
        return events
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _refuse_anchors_and_tags(events, path: str, offset: int, result: Parsed) -> list:
    """The events, once each anchor, alias and tag has been reported (content files hold plain data)."""
    seen = []
    for event in events:
        seen.append(event)
        line = event.start_mark.line + 1 + offset
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            result.problems.error(
                path, line, "yaml", "anchors and aliases (&name, *name) are not allowed",
                "write the value out in full",
            )
            result.ok = False
        tag = getattr(event, "tag", None)
        if tag and not isinstance(event, yaml.DocumentStartEvent):
            result.problems.error(
                path, line, "yaml", f"YAML tags such as '{tag.replace('tag:yaml.org,2002:', '!!')}' are not allowed",
                "remove the tag and write a plain value",
            )
            result.ok = False
    return seen


class _Builder:
    """Builds Mapping/Sequence/scalars straight from parser events (no nodes, nothing kept)."""

    def __init__(self, path: str, offset: int, result: Parsed):
        self.path, self.offset, self.result = path, offset, result

    def line(self, event) -> int:
        return event.start_mark.line + 1 + self.offset

    def document(self, events: list) -> Any:
        documents = [i for i, e in enumerate(events) if isinstance(e, yaml.DocumentStartEvent)]
        if not documents:
            return None
        if len(documents) > 1:  # worded as PyYAML's composer words it
            first, second = events[documents[0]], events[documents[1]]
            raise yaml.composer.ComposerError("expected a single document in the stream", first.start_mark,
                                              "but found another document", second.start_mark)
        it = iter(events[documents[0] + 1:])
        return self.value(next(it), it)

    def value(self, event, it) -> Any:
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(event, it)
        if isinstance(event, yaml.SequenceStartEvent):
            seq = Sequence(line=self.line(event))
            for item in it:
                if isinstance(item, yaml.SequenceEndEvent):
                    break
                seq.append(self.value(item, it))
                seq.item_lines.append(self.line(item))
            return seq
        return _scalar(event)

    def mapping(self, event, it) -> Mapping:
        mapping = Mapping(line=self.line(event))
        for key_event in it:
            if isinstance(key_event, yaml.MappingEndEvent):
                break
            key = self.value(key_event, it)
            key_line = self.line(key_event)
            if not isinstance(key, str):
                key = str(key)
            if key in mapping:
                self.result.problems.error(
                    self.path, key_line, key, "this key appears twice", "keep one of the two entries",
                )
                self.result.ok = False
            mapping[key] = self.value(next(it), it)
            mapping.key_lines[key] = key_line
        return mapping


# The first characters of a plain scalar that the resolver may read as another type than text
# (true, null, 12, 2017-02, ...; PyYAML keys its implicit resolvers by first character).
_TYPED_STARTS = frozenset(_RESOLVER.yaml_implicit_resolvers)
_TEXT_AS_IS = (None not in _TYPED_STARTS and _SCALARS.yaml_constructors.get(_RESOLVER.DEFAULT_SCALAR_TAG)
               is yaml.constructor.SafeConstructor.construct_yaml_str)


def _scalar(event: yaml.ScalarEvent) -> Any:
    value = event.value
    # Quoted, or plain with a first character no implicit type starts with (and the resolver has no
    # catch-all): the resolver gives the str tag, whose constructor returns the text as it is.
    if _TEXT_AS_IS and (not event.implicit[0] or (value and value[0] not in _TYPED_STARTS)):
        return value
    return _typed_scalar(event)


def _typed_scalar(event: yaml.ScalarEvent) -> Any:
    """Any scalar, through PyYAML's resolver and constructor (the reference ``_scalar`` is tested against)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    construct = _SCALARS.yaml_constructors.get(tag, _SCALARS.yaml_constructors[None])
    try:
        return construct(_SCALARS, node)
    except Exception:  # noqa: BLE001 - e.g. 2017-02-30 looks like a date but is none
        # Keep the text; the schema check then says precisely what is wrong with it.
        return event.value


@dataclass
class FrontMatterDoc:
    meta: Any
    body: str
    body_line: int  # the line in the file where the body starts
    ok: bool
    problems: Problems


def parse_front_matter(text: str, path: str) -> FrontMatterDoc:
    """Split ``---``-delimited YAML front matter from a Markdown body."""
    problems = Problems()
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.error(
            path, 1, "front matter", "the file does not start with '---'",
            "begin the file with a '---' line, the YAML fields, and another '---' line",
        )
        return FrontMatterDoc(None, text, 1, False, problems)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.error(
            path, 1, "front matter", "the front matter is never closed",
            "add a '---' line after the last field",
        )
        return FrontMatterDoc(None, "", 1, False, problems)
    parsed = parse_yaml("\n".join(lines[1:end]), path, line_offset=1)
    problems.extend(parsed.problems)
    body = "\n".join(lines[end + 1:])
    return FrontMatterDoc(parsed.data, body, end + 2, parsed.ok, problems)
