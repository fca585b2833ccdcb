"""Templates compiled ahead, in readahead's worker, into the build's on-disk template cache.

Compiling its templates costs a cold build of 1,000 stories about 0.25 s (0.15 s of it the archive's
page templates, macros.html alone 0.05 s), all before or in its first pages. readahead's worker,
idle once it has sent the stories, compiles them meanwhile into jinja2's ``FileSystemBytecodeCache``
(written atomically), where the build's environments find them: jinja2 keeps each under the
template's name and file and uses it only while the source is the same. Compiled code depends on the
environment's settings too (its options, extensions and filters), so the worker compiles with the
build's own: the archive's environment is the same object in both processes (forked), and MkDocs'
theme environment is made as MkDocs makes it and set up by mkdocs_glue.theme_env, which is what the
build's is when no other plugin sets it up (``forwards_only``).
"""

from __future__ import annotations

import inspect
import re
from typing import Iterable

import jinja2


def compile_all(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Each template compiled (and so kept in ``env``'s bytecode cache); one that fails is left to the build,
    which reports it where a page needs it."""
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass


# A template named by a constant in an extends, include, import or from tag. Read from the source, not from
# a parse (jinja2.meta.find_referenced_templates): a second parse of each would cost the worker a quarter of
# its compiling. A name missed, or one matched in a comment, only means one template compiled by the build
# itself, or one compiled for nothing.
REFERENCE = re.compile(r"""{%[-+]?\s*(?:extends|include|import|from)\s+(["'])([^"'{}]+)\1""")


def referenced(env: jinja2.Environment, names: Iterable[str]) -> list[str]:
    """``names`` and every template they extend, include or import by a constant name, and so on: the
    templates a page made from them needs (a name put together as the page renders is left out)."""
    found: list[str] = []
    queue = list(names)
    while queue:
        name = queue.pop(0)
        if name in found:
            continue
        try:
            source = env.loader.get_source(env, name)[0]
        except jinja2.TemplateError:
            continue
        found.append(name)
        queue.extend(match.group(2) for match in REFERENCE.finditer(source))
    return found


def forwards_only(handlers: Iterable, glue, calls: Iterable[str] = ("theme_env",)) -> bool:
    """Whether every handler of an event does nothing but forward to mkdocs_glue (``glue``) by the names in
    ``calls``: ``glue.theme_env(...)`` for ``on_env``, ``glue.state(config).page_content(...)`` for a page's
    event. Those are the archive's hook and its plugin; another plugin's ``on_env`` could change the
    environment's settings, and its page handler read or change the page (mkdocs_glue.makes_pages_alone)."""
    for handler in handlers:
        function = inspect.unwrap(getattr(handler, "__func__", handler))  # a timer around it (bench_phases.py)
        function = getattr(function, "__func__", function)
        code = getattr(function, "__code__", None)
        if code is None or set(code.co_names) != {"mkdocs_glue", *calls} \
                or function.__globals__.get("mkdocs_glue") is not glue:
            return False
    return True
