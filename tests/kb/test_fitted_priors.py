"""Fitted priors carry their label (docs/fitting.md), and ``causes.yaml`` is edited in place."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from twitchcheck.domain import Sex
from twitchcheck.errors import KnowledgeBaseError
from twitchcheck.kb import load_kb, load_kb_from_path
from twitchcheck.kb.fitted import (
    fitted_label,
    format_value,
    rewrite_priors,
    unfitted,
    with_priors,
    write_priors,
)
from twitchcheck.kb.schema import Prior

LABEL = (
    "0.01 -> 0.0144 by 'twitchcheck kb fit --strength 1' on vignettes/dev.jsonl "
    "(sha256 0123456789ab), 2026-12-06"
)
BASE = {"basis": "a share of spells", "estimate": "our assumption"}


def test_a_fitted_prior_with_its_label_is_accepted_and_says_where_it_came_from() -> None:
    prior = Prior.model_validate({**BASE, "value": 0.0144, "fitted": LABEL})
    assert prior.fitted_from == 0.01
    assert Prior.model_validate({**BASE, "value": 0.01}).fitted_from is None


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"value": 0.02, "fitted": LABEL}, "differs from the fitted label"),  # hand-edited value
        ({"value": 0.0144, "fitted": "fitted to the dev cases"}, "'fitted' must read"),
        ({"value": 0.0144, "fitted": LABEL.replace("(sha256 0123456789ab), ", "")}, "must read"),
        ({"value": 0.0144, "estimate": "fitted: 0.01 -> 0.0144 on dev"}, "no 'fitted' label"),
        ({"value": 0.0144, "basis": "Fitted to the dev split."}, "no 'fitted' label"),
    ],
)
def test_a_fitted_prior_without_its_label_is_rejected(
    update: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Prior.model_validate({**BASE, **update})


def test_values_are_written_without_an_exponent_and_labels_validate() -> None:
    assert format_value(0.0000017834) == "0.00000178"
    assert format_value(0.0655123) == "0.0655"
    label = fitted_label(
        0.0000018, format_value(0.0000017834), "twitchcheck kb fit", "d", "f" * 64, "2026-01-02"
    )
    prior = Prior.model_validate({**BASE, "value": 0.00000178, "fitted": label})
    assert prior.fitted_from == 0.0000018


def _causes_text() -> str:
    return (resources.files("twitchcheck.kb") / "data" / "causes.yaml").read_text(encoding="utf-8")


SAMPLE = """\
# A comment before the causes.
- id: benign_muscle_spasm
  name: Harmless muscle spasm
  prior:
    value: 0.01
    basis: >-
      A share of spells. # not a comment: inside a folded string
    estimate: our assumption
    # a comment inside the prior
  urgency: self_care
  urgency_threshold: 0.5

# ===== serious =====
- id: als
  prior:
    value: 0.000025
    basis: prevalence
  urgency: soon
- id: bells_palsy
  prior:
    value: 0.00003
    basis: incidence
"""


def test_rewrite_changes_only_the_value_lines_and_adds_the_labels() -> None:
    out = rewrite_priors(
        SAMPLE, {"benign_muscle_spasm": ("0.0144", LABEL), "als": ("0.00007", None)}
    )
    before, after = SAMPLE.splitlines(), out.splitlines()
    assert len(after) == len(before) + 1
    removed = [line for line in before if line not in after]
    added = [line for line in after if line not in before]
    assert removed == ["    value: 0.01", "    value: 0.000025"]
    assert added == ["    value: 0.0144", f'    fitted: "{LABEL}"', "    value: 0.00007"]
    assert after[after.index("    value: 0.0144") + 1] == f'    fitted: "{LABEL}"'
    # a second rewrite replaces the label instead of adding another, and None removes it
    again = rewrite_priors(out, {"benign_muscle_spasm": ("0.01", None), "als": ("0.000025", None)})
    assert again == SAMPLE


def test_rewriting_the_shipped_file_with_its_own_values_changes_nothing() -> None:
    text = _causes_text()
    kb = load_kb()
    same = {
        c.id: (
            next(line for line in _prior_lines(text, c.id) if "value:" in line).split()[-1],
            c.prior.fitted,
        )
        for c in kb.causes
    }
    assert rewrite_priors(text, same) == text


def _prior_lines(text: str, cause: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(f"- id: {cause}")
    return [x for x in lines[start:] if x.startswith("    value:")][:1]


def test_rewrite_refuses_an_unknown_cause() -> None:
    with pytest.raises(KnowledgeBaseError, match="no_such_cause"):
        rewrite_priors(_causes_text(), {"no_such_cause": ("0.1", None)})


def test_written_priors_load_show_their_label_and_unfit_back(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(Path(str(resources.files("twitchcheck.kb") / "data")), folder)
    write_priors(folder / "causes.yaml", {"benign_muscle_spasm": ("0.0144", LABEL)})
    kb = load_kb_from_path(folder)
    prior = kb.cause("benign_muscle_spasm").prior
    assert prior.value == 0.0144 and prior.fitted == LABEL
    shipped = load_kb()
    back = unfitted(kb)
    assert [c.prior for c in back.causes] == [c.prior for c in unfitted(shipped).causes]
    assert all(c.prior.fitted is None for c in back.causes)
    # a write that would break the KB is undone
    text = (folder / "causes.yaml").read_text()
    with pytest.raises(KnowledgeBaseError):
        write_priors(folder / "causes.yaml", {"als": ("0.5", LABEL)})  # label says 0.0144
    assert (folder / "causes.yaml").read_text() == text


def test_with_priors_revalidates_the_label() -> None:
    kb = unfitted(load_kb())
    changed = with_priors(kb, {"als": 0.0001})
    assert changed.cause("als").prior.value == 0.0001
    assert changed.priors_for(40, Sex.UNKNOWN)[kb.cause_index["als"]] == pytest.approx(0.0001)
    with pytest.raises(ValidationError):
        with_priors(kb, {"als": 0.0001}, {"als": LABEL})


def test_kb_show_tells_a_fitted_prior_from_a_sourced_one_at_a_glance() -> None:
    from rich.console import Console

    from twitchcheck.interfaces.render import render_entity, render_kb_overview

    kb = with_priors(
        unfitted(load_kb()), {"benign_muscle_spasm": 0.0144}, {"benign_muscle_spasm": LABEL}
    )
    console = Console(record=True, width=250)
    render_kb_overview(console, kb)
    text = console.export_text()
    assert "0.014 (fitted; was 0.01)" in text and "1 priors are fitted to cases" in text
    assert text.count("fitted; was") == 1
    console = Console(record=True, width=400)
    render_entity(console, kb, kb.cause("benign_muscle_spasm"))
    assert "fitted: 0.01 -> 0.0144 by 'twitchcheck kb fit --strength 1'" in console.export_text()
