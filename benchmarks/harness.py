"""Side-by-side timing of whole commands: awsprof and the reference, interleaved in one run.

Each case runs both commands alternately (so machine noise hits both alike), measures wall time and
the child's peak memory (``ru_maxrss`` from ``wait4``), and reports medians and the ratio
reference / awsprof (above 1 means awsprof is faster or leaner).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Command:
    label: str
    argv: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[], None] | None = None  # run (untimed) before each timed run


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kib: int


@dataclass
class Result:
    case: str
    ours: Command
    reference: Command
    ours_samples: list[Sample] = field(default_factory=list)
    reference_samples: list[Sample] = field(default_factory=list)
    target: str = ""

    @staticmethod
    def _median(samples: list[Sample]) -> tuple[float, int]:
        return (
            statistics.median(s.seconds for s in samples),
            int(statistics.median(s.peak_kib for s in samples)),
        )

    def row(self) -> list[str]:
        ours_s, ours_kib = self._median(self.ours_samples)
        ref_s, ref_kib = self._median(self.reference_samples)
        return [
            self.case,
            f"{ours_s * 1000:.0f} ms",
            f"{ref_s * 1000:.0f} ms",
            f"{ref_s / ours_s:.1f}x",
            f"{ours_kib / 1024:.0f} / {ref_kib / 1024:.0f} MiB",
            self.target,
        ]


def run_once(command: Command) -> Sample:
    if command.before is not None:
        command.before()
    env = {**os.environ, **command.env}
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command.argv), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"{command.label} failed ({process.returncode}): {error[-500:]}")
    if process.stderr:
        process.stderr.close()
    return Sample(elapsed, usage.ru_maxrss)


def compare(
    case: str, ours: Command, reference: Command, runs: int, target: str = "", warmup: int = 1
) -> Result:
    result = Result(case, ours, reference, target=target)
    for _ in range(warmup):
        run_once(ours)
        run_once(reference)
    for _ in range(runs):
        result.ours_samples.append(run_once(ours))
        result.reference_samples.append(run_once(reference))
    return result


HEADERS = ["case", "awsprof", "reference", "ratio", "peak memory (awsprof / ref)", "target"]


def table(results: list[Result]) -> str:
    rows = [HEADERS, *(r.row() for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if number == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
