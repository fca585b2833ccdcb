"""How ``docarchive check`` prints its problems: text for people, JSON for tools, GitHub workflow commands.

``github`` prints one ``::error`` or ``::warning`` command per problem, with the
file and line, so that GitHub shows each problem on its line of a pull
request's diff (see GitHub's "workflow commands" documentation for the escaping
rules applied here).
"""

from __future__ import annotations

import json
import sys
from typing import Iterable

from .problems import ContentError, Problem


def summary(archive, untranslated: tuple = ()) -> str:
    """The counts of a valid archive, and how many of its English records still want Chinese."""
    text = (f"ok: {len(archive.stages)} stages, {len(archive.stories)} stories, {len(archive.photos)} photos, "
            f"{len(archive.events)} events, {len(archive.figures)} figures, {len(archive.people)} people, "
            f"{len(archive.places)} places, {len(archive.organizations)} organizations")
    if untranslated:
        text += f"\n{len(untranslated)} record(s), story(ies) or page(s) have no Chinese yet"
    return text


def as_record(problem: Problem) -> dict:
    return {"file": problem.path, "line": problem.line, "field": problem.field, "severity": problem.level,
            "message": problem.message, "fix": problem.fix}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(problem: Problem) -> str:
    props = [f"file={_escape_property(problem.path)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    props.append(f"title={_escape_property(problem.field)}")
    text = f"{problem.message} - {problem.fix}" if problem.fix else problem.message
    return f"::{problem.level} {','.join(props)}::{_escape_data(text)}"


def emit(problems: Iterable[Problem], fmt: str, ok_summary: str | None, out=None, err=None) -> None:
    """Print ``problems`` in ``fmt``; ``ok_summary`` is None when the archive has errors."""
    out, err = out or sys.stdout, err or sys.stderr
    problems = sorted(set(problems))
    if fmt == "json":
        print(json.dumps([as_record(p) for p in problems], ensure_ascii=False, indent=1), file=out)
    elif fmt == "github":
        for problem in problems:
            print(github_command(problem), file=out)
        if ok_summary:
            print(ok_summary, file=out)
    elif ok_summary is None:
        print(ContentError(problems), file=err)
    else:
        for warning in problems:
            print(f"WARNING {warning}", file=err)
        print(ok_summary, file=out)
