"""Data downloads for readers who want the numbers and dates themselves: CSV files.

Pure functions from the model to text; the glue adds them to the site as files,
and the figures and timeline pages link them.
"""

from __future__ import annotations

import csv
import io

from .model import Archive, SourceRef

FIGURES_CSV = "data/key-figures.csv"
TIMELINE_CSV = "data/timeline.csv"


def _cite(ref: SourceRef) -> str:
    text = f"{ref.source.publication}, {ref.source.date.label}"
    return f"{text}, section \u201c{ref.section_title}\u201d" if ref.section_id else text


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def figures_csv(archive: Archive) -> str:
    """One row per key figure, with its date at its precision and its source section."""
    return _csv(
        ["id", "label", "qualifier", "value", "unit", "date", "counts", "stage", "source"],
        [[f.id, f.label, f.qualifier_text, f.value, f.unit, f.date.iso, f.counts, f.stage.title, _cite(f.source)]
         for f in archive.figures],
    )


def timeline_csv(archive: Archive) -> str:
    """One row per event, in date order; ``plan`` is yes for plans announced, not things done, and
    ``found`` for how things stood when the source looked (a condition found, a running total)."""
    return _csv(
        ["id", "date", "title", "stage", "plan", "found", "text", "stories", "sources"],
        [[e.id, e.date.iso, e.title, e.stage.title, "yes" if e.plan else "", "yes" if e.found else "", e.text,
          "; ".join(s.slug for s in e.stories), "; ".join(_cite(r) for r in e.sources)]
         for e in archive.events],
    )


def all_exports(archive: Archive) -> dict[str, str]:
    """Site path -> file content."""
    return {FIGURES_CSV: figures_csv(archive), TIMELINE_CSV: timeline_csv(archive)}
