"""CSV downloads of the key figures and the timeline: built, linked, and faithful to the model."""

from __future__ import annotations

import csv
import io

from docarchive import exports
from docarchive.model import load_archive


def test_figures_csv_has_every_figure_with_date_precision_and_source_section(archive):
    model = load_archive(archive)
    rows = list(csv.DictReader(io.StringIO(exports.figures_csv(model))))
    assert [r["id"] for r in rows] == [f.id for f in model.figures]
    cadres = next(r for r in rows if r["id"] == "cadres")
    assert cadres == {"id": "cadres", "label": "Cadres sent", "qualifier": "more than", "value": "800",
                      "unit": "cadres", "date": "2020", "counts": "Cadres sent since the pairing.",
                      "stage": "Stage Two", "source": "Fixture Gazette, September 2020, section \u201cPart B\u201d"}


def test_timeline_csv_keeps_order_plans_and_links(archive):
    model = load_archive(archive)
    rows = list(csv.DictReader(io.StringIO(exports.timeline_csv(model))))
    assert [r["date"] for r in rows] == ["2010-06", "2017-12-03", "2020"]
    assert rows[0]["stories"] == "alpha" and rows[2]["plan"] == "yes" and rows[0]["plan"] == ""


def test_timeline_csv_says_which_events_are_how_things_stood(archive):
    timeline = archive / "data" / "timeline.yml"
    text = timeline.read_text(encoding="utf-8")
    timeline.write_text(text.replace("- id: middle\n", "- id: middle\n  found: true\n"), encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(exports.timeline_csv(load_archive(archive)))))
    assert [r["found"] for r in rows] == ["", "yes", ""]


def test_csv_files_are_in_the_site_and_linked(mini_site):
    assert (mini_site.site / exports.FIGURES_CSV).read_text(encoding="utf-8").startswith("id,label,")
    assert (mini_site.site / exports.TIMELINE_CSV).is_file()
    assert 'href="../data/key-figures.csv" download' in mini_site.html("figures/index.html")
    assert 'href="../data/timeline.csv" download' in mini_site.html("timeline/index.html")
