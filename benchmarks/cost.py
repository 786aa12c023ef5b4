"""DynamoDB capacity and cost per million requests, from the items the app really writes.

The app runs on in-process moto exactly as in `warm.py` (seeded through the API). Every
DynamoDB request it makes is recorded by the `TimingProxy`; around each write the meter reads
the before and after images of the items it touches (outside the app's timing), and each query
is re-run without its filter to get the items DynamoDB would have read. Capacity is then
computed per request by DynamoDB's on-demand rules:

- item size = sum over attributes of the UTF-8 name length + the value size (S/B: bytes;
  N: ceil(significant digits / 2) + 1; BOOL/NULL: 1; L/M: 3 + 1 per element + elements);
- GetItem / BatchGetItem: 4 KB units per item; Query: the sum of the items read (before the
  filter) rounded up to 4 KB; 0.5 RRU per unit eventually consistent, 1 strongly consistent;
  a missing item still costs one unit;
- PutItem / UpdateItem: 1 WRU per KB of the larger of the before and after images; DeleteItem:
  of the deleted item; a failed condition: of the existing item (at least 1);
  GSI1 and GSI2 (projection ALL), each: + the new entry's KB, + the old entry's KB when its
  key changes (an item outside a sparse index writes nothing to it);
- TransactWriteItems: every action (ConditionCheck included, 1 KB units of the checked item)
  and its index writes cost double.

Then the cost per million requests of each class and of the mix (public reads 80%, tracks
18%, owner writes 2%) with Lambda billed durations from the measured warm handler time.

    uv run --no-sync python benchmarks/cost.py [--samples 20] [--calls 300]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cold_start import table
from warm import CLASSES, Bench, DynamoCall, bench_app, by_class, measure

# us-east-1 on-demand list prices (as in docs/operations.md, read 2026-11-22).
PRICE_RRU = 0.125 / 1e6
PRICE_WRU = 0.625 / 1e6
PRICE_HTTP_API = 1.00 / 1e6
PRICE_LAMBDA_REQUEST = 0.20 / 1e6
PRICE_LAMBDA_GB_S = 0.0000133334  # arm64
# Provisioned capacity (a projection only): $ per WCU-hour and RCU-hour, and the utilisation
# auto scaling keeps (its target is 70%); 1 RCU-hour = 3,600 RRU, 1 WCU-hour = 3,600 WRU.
PRICE_WCU_HOUR = 0.00065
PRICE_RCU_HOUR = 0.00013
PROVISIONED_USE = 0.70

MIX = {"public GET list": 0.40, "public GET item": 0.40, "track": 0.18, "owner write": 0.02}
TARGET = 1.50  # $ per million mixed requests, API Gateway included

# Billed duration assumption: Lambda gives a function 1 vCPU at 1769 MB and proportionally less
# below, so the handler's CPU time measured here (one core taken as one Lambda vCPU) is scaled by
# 1769 / memory; each DynamoDB request adds a typical in-region latency (network + service +
# botocore), and the runtime client adds a little per invocation. Lambda bills per 1 ms.
FULL_VCPU_MB = 1769
DYNAMODB_MS = 5.0
RUNTIME_MS = 1.0
MEMORIES = (1024, 512)

KEY_ATTRS = ("PK", "SK")
INDEX_KEYS = (("GSI1PK", "GSI1SK"), ("GSI2PK", "GSI2SK"))
"""The key attributes of each global secondary index (both project ALL attributes)."""
READS = {"get_item", "batch_get_item", "query"}
WRITES = {"put_item", "update_item", "delete_item", "transact_write_items"}


def number_size(text: str) -> int:
    """DynamoDB's size of a number: ~1 byte per 2 significant digits, + 1."""
    digits = re.sub(r"[^0-9]", "", str(Decimal(text).normalize()).split("E")[0]).lstrip("0")
    return math.ceil(max(len(digits), 1) / 2) + 1


