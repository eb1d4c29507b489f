"""A problem found in a file: where it is (file, row, field) and what is wrong, in words a data
manager understands."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row (or with a whole file, when `row` is None).

    `row` counts as a spreadsheet does: the header is row 1, the first data row is row 2.
    `rejected` says whether the row was left out (an error) or kept with a warning.
    """

    file: str
    row: int | None
    field: str | None
    message: str
    rejected: bool = True

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Problems:
    """The problems of one import. Keeps the first `limit` for showing and counts them all, so a
    file with a million bad rows neither floods the page nor hides how many there were."""

    limit: int = 1000
    kept: list[Problem] = field(default_factory=list)
    count: int = 0
    rejected_rows: int = 0

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def extend(self, problems: Problems | list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.kept)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def truncated(self) -> bool:
        return self.count > len(self.kept)
