"""What the feed, the citations and the linked data say about the archive as a publication.

One frozen record made by the glue from mkdocs.yml (``site_name``,
``site_description``, ``site_url``, ``extra.citation_author``) and the build's
date (``SOURCE_DATE_EPOCH`` or the commit's, never the clock), and a function
from a site path to the URL a reader outside the site can use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from .dates import PartialDate


@dataclass(frozen=True)
class Publication:
    name: str
    description: str
    author: str  # who made the archive, for citations and the feed ("" if not set)
    site_url: str  # "" when unpublished: then URLs stay relative to the site's root
    epoch: int | None  # the build's date
    url_of: Callable[[str], str]  # a page's source path -> its URL path from the site root ("stories/x/")

    def absolute(self, uri: str) -> str:
        """The page's URL: absolute under site_url if set, else from the site's root."""
        path = self.url_of(uri)
        return self.site_url.rstrip("/") + "/" + path if self.site_url else path

    @property
    def date(self) -> dt.datetime | None:
        return None if self.epoch is None else dt.datetime.fromtimestamp(self.epoch, dt.timezone.utc)

    @property
    def edition(self) -> PartialDate | None:
        """The build's date as a day, the version of the archive a citation cites."""
        d = self.date
        return None if d is None else PartialDate(d.year, d.month, d.day)


def start_of(date: PartialDate) -> dt.datetime:
    """The first moment of a partial date, for formats that need a full timestamp (Atom)."""
    return dt.datetime(date.year, date.month or 1, date.day or 1, tzinfo=dt.timezone.utc)
