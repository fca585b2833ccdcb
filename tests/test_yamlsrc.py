"""yamlsrc: libyaml's C parser gives the same data and lines as PyYAML's Python parser, and
repeated loads (each rebuild of `mkdocs serve`) keep no memory."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest
import yaml
from support import REPO, make_archive

from docarchive.model import load_archive
from docarchive.yamlsrc import Mapping, Sequence, parse_yaml

CONTENT = [REPO / "data", REPO / "photos", REPO / "stories", REPO / "tests" / "fixtures", REPO / "tests" / "golden"]


def content_files() -> list[Path]:
    found = []
    for folder in CONTENT:
        found += [p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml", ".md") and p.is_file()]
    return sorted(found)


def yaml_text(path: Path) -> str | None:
    """The YAML of a file: the whole file, or a Markdown file's front matter."""
    text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    if path.suffix != ".md":
        return text
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), len(lines))
    return "\n".join(lines[1:end])


def with_lines(value):
    """The parsed value with every line number it carries, for an exact comparison."""
    if isinstance(value, Mapping):
        return ("map", value.line, [(k, value.line_of(k), with_lines(v)) for k, v in value.items()])
    if isinstance(value, Sequence):
        return ("seq", value.line, [(value.line_of(i), with_lines(v)) for i, v in enumerate(value)])
    return (type(value).__name__, value)


def test_the_content_files_are_many_enough_to_mean_something():
    assert len(content_files()) > 50


@pytest.mark.parametrize("path", [p for p in content_files() if yaml_text(p) is not None],
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_c_parser_reads_every_content_file_as_the_python_parser_does(path):
    text = yaml_text(path)
    fast, reference = parse_yaml(text, "f", 1), parse_yaml(text, "f", 1, pure_python=True)
    assert (fast.ok, [str(p) for p in fast.problems]) == (reference.ok, [str(p) for p in reference.problems])
    assert with_lines(fast.data) == with_lines(reference.data)


@pytest.mark.parametrize("text", [
    "a: 1\nb: [x, y]\n",                       # flow sequence
    "a: 1\na: 2\n",                            # duplicate key
    "a: &x 1\nb: *x\n",                        # anchor and alias
    "a: !!python/object/apply:os.system [ls]\n",  # tag
    "a: [1, 2\n",                              # unclosed flow sequence
    "a:\n  - b\n - c\n",                       # bad indentation
    "a: 1\n---\nb: 2\n",                       # two documents
    "a: \"x\x07\"\n",                          # a control character
    "when: 2019-02-30\nn: 0x1F\nf: 1e3\nyes: no\n~: null\n",  # scalars the resolver types
    "",
])
def test_c_parser_and_python_parser_agree_on_odd_input(text):
    fast, reference = parse_yaml(text, "f.yml"), parse_yaml(text, "f.yml", pure_python=True)
    assert [str(p) for p in fast.problems] == [str(p) for p in reference.problems]
    assert (fast.ok, with_lines(fast.data)) == (reference.ok, with_lines(reference.data))


def traced_growth(action, warm: int = 3, runs: int = 20) -> int:
    """Bytes still allocated after ``runs`` more calls of ``action`` than after ``warm`` calls."""
    for _ in range(warm):
        action()
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(warm):
            action()
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(runs):
            action()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_repeated_loads_keep_no_memory(tmp_path):
    # Each rebuild under `mkdocs serve` loads the archive again in the same process. A shared
    # yaml constructor used to keep every parsed node, and with it every file's text:
    # about 180 KB a load of this small archive (3.6 MB over these 20 loads).
    root = make_archive(tmp_path / "archive")
    growth = traced_growth(lambda: load_archive(root))
    assert growth < 100_000, f"{growth} bytes kept over 20 loads"


def test_repeated_parses_of_a_large_file_keep_no_memory():
    text = "".join(f"- id: record-{i}\n  name: Record {i}\n  note: {'words ' * 40}\n" for i in range(200))
    growth = traced_growth(lambda: parse_yaml(text, "big.yml"))
    assert growth < 20_000, f"{growth} bytes kept over 20 parses of a {len(text)}-character file"


SCALAR_TEXTS = ["", "x", "Synthetic story 5", "hezheng", "临夏", "true", "True", "yes", "no", "on", "Off", "null",
                "Null", "~", "12", "-3", "+4", "0x1F", "0o17", "1_000", "1e3", ".5", ".inf", "-.Inf", ".nan", "2017",
                "2017-02", "2017-02-03", "2019-02-30", "2001-12-14t21:59:43.10-05:00", "=", "<<", "a: b", "nope",
                "yesterday", "tomorrow", "ok", "Ohne", "~tilde", "#not a comment", "'", "é", " spaced "]


def _scalar_events() -> list:
    """Every scalar as written plain (where YAML lets it be), single-quoted, double-quoted and as a block."""
    plain = "".join(f"- {text}\n" for text in SCALAR_TEXTS if text and text == text.strip()
                    and not text.startswith(("'", "#", "~t")) and ": " not in text)
    quoted = "".join(f"- '{text.replace(chr(39), chr(39) * 2)}'\n- \"{text}\"\n- |-\n  {text}\n"
                     for text in SCALAR_TEXTS if text.strip())
    return [e for e in yaml.parse(plain + quoted + "- \n- ''\n", Loader=yaml.SafeLoader)
            if isinstance(e, yaml.ScalarEvent)]


def test_a_scalar_is_read_as_the_resolver_and_constructor_read_it():
    """yamlsrc._scalar's shortcut for text gives what PyYAML's resolver and constructor give, value and type."""
    from docarchive import yamlsrc

    events = _scalar_events()
    assert len(events) > 120
    for event in events:
        fast, reference = yamlsrc._scalar(event), yamlsrc._typed_scalar(event)
        assert (type(fast), fast) == (type(reference), reference), (event.value, event.style)
    read = {e.value: yamlsrc._scalar(e) for e in events if e.implicit[0]}
    assert read["true"] is True and read["12"] == 12 and read["null"] is None and read["临夏"] == "临夏"
