"""The kind's counter item: totals per status and filter, category labels, scheduled items.

Attributes of the item at `keys.content_counters(kind)`:

- `n|<status>` and `n|<status>|<filter key>`: how many items (status `draft` or `published`,
  which includes scheduled ones) match; `ADD`ed in the transaction of every change.
- `label|<facet>=<value>`: the spelling shown for a case-folded label (last one written).
- `sched|<id>`: `{at, facets}` of each item scheduled for the future, so public totals can
  leave out what is not due yet (entries that have come due are simply ignored).
- `rev`: how many changes the item has seen (`ADD`ed by each), so that `portfolio-api reindex`
  can remove what no longer says anything (`stale_attributes`) on condition that nothing
  changed since it read the item.
- `GSI1PK`/`GSI1SK` (`keys.content_counters_list_entry`) and `listHead`: set by every change,
  they put the item at the head of the kind's list, so the first page of a list reads the
  totals in its own Query; `listHead` lets it through the list's filters (a filter may not
  name the index's keys), and the repository strips it from the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portfolio_api.content.kind import ContentKind, facet_part, facet_values
from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.table import Expression

REV = "rev"
LIST_HEAD = "listHead"
"""The attribute only the counter item has: list filters let it through by it."""


def list_head(kind: str) -> tuple[list[str], Expression]:
    """The SET clauses (and their names and values) that put the kind's counter item at the
    head of its list: its GSI1 keys and `listHead`."""
    expr = Expression(names={"#head": LIST_HEAD}, values={":head": True})
    sets = ["#head = :head"]
    for index, (name, value) in enumerate(keys.content_counters_list_entry(kind).items()):
        expr.names[f"#k{index}"] = name
        expr.values[f":k{index}"] = value
        sets.append(f"#k{index} = :k{index}")
    return sets, expr


@dataclass(frozen=True)
class Tally:
    """What the counter item says about one list: the items it shows, and the other items in
    its key range that its filters drop (for sizing reads)."""

    total: int
    unmatched: int


@dataclass
class CounterChange:
    """What one write changes on the counter item."""

    kind: str
    item_id: str
    deltas: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    schedule: dict[str, Any] | None = None
    """The item's scheduled entry to store; None removes it."""

    def expression(self) -> tuple[str, Expression]:
        """The UpdateItem expression applying this change."""
        # Set again by every change, so a counter item written before it had list keys gets
        # them at its next change.
        sets, expr = list_head(self.kind)
        expr.names["#s"] = f"sched|{self.item_id}"
        expr.names["#rev"], expr.values[":rev"] = REV, 1
        adds: list[str] = ["#rev :rev"]
        for index, (name, delta) in enumerate(sorted(self.deltas.items())):
            expr.names[f"#n{index}"] = name
            expr.values[f":n{index}"] = delta
            adds.append(f"#n{index} :n{index}")
        for index, (name, label) in enumerate(sorted(self.labels.items())):
            expr.names[f"#l{index}"] = name
            expr.values[f":l{index}"] = label
            sets.append(f"#l{index} = :l{index}")
        if self.schedule is not None:
            expr.values[":s"] = self.schedule
            sets.append("#s = :s")
        clauses = [f"SET {', '.join(sets)}", f"ADD {', '.join(adds)}"]
        clauses.append("REMOVE #s" if self.schedule is None else "")
        return " ".join(clause for clause in clauses if clause), expr


def stale_attributes(counters: Item) -> list[str]:
    """What the counter item keeps that no longer says anything: counts that went back to 0
    (`ADD` leaves them) and spellings of labels no item has any more. Left alone, they would
    pile up with every retired tag and category until the item neared DynamoDB's 400 KB, and
    every list page reads them all. (Schedule entries whose time has come stay: one small
    entry per scheduled publication, and telling "due" needs a clock to trust.)"""
    counts = {n: int(v) for n, v in counters.items() if n.startswith("n|")}
    live = {
        part
        for name, count in counts.items()
        if count
        for part in name.split("|", 2)[-1].split("&")
    }
    return sorted(
        [name for name, count in counts.items() if not count]
        + [n for n in counters if n.startswith("label|") and n.removeprefix("label|") not in live]
    )


