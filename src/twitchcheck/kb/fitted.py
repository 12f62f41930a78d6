"""Priors fitted to cases: the KB with other prior values, and ``causes.yaml`` rewritten in place.

The fit itself (``twitchcheck.evaluation.fit``) only produces numbers; this module puts them into
a knowledge base, in memory or in its file. The file is edited line by line, not re-dumped, so
that its comments, order and wording stay exactly as written: only each fitted cause's
``value:`` line changes and a ``fitted:`` line (the label, :data:`schema.FITTED_LABEL`) follows
it. See docs/fitting.md.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np

from twitchcheck.errors import KBProblem, KnowledgeBaseError
from twitchcheck.kb.loader import load_kb_from_path
from twitchcheck.kb.model import KnowledgeBase

#: Significant digits of a written fitted prior: the fit is not more precise than that.
DIGITS = 3

_CAUSE = re.compile(r"^- id: *(?P<id>[a-z][a-z0-9_]*) *$")
_PRIOR = re.compile(r"^  prior: *$")
_VALUE = re.compile(r"^    value: *\S+ *$")
_FITTED = re.compile(r"^    fitted: ")


def shipped_causes_file() -> Path:
    """``causes.yaml`` of the shipped KB (the package data), the file ``kb fit --write`` edits."""
    return Path(str(resources.files("twitchcheck.kb") / "data" / "causes.yaml"))


def format_value(p: float) -> str:
    """``p`` to :data:`DIGITS` significant digits without an exponent (YAML 1.1 reads '1e-05'
    as a string)."""
    return str(
        np.format_float_positional(p, precision=DIGITS, unique=False, fractional=False, trim="-")
    )


def exact_value(p: float) -> str:
    """``p`` without an exponent and without losing a digit (the unfitted value in a label)."""
    return str(np.format_float_positional(p, trim="-"))


def fitted_label(old: float, new: str, command: str, data: str, sha256: str, date: str) -> str:
    """The ``fitted`` label of one prior (validated by the schema's pattern)."""
    return f"{exact_value(old)} -> {new} by '{command}' on {data} (sha256 {sha256[:12]}), {date}"


def with_priors(
    kb: KnowledgeBase, values: Mapping[str, float], labels: Mapping[str, str | None] | None = None
) -> KnowledgeBase:
    """``kb`` with the prior values of the named causes replaced (and their ``fitted`` labels, if
    given; ``None`` drops a label). Nothing else changes: links, leaks, rules, the hash."""
    causes = []
    for c in kb.causes:
        if c.id not in values:
            causes.append(c)
            continue
        update: dict[str, object] = {"value": float(values[c.id])}
        if labels is not None:
            update["fitted"] = labels.get(c.id)
        # Validated again: a value that no longer matches its label must fail here too.
        prior = type(c.prior).model_validate({**c.prior.model_dump(), **update})
        causes.append(c.model_copy(update={"prior": prior}))
    unknown = sorted(set(values) - set(kb.cause_index))
    if unknown:
        raise KnowledgeBaseError([KBProblem("causes.yaml", "(fit)", f"unknown causes {unknown}")])
    return dataclasses.replace(kb, causes=tuple(causes))


def unfitted(kb: KnowledgeBase) -> KnowledgeBase:
    """``kb`` with every fitted prior back at the value it was fitted from, unlabelled: the
    starting point and the centre of every fit, so that fitting twice does not compound."""
    old = {c.id: c.prior.fitted_from for c in kb.causes if c.prior.fitted_from is not None}
    return with_priors(kb, {k: v for k, v in old.items() if v is not None}, dict.fromkeys(old))


def rewrite_priors(text: str, changes: Mapping[str, tuple[str, str | None]]) -> str:
    """``causes.yaml`` text with, for each cause id, its prior's ``value:`` line set to the given
    text and its ``fitted:`` line replaced by the label (removed when the label is None).

    Every other line is kept byte for byte. Raises KnowledgeBaseError when a cause or its prior
    value line is not where this simple reader expects it (the file is then left to a person).
    """
    out: list[str] = []
    cause: str | None = None
    in_prior = False
    done: set[str] = set()
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\n")
        if (m := _CAUSE.match(bare)) is not None:
            cause, in_prior = m["id"], False
        elif _PRIOR.match(bare):
            in_prior = True
        elif in_prior and not bare.startswith("    "):
            in_prior = False  # the next key of the cause
        if cause is not None and cause in changes and in_prior:
            value, label = changes[cause]
            if _FITTED.match(bare):
                continue  # the old label: the new one follows the value line
            if _VALUE.match(bare):
                out.append(f"    value: {value}\n")
                if label is not None:
                    out.append(f'    fitted: "{label}"\n')
                done.add(cause)
                continue
        out.append(line)
    missing = sorted(set(changes) - done)
    if missing:
        raise KnowledgeBaseError(
            [KBProblem("causes.yaml", "(fit)", f"no 'prior: value:' line found for {missing}")]
        )
    return "".join(out)


def write_priors(causes_file: Path, changes: Mapping[str, tuple[str, str | None]]) -> None:
    """Rewrite ``causes_file`` (:func:`rewrite_priors`), then load its KB folder; if that fails
    the file is put back as it was and the problems are raised."""
    before = causes_file.read_text(encoding="utf-8")
    causes_file.write_text(rewrite_priors(before, changes), encoding="utf-8")
    try:
        load_kb_from_path(causes_file.parent)
    except KnowledgeBaseError:
        causes_file.write_text(before, encoding="utf-8")
        raise
