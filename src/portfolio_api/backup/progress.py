"""Progress of an export or import: a tqdm bar on a terminal, nothing otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TextIO


class Progress(Protocol):
    """What the backup functions report to: items done so far, then close."""

    def update(self, n: int) -> object: ...

    def close(self) -> None: ...


ProgressFactory = Callable[[int | None], Progress]
"""Makes a `Progress` once the total (None when unknown) is known."""


class _Silent:
    def update(self, n: int) -> object:
        return None

    def close(self) -> None:
        return None


def silent(total: int | None) -> Progress:
    """A `ProgressFactory` that shows nothing."""
    return _Silent()


def bar(
    description: str, *, stream: TextIO, enabled: bool | None = None, delay: float = 1.0
) -> ProgressFactory:
    """A tqdm bar on `stream` (when `enabled`; None: when `stream` is a terminal).

    `delay` keeps it hidden for runs shorter than that, so only large tables show one.
    """

    def make(total: int | None) -> Progress:
        shown = stream.isatty() if enabled is None else enabled
        if not shown:
            return _Silent()
        from tqdm import tqdm  # type: ignore[import-untyped]  # imported only when shown

        progress: Progress = tqdm(
            total=total, desc=description, unit=" items", file=stream, delay=delay
        )
        return progress

    return make
