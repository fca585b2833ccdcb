"""Dates at their honest precision: a year, a month, or a day. Never padded."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTHS = [calendar.month_name[i] for i in range(13)]


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int = 0  # 0: unknown
    day: int = 0  # 0: unknown

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """The date as written by an editor: 2017, 2017-12 or 2017-12-03."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def label(self) -> str:
        """For readers: '2017', 'December 2017' or '3 December 2017'."""
        if self.day:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso


class DateError(ValueError):
    pass


def parse_date(value) -> PartialDate:
    """Accept 2017, '2017', '2017-12', '2017-12-03' or a YAML date; keep the precision."""
    if isinstance(value, bool):
        raise DateError("is not a date")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise DateError("is not a date")
    match = _PATTERN.match(value.strip())
    if not match:
        raise DateError(f"'{value}' is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2) or 0)
    day = int(match.group(3) or 0)
    if match.group(2) and not 1 <= month <= 12:
        raise DateError(f"'{value}' has no month {month}")
    if match.group(3):
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"'{value}' is impossible: {MONTHS[month]} {year} has {last} days")
    return PartialDate(year, month, day)
