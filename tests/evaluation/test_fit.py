"""The prior fit (docs/fitting.md): its objective against brute force, its direction on cases
drawn from known priors, its determinism, and the ``kb fit`` command."""

from __future__ import annotations

import itertools
import json
import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from twitchcheck.api import Checker
from twitchcheck.domain import Sex
from twitchcheck.evaluation.fit import (
    FitCase,
    fit_cases_map,
    logit,
    objective,
)
from twitchcheck.evaluation.fit_check import folds
from twitchcheck.evaluation.vignettes import load_vignettes
from twitchcheck.interfaces.cli import main
from twitchcheck.kb import load_kb_from_path
from twitchcheck.kb.fitted import with_priors
from twitchcheck.kb.generate import generate_kb
from twitchcheck.kb.model import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "vignettes" / "dev.jsonl"


def _kb(n_causes: int, n_findings: int, priors: list[float], seed: int = 3) -> KnowledgeBase:
    kb = generate_kb(n_causes, n_findings, seed=seed, n_rules=0)
    return with_priors(kb, {f"c{j}": p for j, p in enumerate(priors)})


def _draw(kb: KnowledgeBase, n: int, seed: int) -> list[FitCase]:
    """Cases from the noisy-OR model itself: causes from the priors (age 40: no age ratio),
    every finding answered, gold = the active causes."""
    rng = np.random.default_rng(seed)
    priors, links, leaks = kb.priors_for(40, Sex.UNKNOWN), kb.link_matrix, kb.leaks
    ids = [f.id for f in kb.findings]
    out = []
    for i in range(n):
        active = rng.random(len(priors)) < priors
        p_absent = (1.0 - leaks) * np.prod(np.where(active[:, None], 1.0 - links, 1.0), axis=0)
        present = rng.random(len(ids)) >= p_absent
        out.append(
            FitCase(
                f"s{i}",
                40,
                Sex.UNKNOWN,
                tuple(f for f, x in zip(ids, present, strict=True) if x),
                tuple(f for f, x in zip(ids, present, strict=True) if not x),
                active.astype(float),
            )
        )
    return out


def _brute_objective(kb: KnowledgeBase, cases: list[FitCase], shift: np.ndarray, s: float) -> float:
    """The objective by enumerating every cause state (independent of the engine)."""
    base = kb.priors_for(40, Sex.UNKNOWN)
    pri = 1.0 / (1.0 + np.exp(-(logit(base) + shift)))
    total = 0.0
    for case in cases:
        pres = [kb.finding_index[f] for f in case.present]
        absn = [kb.finding_index[f] for f in case.absent]
        weights, states = [], []
        for state in itertools.product((0, 1), repeat=len(pri)):
            on = np.array(state, dtype=bool)
            prior = float(np.prod(np.where(on, pri, 1.0 - pri)))
            q = (1.0 - kb.leaks) * np.prod(np.where(on[:, None], 1.0 - kb.link_matrix, 1.0), axis=0)
            weights.append(prior * np.prod(1.0 - q[pres]) * np.prod(q[absn]))
            states.append(on)
        w = np.array(weights) / sum(weights)
        m = (w[:, None] * np.array(states)).sum(axis=0)
        y = case.gold
        total += float(np.sum(y * np.log(m) + (1 - y) * np.log1p(-m)))
    return total - 0.5 * float(shift @ shift) / s**2


