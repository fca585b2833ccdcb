"""Problems found in content: one line each, naming file, line, field and the fix."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the archive root, with forward slashes
    line: int  # 1-based; 0 when the problem is about the whole file
    field: str  # the key at fault, or "file"
    message: str  # what is wrong
    fix: str  # how to fix it
    level: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}"
        return f"{text} - {self.fix}" if self.fix else text

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


class Problems(list):
    """A list of Problem with helpers to add errors and warnings."""

    def error(self, path: str, line: int, field: str, message: str, fix: str = "") -> None:
        self.append(Problem(path, line, field, message, fix, ERROR))

    def warning(self, path: str, line: int, field: str, message: str, fix: str = "") -> None:
        self.append(Problem(path, line, field, message, fix, WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if not p.is_error]

    def report(self) -> str:
        return "\n".join(str(p) for p in sorted(set(self)))


class ContentError(Exception):
    """Raised when content has errors; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        errors = [p for p in self.problems if p.is_error]
        head = f"{len(errors)} content error(s); nothing was built:"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))
