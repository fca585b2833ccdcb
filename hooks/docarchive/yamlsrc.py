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


_SCALAR = yaml.constructor.SafeConstructor()


def parse_yaml(text: str, path: str, line_offset: int = 0) -> Parsed:
    """Parse ``text`` into Mapping/Sequence/scalars; problems name ``path`` and line.

    ``line_offset`` is added to every line (front matter starts after ``---``).
    """
    result = Parsed()
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 + line_offset
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                result.problems.error(
                    path, line, "yaml", "anchors and aliases (&name, *name) are not allowed",
                    "write the value out in full",
                )
                result.ok = False
            tag = getattr(event, "tag", None)
            if tag and not isinstance(event, (yaml.DocumentStartEvent,)):
                result.problems.error(
                    path, line, "yaml", f"YAML tags such as '{tag.replace('tag:yaml.org,2002:', '!!')}' are not allowed",
                    "remove the tag and write a plain value",
                )
                result.ok = False
        if not result.ok:
            return result
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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
        return result
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures
        result.problems.error(path, line_offset + 1, "yaml", f"malformed YAML: {exc}", "fix the YAML syntax")
        result.ok = False
        return result
    result.data = _convert(node, path, line_offset, result) if node is not None else None
    return result


def _convert(node: yaml.Node, path: str, offset: int, result: Parsed) -> Any:
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping(line=line)
        for key_node, value_node in node.value:
            key = _convert(key_node, path, offset, result)
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, str):
                key = str(key)
            if key in mapping:
                result.problems.error(
                    path, key_line, key, "this key appears twice", "keep one of the two entries",
                )
                result.ok = False
            mapping[key] = _convert(value_node, path, offset, result)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(line=line)
        for item in node.value:
            seq.append(_convert(item, path, offset, result))
            seq.item_lines.append(item.start_mark.line + 1 + offset)
        return seq
    try:
        return _SCALAR.construct_object(node)
    except Exception:  # noqa: BLE001 - e.g. 2017-02-30 looks like a date but is none
        # Keep the text; the schema check then says precisely what is wrong with it.
        return node.value


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