def test_objective_and_gradient_match_brute_force_on_three_causes() -> None:
    kb = _kb(3, 6, [0.2, 0.1, 0.3])
    cases = _draw(kb, 12, seed=1)
    checker = Checker(kb)
    shift = np.array([0.4, -0.7, 0.2])
    obj = objective(checker, cases, shift, 1.5)
    assert obj.value == pytest.approx(_brute_objective(kb, cases, shift, 1.5), rel=1e-9)
    h = 1e-5
    numeric = [
        (
            _brute_objective(kb, cases, shift + h * e, 1.5)
            - _brute_objective(kb, cases, shift - h * e, 1.5)
        )
        / (2 * h)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(obj.gradient, numeric, rtol=1e-5, atol=1e-6)
    assert np.allclose(obj.fisher, obj.fisher.T)
    assert np.linalg.eigvalsh(obj.fisher).min() > 0


def test_the_fit_improves_the_objective_and_moves_priors_towards_the_truth() -> None:
    truth = [0.25, 0.08, 0.15, 0.3]
    wrong = [0.06, 0.3, 0.45, 0.08]  # each off by a factor of 3-5 in odds, either way
    true_kb, start_kb = _kb(4, 14, truth), _kb(4, 14, wrong)
    cases = _draw(true_kb, 300, seed=7)
    fit = fit_cases_map(Checker(start_kb), cases, strength=3.0)
    assert fit.end.value > fit.start.value
    before = np.abs(logit(np.array(wrong)) - logit(np.array(truth)))
    after = np.abs(logit(fit.new) - logit(np.array(truth)))
    assert (after < before).all(), (fit.new, truth)
    assert after.mean() < 0.4 * before.mean()
    # at the optimum the gradient vanishes
    assert np.abs(fit.end.gradient).max() < 1e-3


def test_a_strong_prior_keeps_the_fit_near_the_unfitted_values() -> None:
    truth, wrong = [0.25, 0.08, 0.15], [0.06, 0.3, 0.45]
    cases = _draw(_kb(3, 10, truth), 100, seed=2)
    loose = fit_cases_map(Checker(_kb(3, 10, wrong)), cases, strength=3.0)
    tight = fit_cases_map(Checker(_kb(3, 10, wrong)), cases, strength=0.05)
    assert np.abs(tight.shift).max() < 0.1 < np.abs(loose.shift).max()


def test_the_fit_is_deterministic() -> None:
    cases = _draw(_kb(4, 12, [0.2, 0.1, 0.3, 0.05]), 80, seed=5)
    runs = [fit_cases_map(Checker(_kb(4, 12, [0.1, 0.1, 0.1, 0.1])), cases) for _ in range(2)]
    assert np.array_equal(runs[0].new, runs[1].new)
    assert runs[0].iterations == runs[1].iterations
    assert runs[0].end.value == runs[1].end.value


def test_folds_are_dealt_in_id_order_and_cover_every_case_once() -> None:
    vignettes = load_vignettes(DEV)
    parts = folds(vignettes, 5)
    ids = sorted(v.id for v in vignettes)
    assert sorted(v.id for p in parts for v in p) == ids
    assert [v.id for v in parts[0]][:2] == [ids[0], ids[5]]


def test_kb_fit_refuses_a_test_split(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fake = tmp_path / "test.jsonl"
    fake.write_text("")
    code = main(["kb", "fit", "--data", str(fake)])
    assert code != 0 and "test split" in capsys.readouterr().err


def test_kb_fit_write_labels_every_fitted_prior(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(Path(str(resources.files("twitchcheck.kb") / "data")), folder)
    monkeypatch.setattr("twitchcheck.kb.fitted.shipped_causes_file", lambda: folder / "causes.yaml")
    small = tmp_path / "dev_small.jsonl"
    small.write_text("".join(DEV.read_text().splitlines(keepends=True)[:12]))
    code = main(["kb", "fit", "--data", str(small), "--folds", "0", "--write", "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cases"] == 12 and report["written"]
    kb = load_kb_from_path(folder)
    for cause in kb.causes:
        p = report["priors"][cause.id]
        if float(p["new"]) != p["old"]:  # moved by the fit: written, with its label
            assert cause.id in report["written"]
            assert cause.prior.value == float(p["new"]) and cause.prior.fitted_from == p["old"]
            assert f"on {small.as_posix()} (sha256 {report['sha256'][:12]})" in cause.prior.fitted
        else:  # not moved: the unfitted value, unlabelled
            assert cause.prior.fitted is None and cause.prior.value == p["old"]
