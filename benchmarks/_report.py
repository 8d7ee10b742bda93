"""Turn per-case outcomes into ratios, PASS/MISS verdicts and a markdown table.

Times and peaks are handled as intervals ``(low, high)`` so that a timed-out case still gives
a usable bound: imbalanced-learn killed after ``T`` seconds took *more than* ``T`` seconds,
and the RSS it had reached by then is a *lower* bound on its peak.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._cases import SAMPLERS

INF = math.inf
KIB_PER_MIB = 1024
#: A case is flagged when other jobs (or steal) took more than this % of the CPUs in a run.
DISTURBED_PERCENT = 15.0


@dataclass(frozen=True)
class Interval:
    """A measured value or a bound on it (``low <= value <= high``)."""

    low: float
    high: float

    @classmethod
    def exact(cls, value: float) -> Interval:
        """An exactly measured value."""
        return cls(value, value)

    @classmethod
    def at_least(cls, value: float) -> Interval:
        """A lower bound (from a timed-out case)."""
        return cls(value, INF)

    def __truediv__(self, other: Interval) -> Interval:
        def div(a: float, b: float) -> float:
            if b == 0:
                return INF
            if math.isinf(b):
                return 0.0 if not math.isinf(a) else math.nan
            return a / b

        return Interval(div(self.low, other.high), div(self.high, other.low))


def fmt_seconds(value: float) -> str:
    """Seconds with about three significant digits, never in scientific notation."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def fmt_mib(kib: float) -> str:
    """KiB as MiB, one decimal below 100 MiB."""
    mib = kib / KIB_PER_MIB
    return f"{mib:.0f}" if abs(mib) >= 100 else f"{mib:.1f}"


def fmt_ratio(ratio: Interval | None, digits: int = 2) -> str:
    """``4.12x``, ``>=4.12x`` (lower bound), ``<=0.62x`` (upper bound) or ``?``."""
    if ratio is None or math.isnan(ratio.low) or math.isnan(ratio.high):
        return "?"
    if ratio.low == ratio.high:
        return f"{ratio.low:.{digits}f}x"
    if math.isinf(ratio.high):
        return f">={ratio.low:.{digits}f}x" if ratio.low > 0 else "?"
    if ratio.low == 0:
        return f"<={ratio.high:.{digits}f}x"
    return f"{ratio.low:.{digits}f}-{ratio.high:.{digits}f}x"


def time_interval(outcome: dict[str, Any]) -> Interval | None:
    """Fit time of one outcome as an interval, None when it failed."""
    if outcome["status"] == "ok":
        return Interval.exact(outcome["seconds"])
    if outcome["status"] == "timeout":
        return Interval.at_least(outcome["timeout_seconds"])
    return None


def memory_interval(outcome: dict[str, Any], metric: str) -> Interval | None:
    """Peak memory (``delta`` or ``process``) of one outcome in KiB, None when unknown."""
    key = "peak_delta_kib" if metric == "delta" else "process_peak_kib"
    if outcome["status"] == "ok":
        return Interval.exact(outcome[key])
    if outcome["status"] == "timeout" and outcome.get(key) is not None:
        return Interval.at_least(outcome[key])
    return None


def fmt_time_cell(outcome: dict[str, Any] | None) -> str:
    """Table cell for a fit time."""
    if outcome is None:
        return "—"
    if outcome["status"] == "ok":
        return fmt_seconds(outcome["seconds"])
    if outcome["status"] == "timeout":
        return f"timeout (>{fmt_seconds(outcome['timeout_seconds'])})"
    return outcome["status"]


def fmt_memory_cell(outcome: dict[str, Any] | None, metric: str) -> str:
    """Table cell for a peak (MiB)."""
    interval = None if outcome is None else memory_interval(outcome, metric)
    if interval is None:
        return "—" if outcome is None else "?"
    prefix = ">=" if math.isinf(interval.high) else ""
    return prefix + fmt_mib(interval.low)


def verdict(sampler: str, speed: Interval | None, memory: Interval | None) -> str:
    """PASS, MISS (with what missed) or ``?`` (not decidable from the bounds)."""
    target = SAMPLERS[sampler].target
    missed, unknown = [], []
    if speed is None or math.isnan(speed.low):
        unknown.append("speed")
    elif speed.high < target.min_speedup:
        missed.append("speed")
    elif speed.low < target.min_speedup:
        unknown.append("speed")
    if memory is None or math.isnan(memory.low):
        unknown.append("memory")
    else:
        limit = target.max_memory_ratio
        ok_high = memory.high < limit if target.strict_memory else memory.high <= limit
        bad_low = memory.low >= limit if target.strict_memory else memory.low > limit
        if bad_low:
            missed.append("memory")
        elif not ok_high:
            unknown.append("memory")
    if missed:
        return f"MISS ({', '.join(missed)})"
    if unknown:
        return f"? ({', '.join(unknown)})"
    return "PASS"