def recount(kind: ContentKind, counters: Item, items: Iterable[Item], *, now: str) -> Recount:
    """What the counter item must change to count `items` (every item of the kind) again:
    after a merge import of an older backup, it holds the backup's counts."""
    wanted: Counter[str] = Counter()
    labels: dict[str, str] = {}
    scheduled: dict[str, Any] = {}
    for item in items:
        wanted.update(_keys(item))
        labels.update(_labels(kind, item))
        if (entry := _schedule(item, now)) is not None:
            scheduled[f"sched|{item['id']}"] = entry
    held = {name: int(value) for name, value in counters.items() if name.startswith("n|")}
    return Recount(
        deltas={
            name: wanted[name] - held.get(name, 0)
            for name in sorted(held.keys() | wanted.keys())
            if wanted[name] != held.get(name, 0)
        },
        sets={
            name: value
            for name, value in sorted({**labels, **scheduled}.items())
            # a label's spelling is the last one written: any item's will do
            if name not in counters or (name.startswith("sched|") and counters[name] != value)
        },
        removals=sorted(n for n in counters if n.startswith("sched|") and n not in scheduled),
    )


@dataclass(frozen=True)
class Recount:
    """Corrections of a counter item: counts to add to, attributes to set and to remove."""

    deltas: dict[str, int]
    sets: dict[str, Any]
    removals: list[str]

    def __len__(self) -> int:
        return len(self.deltas) + len(self.sets) + len(self.removals)


def is_due(item: Item, *, now: str) -> bool:
    """Whether a published item's time has come."""
    return str(item.get("publishAt", "~")) <= now


def change(
    kind: ContentKind, *, old: Item | None, new: Item | None, now: str
) -> CounterChange | None:
    """The counter change of replacing `old` by `new` (either may be None), if any."""
    deltas = Counter(_keys(new))
    deltas.subtract(_keys(old))
    result = CounterChange(
        kind=kind.name,
        item_id=str((new or old or {})["id"]),
        deltas={name: delta for name, delta in deltas.items() if delta},
        labels=_labels(kind, new),
        schedule=_schedule(new, now),
    )
    if (
        not result.deltas
        and result.labels == _labels(kind, old)
        and result.schedule == _schedule(old, now)
    ):
        return None
    return result


def public_total(counters: Item, *, facet: str | None, now: str) -> int:
    """Published items matching `facet` whose time has come."""
    scheduled = _not_due(counters, now)
    total = _count(counters, "published", facet)
    total -= sum(1 for entry in scheduled if facet is None or facet in entry["facets"])
    return max(total, 0)


def owner_total(counters: Item, *, facet: str | None, status: str) -> int:
    """Items of `status` (`published`, `draft` or `all`) matching `facet`."""
    states = ("published", "draft") if status == "all" else (status,)
    return sum(_count(counters, state, facet) for state in states)


def tally(counters: Item, *, status: str, facet: str | None, now: str | None) -> Tally:
    """The total of a list (public when `now` is given, else the owner's of `status`) and the
    number of other items in its key range (`PUB#` for public lists)."""
    if now is not None:
        total = public_total(counters, facet=facet, now=now)
        in_range = _count(counters, "published", None)
    else:
        total = owner_total(counters, facet=facet, status=status)
        in_range = owner_total(counters, facet=None, status=status)
    total = max(total, 0)
    return Tally(total=total, unmatched=max(in_range - total, 0))


def public_labels(counters: Item, *, facet: str, now: str) -> list[tuple[str, int]]:
    """The values of a string facet among public items with their counts, by name."""
    scheduled = _not_due(counters, now)
    result: list[tuple[str, int]] = []
    for name, value in counters.items():
        key = name.removeprefix("n|published|")
        if not name.startswith(f"n|published|{facet}=") or "&" in key:
            continue
        count = int(value) - sum(1 for entry in scheduled if key in entry["facets"])
        if count > 0:
            result.append((str(counters.get(f"label|{key}", key)), count))
    return sorted(result, key=lambda pair: pair[0].casefold())


def _count(counters: Item, state: str, facet: str | None) -> int:
    return int(counters.get(f"n|{state}" + (f"|{facet}" if facet else ""), 0))


def _not_due(counters: Item, now: str) -> list[dict[str, Any]]:
    return [e for n, e in counters.items() if n.startswith("sched|") and e["at"] > now]


def _keys(item: Item | None) -> list[str]:
    if item is None:
        return []
    state = item["status"]
    return [f"n|{state}", *(f"n|{state}|{facet}" for facet in item["facets"])]


def _labels(kind: ContentKind, item: Item | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in kind.facets if item else ():
        value: Any = item.get(name) if item else None
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for label in values:
            found[f"label|{facet_part(name, facet_values(label)[0])}"] = label
    return found


def _schedule(item: Item | None, now: str) -> dict[str, Any] | None:
    if item is None or item["status"] != "published" or is_due(item, now=now):
        return None
    return {"at": item["publishAt"], "facets": item["facets"]}