def value_size(value: dict[str, Any]) -> int:
    """Size in bytes of one typed attribute value."""
    ((kind, data),) = value.items()
    if kind in ("S", "B"):
        return len(data.encode()) if isinstance(data, str) else len(data)
    if kind == "N":
        return number_size(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in data)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in data.items())
    if kind == "SS":
        return sum(len(v.encode()) for v in data)
    if kind == "NS":
        return sum(number_size(v) for v in data)
    if kind == "BS":
        return sum(len(v) for v in data)
    raise ValueError(kind)


def item_size(item: dict[str, Any] | None) -> int:
    """Size in bytes of a typed item: attribute names + values."""
    return sum(len(k.encode()) + value_size(v) for k, v in (item or {}).items())


def read_units(size: int) -> int:
    """4 KB read units, at least one."""
    return max(1, math.ceil(size / 4096))


def index_key(image: dict[str, Any] | None, names: tuple[str, ...]) -> tuple[str, ...] | None:
    """The item's key in one index, or None when it is not in that (sparse) index."""
    if image and all(name in image for name in names):
        return tuple(str(image[name]) for name in names)
    return None


def write_units(size: int) -> int:
    """1 KB write units, at least one."""
    return max(1, math.ceil(size / 1024))


@dataclass
class Capacity:
    """Capacity consumed by one DynamoDB request."""

    operation: str
    rru: float = 0.0
    wru: float = 0.0
    read_bytes: int = 0
    write_bytes: int = 0