def fmt_n(n: int) -> str:
    """1000000 → ``1M``, 100000 → ``100k``."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


HEADER = (
    "case",
    "sampler",
    "imblearn s",
    "smotekit s",
    "speed (imbl/smk)",
    "imblearn peak Δ MiB",
    "smotekit peak Δ MiB",
    "mem Δ (smk/imbl)",
    "imblearn process peak MiB",
    "smotekit process peak MiB",
    "mem process (smk/imbl)",
    "target",
    "result",
)


def build_rows(outcomes: list[dict[str, Any]], memory_metric: str) -> list[dict[str, Any]]:
    """Pair the two libraries' outcomes per (n, d, sampler) and compute ratios and verdicts."""
    keyed: dict[tuple[int, int, str], dict[str, dict[str, Any]]] = {}
    for outcome in outcomes:
        key = (outcome["n"], outcome["d"], outcome["sampler"])
        keyed.setdefault(key, {})[outcome["lib"]] = outcome
    rows = []
    for (n, d, sampler), pair in keyed.items():
        imbl, smk = pair.get("imblearn"), pair.get("smotekit")
        ratios: dict[str, Interval | None] = {"speed": None, "delta": None, "process": None}
        if imbl is not None and smk is not None:
            t_imbl, t_smk = time_interval(imbl), time_interval(smk)
            if t_imbl is not None and t_smk is not None:
                ratios["speed"] = t_imbl / t_smk
            for metric in ("delta", "process"):
                m_imbl, m_smk = memory_interval(imbl, metric), memory_interval(smk, metric)
                if m_imbl is not None and m_smk is not None:
                    ratios[metric] = m_smk / m_imbl
        result = verdict(sampler, ratios["speed"], ratios[memory_metric])
        if imbl is None or smk is None:
            result = "—"
        failed = [lib for lib, outcome in pair.items() if outcome["status"] == "error"]
        if failed:
            result = f"ERROR ({', '.join(failed)})"
        disturbed = any(
            run.get("others_cpu_percent", 0) + run.get("steal_percent", 0) > DISTURBED_PERCENT
            for outcome in pair.values()
            for run in outcome.get("runs", [])
        )
        if disturbed:
            result += " *"
        cells = (
            f"n={fmt_n(n)} d={d}",
            sampler,
            fmt_time_cell(imbl),
            fmt_time_cell(smk),
            fmt_ratio(ratios["speed"]),
            fmt_memory_cell(imbl, "delta"),
            fmt_memory_cell(smk, "delta"),
            fmt_ratio(ratios["delta"], 3),
            fmt_memory_cell(imbl, "process"),
            fmt_memory_cell(smk, "process"),
            fmt_ratio(ratios["process"], 3),
            SAMPLERS[sampler].target.describe(),
            result,
        )
        rows.append(
            {
                "n": n,
                "d": d,
                "sampler": sampler,
                "cells": cells,
                "result": result,
                "disturbed": disturbed,
                "speed_ratio": _interval_json(ratios["speed"]),
                "memory_ratio_delta": _interval_json(ratios["delta"]),
                "memory_ratio_process": _interval_json(ratios["process"]),
            }
        )
    return rows


def _interval_json(interval: Interval | None) -> list[float | None] | None:
    if interval is None:
        return None
    return [None if not math.isfinite(v) else v for v in (interval.low, interval.high)]


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """Render rows as a GitHub-flavoured markdown table with aligned columns."""
    table = [HEADER, *(row["cells"] for row in rows)]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(HEADER))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(HEADER), separator, *(line(row["cells"]) for row in rows)])


def caveat_notes(kernel_bound: list[str], disturbed: bool) -> list[str]:
    """The caveats under a table: kernel-bound runs (first touch) and disturbed cases."""
    notes = []
    if kernel_bound:
        notes.append(
            "Kernel (system) time was over half the wall time for: "
            + "; ".join(kernel_bound)
            + ". That is mostly the first touch of fresh memory, slow and variable on this VM "
            "(see docs/benchmarks.md)."
        )
    if disturbed:
        notes.append(
            f"* other jobs (or the hypervisor's steal) took more than "
            f"{DISTURBED_PERCENT:g}% of the CPUs during a run of this case: its timings"
            " are suspect; rerun it on a quiet machine."
        )
    return notes


def write_results(output_dir: Path, stem: str, latest: str, markdown: str, report: dict) -> None:
    """Write ``<stem>.{md,json}`` and the ``<latest>.*`` copies, and say where."""
    output_dir.mkdir(parents=True, exist_ok=True)
    for name in (stem, latest):
        (output_dir / f"{name}.md").write_text(markdown)
        (output_dir / f"{name}.json").write_text(json.dumps(report, indent=2))
    print(f"Wrote {output_dir / (stem + '.md')} and .json (also {latest}.md / {latest}.json).")
