"""The classifier against a labelled corpus of command lines it was not written from.

tests/guard/corpus/commands.csv holds more than 1,000 AWS CLI command lines over more than 150
services, written from the services' documentation and from operator runbooks, each labelled by
its effect on the account (read, write, destructive) before the classifier was run on it. The
goals (issue 11): at most 0.5% of destructive lines run without a question at the default level
(classified below destructive), no write classified read-only, at most 2% of read-only lines ask
(classified write or destructive). `benchmarks/guard_corpus.py` prints the same figures for
docs/benchmarks.md.
"""

from __future__ import annotations

import csv
import shlex
from collections import Counter
from functools import cache
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from awsprof.guard import verbs
from awsprof.guard.classify import S3_COMMAND_OPTIONS, classify

CORPUS = Path(__file__).parent / "corpus"
KINDS = {"read-only": "read", "write": "write", "destructive": "destructive"}
CLI_NAMES = {"s3": "s3api", "config": "configservice", "codedeploy": "deploy"}
# Commands the AWS CLI adds to `emr` (awscli/customizations/emr), not in botocore's model.
EMR_COMMANDS = {("emr", "add-steps"), ("emr", "terminate-clusters"), ("emr", "create-cluster")}


def rows() -> list[tuple[str, str, str]]:
    with (CORPUS / "commands.csv").open(newline="") as handle:
        return [(row["label"], row["command"], row["note"]) for row in csv.DictReader(handle)]


@cache
def operations() -> frozenset[tuple[str, str]]:
    session = botocore.session.get_session()
    known = {
        (CLI_NAMES.get(name, name), xform_name(op, "-"))
        for name in session.get_available_services()
        for op in session.get_service_model(name).operation_names
    }
    known |= set(verbs.CUSTOM_COMMANDS) | {("s3", name) for name in S3_COMMAND_OPTIONS}
    known |= EMR_COMMANDS

    return frozenset(known)


def verdicts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """(label, verdict, command) for every line, run where its `file://` payloads are."""
    monkeypatch.chdir(CORPUS / "files")
    return [
        (label, KINDS[classify(shlex.split(command)[1:]).kind.value], command)
        for label, command, _ in rows()
    ]


def test_the_corpus_is_large_and_broad() -> None:
    lines = rows()
    assert len(lines) >= 1000
    assert len({shlex.split(command)[1] for _, command, _ in lines}) >= 150
    assert {label for label, _, _ in lines} == {"read", "write", "destructive"}
    assert len({command for _, command, _ in lines}) == len(lines), "duplicate lines"


def test_every_line_is_a_real_command() -> None:
    unknown = [
        command for _, command, _ in rows() if tuple(shlex.split(command)[1:3]) not in operations()
    ]
    assert unknown == []


def test_the_goals_are_met(monkeypatch: pytest.MonkeyPatch) -> None:
    results = verdicts(monkeypatch)
    by_label = Counter(label for label, _, _ in results)
    missed = [
        command
        for label, verdict, command in results
        if label == "destructive" and verdict != "destructive"
    ]
    writes_as_reads = [
        command for label, verdict, command in results if label == "write" and verdict == "read"
    ]
    reads_asking = [
        command for label, verdict, command in results if label == "read" and verdict != "read"
    ]
    assert len(missed) <= 0.005 * by_label["destructive"], missed
    assert writes_as_reads == []
    assert len(reads_asking) <= 0.02 * by_label["read"], reads_asking