@dataclass
class CapacityMeter:
    """Proxy hooks that compute each request's capacity from before/after item images."""

    client: Any  # the real client: its reads here are the meter's, never counted or timed
    table_name: str
    log: list[Capacity] = field(default_factory=list)

    def _image(self, key: dict[str, Any]) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True)
        item: dict[str, Any] | None = response.get("Item")
        return item

    @staticmethod
    def _actions(operation: str, request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        if operation == "transact_write_items":
            return [next(iter(a.items())) for a in request["TransactItems"]]
        kind = {"put_item": "Put", "update_item": "Update", "delete_item": "Delete"}[operation]
        return [(kind, request)]

    @staticmethod
    def _key(action: dict[str, Any]) -> dict[str, Any]:
        source = action.get("Key") or action["Item"]
        return {name: source[name] for name in KEY_ATTRS}

    def before(self, operation: str, request: dict[str, Any]) -> Any:
        """The images of the items a write is about to touch."""
        if operation not in WRITES:
            return None
        return [self._image(self._key(action)) for _, action in self._actions(operation, request)]

    def after(self, call: DynamoCall, befores: Any, response: Any) -> None:
        """Record the capacity of the request that just ran."""
        operation, request = call.operation, call.request
        cost = Capacity(operation)
        if operation == "get_item":
            factor = 1.0 if request.get("ConsistentRead") else 0.5
            size = item_size((response or {}).get("Item"))
            cost.rru, cost.read_bytes = factor * read_units(size), size
        elif operation == "batch_get_item":
            for name, ask in request["RequestItems"].items():
                factor = 1.0 if ask.get("ConsistentRead") else 0.5
                found = (response or {}).get("Responses", {}).get(name, [])
                sizes = [item_size(i) for i in found] + [0] * (len(ask["Keys"]) - len(found))
                cost.rru += factor * sum(read_units(s) for s in sizes)
                cost.read_bytes += sum(sizes)
        elif operation == "query":
            size = self._query_read_bytes(request)
            factor = 1.0 if request.get("ConsistentRead") else 0.5
            cost.rru, cost.read_bytes = factor * read_units(size), size
        elif operation in WRITES:
            factor = 2 if operation == "transact_write_items" else 1
            actions = self._actions(operation, request)
            for (kind, action), before in zip(actions, befores, strict=True):
                after = self._image(self._key(action))
                units, size = self._write(kind, before, after, failed=call.error is not None)
                cost.wru += factor * units
                cost.write_bytes += size
        self.log.append(cost)

    def _query_read_bytes(self, request: dict[str, Any]) -> int:
        """Bytes DynamoDB reads for a query: its items before the filter is applied."""
        rerun = {
            k: v
            for k, v in request.items()
            if k not in ("FilterExpression", "ProjectionExpression", "Select")
        }
        used = request["KeyConditionExpression"]
        if "ExpressionAttributeNames" in rerun:
            names = {k: v for k, v in rerun["ExpressionAttributeNames"].items() if k in used}
            rerun["ExpressionAttributeNames"] = names
        if "ExpressionAttributeValues" in rerun:
            values = {k: v for k, v in rerun["ExpressionAttributeValues"].items() if k in used}
            rerun["ExpressionAttributeValues"] = values
        for name in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
            if not rerun.get(name):
                rerun.pop(name, None)
        items = self.client.query(**rerun).get("Items", [])
        return sum(item_size(i) for i in items)

    @staticmethod
    def _write(
        kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None, *, failed: bool
    ) -> tuple[int, int]:
        """(WRU before any transaction factor, bytes) of one write action."""
        old, new = item_size(before), item_size(after)
        if kind == "ConditionCheck" or failed:
            return write_units(old), old
        units = write_units(old if kind == "Delete" else max(old, new))

        for names in INDEX_KEYS:
            was, now = index_key(before, names), index_key(after, names)
            if was and now and was == now:
                units += write_units(new) if before != after else 0
            else:
                units += (write_units(old) if was else 0) + (write_units(new) if now else 0)
        return units, max(old, new)


@dataclass
class KindCost:
    """Average capacity per call of one request kind."""

    klass: str
    operations: str
    requests: float
    rru: float
    wru: float


def measure_capacity(bench: Bench, samples: int) -> dict[str, KindCost]:
    """Average DynamoDB requests and capacity per call of each request kind."""
    meter = CapacityMeter(bench.client, bench.app.state.table.name)
    bench.proxy.before, bench.proxy.after = meter.before, meter.after
    costs = {}
    try:
        for request in bench.requests():
            bench.call(request)  # the day's salt and similar first-call work: not counted
            meter.log = []
            for _ in range(samples):
                bench.call(request)
            ops: defaultdict[str, int] = defaultdict(int)
            for entry in meter.log:
                ops[entry.operation] += 1
            costs[request.name] = KindCost(
                request.klass,
                " + ".join(f"{n / samples:g} {op}" for op, n in ops.items()),
                len(meter.log) / samples,
                sum(e.rru for e in meter.log) / samples,
                sum(e.wru for e in meter.log) / samples,
            )
    finally:
        bench.proxy.before = bench.proxy.after = None
    return costs


def item_sizes(bench: Bench) -> list[list[str]]:
    """Sizes of the items in the table after the run, grouped by key shape (bench only scan)."""
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for page in bench.client.get_paginator("scan").paginate(TableName=bench.app.state.table.name):
        for item in page["Items"]:
            pk, sk = item["PK"]["S"], item["SK"]["S"]
            shape = re.sub(r"#[^#]*$", "#<..>", pk) if "#" in pk else pk
            shape += " / " + (re.sub(r"[0-9A-Za-z_-]{8,}", "<id>", sk) if sk else "")
            groups[re.sub(r"\d{4}-\d{2}(-\d{2})?", "<date>", shape)].append(item_size(item))
    return [
        [shape, str(len(sizes)), str(int(statistics.median(sizes))), str(max(sizes))]
        for shape, sizes in sorted(groups.items())
    ]


def billed_ms(own_ms: float, requests: float, memory: int) -> int:
    """Billed duration under the stated assumption (CPU scaled to the memory's vCPU share)."""
    cpu = own_ms * max(1.0, FULL_VCPU_MB / memory)
    return math.ceil(cpu + RUNTIME_MS + DYNAMODB_MS * requests)


def main() -> None:
    """Measure capacity and warm time per class and print the cost tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20, help="metered calls per request kind")
    parser.add_argument("--calls", type=int, default=300, help="timed calls per request kind")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {os.uname().machine}")
    with bench_app() as bench:
        kinds = measure_capacity(bench, args.samples)
        timing = by_class(bench, measure(bench, args.calls, 3))
        sizes = item_sizes(bench)

    print()
    print(
        table(
            "Item sizes in the table (DynamoDB's rules)",
            ["PK / SK", "items", "median B", "max B"],
            sizes,
        )
    )
    print()
    print(
        table(
            f"Capacity per call, computed per request from real item images "
            f"({args.samples} calls each)",
            ["request", "class", "DynamoDB requests", "RRU", "WRU"],
            [
                [name, k.klass, k.operations, f"{k.rru:.2f}", f"{k.wru:.2f}"]
                for name, k in kinds.items()
            ],
        )
    )

    per_class: dict[str, dict[str, float]] = {}
    for klass in CLASSES:
        members = [k for k in kinds.values() if k.klass == klass]
        own = statistics.median(timing[klass].own)
        requests = statistics.mean(k.requests for k in members)
        row = {
            "rru": statistics.mean(k.rru for k in members),
            "wru": statistics.mean(k.wru for k in members),
            "requests": requests,
            "own": own,
        }
        for memory in MEMORIES:
            ms = billed_ms(own, requests, memory)
            row[f"ms{memory}"] = ms
            row[f"lambda{memory}"] = 1e6 * (
                PRICE_LAMBDA_REQUEST + memory / 1024 * ms / 1000 * PRICE_LAMBDA_GB_S
            )
        row["reads"] = 1e6 * row["rru"] * PRICE_RRU
        row["writes"] = 1e6 * row["wru"] * PRICE_WRU
        row["api"] = 1e6 * PRICE_HTTP_API
        per_class[klass] = row

    def total(row: dict[str, float], memory: int) -> float:
        return row["api"] + row[f"lambda{memory}"] + row["reads"] + row["writes"]

    print()
    print(
        "Prices (us-east-1, on demand): DynamoDB $0.125/M RRU, $0.625/M WRU; HTTP API $1.00/M;\n"
        "Lambda arm64 $0.20/M requests + $0.0000133334/GB-s. Billed ms = warm handler median\n"
        f"(excl. DynamoDB) x {FULL_VCPU_MB}/MB (Lambda's vCPU share; 1 core here = 1 vCPU) "
        f"+ {RUNTIME_MS:g} ms runtime + {DYNAMODB_MS:g} ms per DynamoDB request, rounded up."
    )
    print()
    print(
        table(
            "Per class, $ per million requests of that class",
            [
                "class",
                "mix",
                "RRU",
                "WRU",
                "handler ms",
                "billed ms 1024/512",
                "DynamoDB $",
                "Lambda $ 1024/512",
                "HTTP API $",
                "total $ 1024",
                "total $ 512",
            ],
            [
                [
                    klass,
                    f"{MIX[klass]:.0%}",
                    f"{r['rru']:.2f}",
                    f"{r['wru']:.2f}",
                    f"{r['own']:.2f}",
                    f"{r['ms1024']:.0f} / {r['ms512']:.0f}",
                    f"{r['reads'] + r['writes']:.3f}",
                    f"{r['lambda1024']:.3f} / {r['lambda512']:.3f}",
                    f"{r['api']:.2f}",
                    f"{total(r, 1024):.3f}",
                    f"{total(r, 512):.3f}",
                ]
                for klass, r in per_class.items()
            ],
        )
    )

    def mixed(key: str) -> float:
        return sum(MIX[k] * per_class[k][key] for k in CLASSES)

    parts = [
        ("HTTP API", mixed("api"), mixed("api")),
        ("Lambda (requests + duration)", mixed("lambda1024"), mixed("lambda512")),
        ("DynamoDB reads", mixed("reads"), mixed("reads")),
        ("DynamoDB writes", mixed("writes"), mixed("writes")),
    ]
    totals = (sum(p[1] for p in parts), sum(p[2] for p in parts))
    rows = [[name, f"{a:.3f}", f"{b:.3f}", f"{a / totals[0]:.0%}"] for name, a, b in parts]
    rows.append(["= total", f"{totals[0]:.3f}", f"{totals[1]:.3f}", ""])
    rows.append(
        [f"target (< ${TARGET:.2f})", *("met" if t < TARGET else "NOT met" for t in totals), ""]
    )
    print()
    print(
        table(
            "Mix 80% public reads (40% list, 40% item) / 18% tracks / 2% owner writes, "
            "$ per million requests",
            ["component", "1024 MB", "512 MB", "share at 1024"],
            rows,
        )
    )
    track_writes = MIX["track"] * per_class["track"]["writes"]
    print()
    print(
        f"Target < ${TARGET:.2f} per million mixed requests: "
        f"{'met' if totals[0] < TARGET else 'NOT met'} at 1024 MB (${totals[0]:.2f}), "
        f"{'met' if totals[1] < TARGET else 'NOT met'} at 512 MB (${totals[1]:.2f}). "
        f"HTTP API alone is ${mixed('api'):.2f}; tracking writes are ${track_writes:.2f} "
        f"({track_writes / totals[0]:.0%})."
    )
    print_headroom(per_class, totals)


def print_headroom(per_class: dict[str, dict[str, float]], totals: tuple[float, float]) -> None:
    """What the target leaves once the per-request fees are paid, and three projections."""
    fixed = 1e6 * (PRICE_HTTP_API + PRICE_LAMBDA_REQUEST)
    # Projection, not a measurement: a track that only writes its de-dup marker (one
    # conditional PutItem of ~100 B, 1 WRU, no read; the counters would be summed from a
    # DynamoDB stream by another function, so they lag), all else as measured at 512 MB.
    track = per_class["track"]
    single_write = dict(track, reads=0.0, writes=1e6 * PRICE_WRU, requests=1.0)
    ms = billed_ms(track["own"], 1.0, 512)
    single_write["lambda512"] = 1e6 * (PRICE_LAMBDA_REQUEST + 0.5 * ms / 1000 * PRICE_LAMBDA_GB_S)
    projected = totals[1] + MIX["track"] * (
        (single_write["lambda512"] + single_write["reads"] + single_write["writes"])
        - (track["lambda512"] + track["reads"] + track["writes"])
    )
    # Projection: the same requests on provisioned capacity kept 70% busy by auto scaling
    # (steady traffic only: a burst above the provisioned rate is throttled while it scales).
    read_factor = PRICE_RCU_HOUR / 3600 / PROVISIONED_USE / PRICE_RRU
    write_factor = PRICE_WCU_HOUR / 3600 / PROVISIONED_USE / PRICE_WRU

    def provisioned(total: float, mix: dict[str, dict[str, float]]) -> float:
        return total - sum(
            MIX[name] * ((1 - read_factor) * c["reads"] + (1 - write_factor) * c["writes"])
            for name, c in mix.items()
        )

    rows = [
        ["per-request fees: HTTP API $1.00 + Lambda $0.20", f"{fixed:.3f}", f"{fixed:.3f}"],
        ["left by the target for duration + DynamoDB", *(f"{TARGET - fixed:.3f}",) * 2],
        ["this design's duration + DynamoDB", *(f"{t - fixed:.3f}" for t in totals)],
        ["projection: tracks write only the marker (1 WRU)", "", f"{projected:.3f}"],
        [
            "projection: provisioned capacity at 70% use",
            "",
            f"{provisioned(totals[1], per_class):.3f}",
        ],
        [
            "projection: both",
            "",
            f"{provisioned(projected, {**per_class, 'track': single_write}):.3f}",
        ],
    ]
    print()
    print(
        table(
            "Headroom under the target, $ per million mixed requests",
            ["", "1024 MB", "512 MB"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
