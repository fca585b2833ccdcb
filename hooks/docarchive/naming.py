"""Which timeline events, key figures and photos name each person, place and organization.

The schema says which fields of a record are references to the registries
(``ref:place``, ``refs:person`` ...); the reverse index is read from those
fields, so a reference field added to the schema shows on entity pages with
no change here. Built once per archive (``Archive.__post_init__``), in the
archive's order of each kind, then by date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from . import schema as S

NAMED_KINDS = ("person", "place", "organization")  # the kinds that have entity pages


@dataclass(frozen=True)
class Naming:
    """What names one entity, each kind by date."""

    events: tuple = ()
    figures: tuple = ()
    photos: tuple = ()

    def __bool__(self) -> bool:
        return bool(self.events or self.figures or self.photos)


def named_in(record: Any, schema: S.Schema) -> Iterator[tuple[str, str]]:
    """``(kind, id)`` of each person, place and organization a record's reference fields name, once each."""
    seen = set()
    for f in schema.fields:
        ref, _, target = f.type.partition(":")
        if ref not in ("ref", "refs") or target not in NAMED_KINDS:
            continue
        value = getattr(record, f.name, None)
        for item in (value if ref == "refs" else () if value is None else (value,)):
            if (target, item.id) not in seen:
                seen.add((target, item.id))
                yield target, item.id


def _by_entity(records: Iterable, schema: S.Schema) -> dict[tuple[str, str], list]:
    index: dict[tuple[str, str], list] = defaultdict(list)
    for record in records:
        for key in named_in(record, schema):
            index[key].append(record)
    return index


def naming_index(events: Iterable, figures: Iterable, photos: Iterable) -> dict[tuple[str, str], Naming]:
    """``(kind, id) -> Naming`` for every entity that an event, figure or photo names.

    Photos that stay out of lists (stage-generic placeholders, ``Photo.shown_in_lists``)
    stay off entity pages too; undated photos come last.
    """
    kinds = (_by_entity(events, S.EVENT), _by_entity(figures, S.FIGURE),
             _by_entity((p for p in photos if p.shown_in_lists), S.PHOTO))
    index = {}
    for key in set().union(*kinds):
        ev, fig, ph = (kind.get(key, []) for kind in kinds)
        index[key] = Naming(
            events=tuple(sorted(ev, key=lambda e: e.date)),  # sorted() is stable: same-date events keep their order
            figures=tuple(sorted(fig, key=lambda f: f.date)),
            photos=tuple(sorted(ph, key=lambda p: (p.date is None, p.date or 0, p.id))),
        )
    return index
