"""The classifier on the labelled corpus: `python benchmarks/guard_corpus.py`.

Prints precision and recall per class, the three goals of issue 11 and every line classified
otherwise than labelled, for docs/benchmarks.md. The corpus is tests/guard/corpus/commands.csv;
lines run from tests/guard/corpus/files, where their `file://` payloads are.
"""

from __future__ import annotations

import csv
import os
import platform
import shlex
import sys
from collections import Counter
from pathlib import Path

from awsprof.guard.classify import classify

CORPUS = Path(__file__).parent.parent / "tests" / "guard" / "corpus"
NAMES = {"read-only": "read", "write": "write", "destructive": "destructive"}
CLASSES = ("read", "write", "destructive")


def main() -> int:
    with (CORPUS / "commands.csv").open(newline="") as handle:
        lines = list(csv.DictReader(handle))
    os.chdir(CORPUS / "files")
    pairs = [
        (line["label"], NAMES[classify(shlex.split(line["command"])[1:]).kind.value], line)
        for line in lines
    ]
    matrix = Counter((label, verdict) for label, verdict, _ in pairs)
    services = {shlex.split(line["command"])[1] for line in lines}
    print(
        f"{len(lines)} lines, {len(services)} services; {platform.machine()}, {os.cpu_count()} cpus"
    )
    print("\n| class | lines | precision | recall |\n|---|---|---|---|")
    for name in CLASSES:
        labelled = sum(matrix[(name, other)] for other in CLASSES)
        predicted = sum(matrix[(other, name)] for other in CLASSES)
        hits = matrix[(name, name)]
        precision = hits / predicted if predicted else 1.0
        print(f"| {name} | {labelled} | {precision:.1%} | {hits / labelled:.1%} |")
    print("\n| labelled \\ classified | " + " | ".join(CLASSES) + " |\n|---|---|---|---|")
    for name in CLASSES:
        print(f"| {name} | " + " | ".join(str(matrix[(name, o)]) for o in CLASSES) + " |")
    destructive = sum(matrix[("destructive", o)] for o in CLASSES)
    reads = sum(matrix[("read", o)] for o in CLASSES)
    missed = destructive - matrix[("destructive", "destructive")]
    asking = reads - matrix[("read", "read")]
    share = f"{missed / destructive:.2%}"
    print(f"\ndestructive lines classified below destructive: {missed} ({share}, goal <= 0.5%)")
    print(f"writes classified read-only: {matrix[('write', 'read')]} (goal 0)")
    print(f"read-only lines that ask: {asking} ({asking / reads:.2%}, goal <= 2%)")
    print("\nclassified otherwise than labelled:")
    for label, verdict, line in pairs:
        if label != verdict:
            print(f"  {label} -> {verdict}: {line['command'][:150]}  ({line['note']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
