"""Choosing the next question: exact expected information gain, a safety screen, a stop rule.

Stateless: everything is derived from the engine's model (:class:`EngineModel`, compiled from
the KB by the facade, which also builds the screens and their wording) and the evidence so far,
so the REST API, the CLI and the evaluation's simulated patients share it. See
``docs/interview.md`` for the rules and their thresholds.

* **Question units** (:attr:`EngineModel.units`). Each exclusive group is one single-choice
  screen (``group_single``); the findings of every single-finding red-flag rule at level
  ``emergency`` or ``urgent`` (:func:`twitchcheck.engine.model.safety_findings`) form one "any of these?" screen
  (``group_multiple``); every other finding a person can answer is a yes / no / don't know
  question (``single``). Findings only a clinician can check are never asked.
* **Safety first.** The safety screen comes first. A safety finding that implies a more general
  one is not on the screen: the general one is (the facade builds it so), and the specific one
  is asked right after the screen as a follow-up when the general one is present
  (:func:`safety_follow_ups`: "trouble swallowing?", then "did it come on suddenly?"). Before the
  interview may stop, the red flags
  linked (link ≥ :data:`RELEVANT_LINK`) to any cause whose posterior is at least
  :data:`RELEVANT_CAUSE` must also have been asked, as must the other findings of any
  emergency or urgent combination rule that is half met, and the single-choice groups that
  time-course rules use (how long the twitching has gone on).
* **Information gain.** The objective is the sum over causes of the binary entropy of their
  posterior marginals (causes are not exclusive). The gain of a question is that entropy now
  minus its expectation over the answers, with answer probabilities and posteriors computed
  exactly (:func:`twitchcheck.engine.inference.lookahead`).
* **Stop rule.** Stop when the safety conditions hold and either no question gains
  :data:`MIN_GAIN` bits or more, or the leading cause is settled (posterior ≥
  :data:`SETTLED_TOP` and at least :data:`SETTLED_RATIO` times the runner-up), or the person has
  answered ``max_questions`` screens (default 15; the safety questions still come first).
  Before stopping for the first two reasons, a question whose answer would change the triage
  level with probability at least :data:`TRIAGE_CHANGE` is asked (:mod:`engine.triage_check`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from twitchcheck.domain import DEFAULT_MAX_QUESTIONS, RED_FLAG_LEVELS
from twitchcheck.engine.inference import NoisyOrNetwork, Posterior, lookahead, posteriors
from twitchcheck.engine.model import (
    EngineModel,
    QuestionUnit,
    SparseLinks,
)
from twitchcheck.engine.numeric import FloatArray, binary_entropy, entropy
from twitchcheck.engine.triage_check import change_probabilities

#: A question's expected gain (bits), the cause a "yes" would raise most, and the cause a "no"
#: would raise most.
Gain = tuple[float, str | None, str | None]

SAFETY_SCREEN_ID = "safety_screen"
#: Above this many askable findings (a very large KB), only the PRUNE_TO most promising ones
#: get an exact gain (:func:`prune_candidates`). The shipped KB stays below it, so its choice
#: is exhaustive.
PRUNE_ABOVE = 160
#: How many candidates keep an exact gain when pruning (at QMR-DT scale the same choice as the
#: exhaustive one in 7 of 8 measured queries; BENCHMARKS.md).
PRUNE_TO = 8
#: Causes at or above this posterior make their linked red flags "relevant".
RELEVANT_CAUSE = 0.05
#: A red flag is linked to a cause when its link probability is at least this.
RELEVANT_LINK = 0.10
#: Questions below this expected gain (bits) are not worth asking for the ranking ...
MIN_GAIN = 0.03
#: ... unless their answer changes the level of care with at least this probability
#: (engine.triage_check).
TRIAGE_CHANGE = 0.05
#: The leading cause is settled at this posterior ...
SETTLED_TOP = 0.95
#: ... when it is also this many times more likely than the runner-up.
SETTLED_RATIO = 3.0


@dataclass(frozen=True)
class Decision:
    """The interview's next step: a question (or None) and why."""

    unit: QuestionUnit | None
    should_stop: bool
    reason: str  # why this question, or why the interview stops
    gain: float
    towards_yes: str | None  # the cause a "yes" would raise most
    towards_no: str | None  # the cause a "no" would raise most (or a "yes" lowers most)
    answered: int  # screens answered so far (not counting what was said first)


def safety_follow_ups(
    model: EngineModel, present: Collection[str], known: Collection[str]
) -> list[str]:
    """Safety findings left off the safety screen whose implied (more general) finding is
    present and which are still open, in rule order: asked right after the screen."""
    screen = next((u.items for u in model.units if u.id == SAFETY_SCREEN_ID), ())
    return [
        f
        for f in model.safety_findings
        if f not in screen
        and f not in known
        and any(child == f and parent in present for child, parent in model.implications)
    ]


def is_answered(unit: QuestionUnit, answered: Collection[str]) -> bool:
    if unit.type == "single":
        return unit.items[0] in answered
    if unit.type == "group_single":
        return any(i in answered for i in unit.items)
    return all(i in answered for i in unit.items)


def count_answered(
    units: Sequence[QuestionUnit], reported: Collection[str], initial: Collection[str]
) -> int:
    """Screens the person has answered: units with a reported answer that was not said first.

    ``reported`` holds only what the person answered (any choice), never what closure derived.
    """
    return sum(1 for u in units if any(i in reported and i not in initial for i in u.items))


def relevant_red_flags(
    model: EngineModel, marginals: FloatArray, red_flags: Collection[str]
) -> list[str]:
    """Red flags linked to a cause that is still possible (see module docstring)."""
    out: list[str] = []
    for link in model.links:
        if (
            link.finding in red_flags
            and link.p >= RELEVANT_LINK
            and marginals[link.cause] >= RELEVANT_CAUSE
            and link.finding not in out
            and link.finding in model.askable
        ):
            out.append(link.finding)
    return out


def half_met_rule_findings(model: EngineModel, present: Collection[str], age: int) -> list[str]:
    """Missing findings of emergency/urgent combination rules of which something is present."""
    out: list[str] = []
    for rule in model.rules:
        if rule.level not in RED_FLAG_LEVELS or len(rule.all_of) + len(rule.any_of) < 2:
            continue
        if rule.age_min is not None and age < rule.age_min:
            continue
        if rule.age_max is not None and age >= rule.age_max:
            continue
        involved = (*rule.all_of, *rule.any_of)
        if any(f in present for f in involved):
            for f in involved:
                if f not in present and f not in out and f in model.askable:
                    out.append(f)
    return out


def time_course_group_findings(model: EngineModel) -> list[str]:
    """Members of single-choice groups that time-course rules use (how long it has gone on):
    the level of care depends on them, so they are always asked before stopping."""
    used = {
        f
        for rule in model.rules
        if rule.kind == "time_course"
        for f in (*rule.all_of, *rule.any_of)
    }
    return [
        m for members in model.exclusive_groups.values() if used & set(members) for m in members
    ]


def decide_next(
    model: EngineModel,
    priors: FloatArray,
    present: Collection[str],
    absent: Collection[str],
    answered: Collection[str],
    initial: Collection[str],
    age: int,
    max_questions: int = DEFAULT_MAX_QUESTIONS,
    current: Posterior | None = None,
) -> Decision:
    """The next question, or the decision to stop (see the module docstring for the rules).

    ``current`` may pass in the posterior for this evidence when the caller has it already.

    ``answered`` holds every finding the person answered, "don't know" included; ``present``
    and ``absent`` are the closed evidence.
    """
    index = model.finding_index
    units = model.units
    known = set(answered) | set(present) | set(absent)
    done = count_answered(units, answered, initial)
    open_units = [open_part(model, u, known) for u in units if not is_answered(u, known)]
    by_id = {u.id: u for u in open_units}

    # 1. The safety screen first, then its follow-ups (the onset of what was ticked).
    if SAFETY_SCREEN_ID in by_id:
        return Decision(by_id[SAFETY_SCREEN_ID], False, "safety_screen", 0.0, None, None, done)
    follow_ups = safety_follow_ups(model, present, known)
    if follow_ups:
        unit = model.single_questions[follow_ups[0]]
        return Decision(unit, False, "safety_follow_up", 0.0, None, None, done)

    if current is None:
        current = posteriors(
            model.network,
            sorted(index[f] for f in present),
            sorted(index[f] for f in absent),
            priors,
        )
    must_ask = {
        *relevant_red_flags(model, current.marginals, model.red_flags),
        *half_met_rule_findings(model, present, age),
        *time_course_group_findings(model),
        # those left off the safety screen because another item implies them
        *model.safety_findings,
    }
    must_units = [u for u in open_units if any(i in must_ask for i in u.items)]

    computed = gains(model, priors, present, absent, open_units, PRUNE_ABOVE, PRUNE_TO)
    unit_gains = {u.id: computed.get(u.id, (0.0, None, None)) for u in open_units}
    if done >= max_questions and not must_units:
        return Decision(None, True, "max_questions", 0.0, None, None, done)

    settled = is_settled(current.marginals)
    order = {u.id: n for n, u in enumerate(open_units)}
    best = max(open_units, key=lambda u: (unit_gains[u.id][0], -order[u.id]), default=None)
    worth_it = best is not None and unit_gains[best.id][0] >= MIN_GAIN and not settled
    if worth_it and best is not None and done < max_questions:
        g, yes, no = unit_gains[best.id]
        return Decision(best, False, "information_gain", g, yes, no, done)
    if must_units:
        unit = max(must_units, key=lambda u: (unit_gains[u.id][0], -order[u.id]))
        g, yes, no = unit_gains[unit.id]
        return Decision(unit, False, "red_flag_check", g, yes, no, done)
    if done < max_questions:
        # Little left to learn about the causes, but an answer may still change the level of care.
        change = change_probabilities(model, priors, present, absent, age, open_units)
        deciding = [u for u in open_units if change.get(u.id, 0.0) >= TRIAGE_CHANGE]
        if deciding:
            unit = max(deciding, key=lambda u: (change[u.id], -order[u.id]))
            g, yes, no = unit_gains[unit.id]
            return Decision(unit, False, "triage_check", g, yes, no, done)
    reason = "settled" if settled else "no_useful_question"
    return Decision(None, True, reason, 0.0, None, None, done)


def open_part(model: EngineModel, unit: QuestionUnit, known: Collection[str]) -> QuestionUnit:
    """A "which of these" screen shows only what is still unanswered (one item: a yes/no)."""
    if unit.type != "group_multiple" or unit.id == SAFETY_SCREEN_ID:
        return unit
    rest = tuple(i for i in unit.items if i not in known)
    if len(rest) == 1:
        return model.single_questions[rest[0]]
    return QuestionUnit(unit.id, unit.type, unit.text, rest)


def is_settled(marginals: FloatArray) -> bool:
    """Whether the leading cause is settled (see :data:`SETTLED_TOP`, :data:`SETTLED_RATIO`)."""
    top = np.sort(marginals)[::-1]
    runner_up = float(top[1]) if top.size > 1 else 0.0
    return bool(top[0] >= SETTLED_TOP and top[0] >= SETTLED_RATIO * max(runner_up, 1e-12))


def approximate_gains(
    net: NoisyOrNetwork,
    marginals: FloatArray,
    candidates: npt.ArrayLike,
    links: SparseLinks | None = None,
) -> FloatArray:
    """Each candidate's information gain if the causes were independent with these marginals.

    Then one finding's answer updates each of its causes in closed form (as if the finding were
    the only evidence), so every candidate costs a few operations per link: cheap enough to rank
    thousands of candidates before the exact gains of the best few. ``links`` are ``net``'s
    links as arrays (:attr:`EngineModel.sparse_links`), computed here when not given.
    """
    sparse = links if links is not None else SparseLinks.of(net)
    f, c, q = sparse.findings, sparse.causes, sparse.q
    p = marginals[c]
    log_keep = np.log1p(-p * q)  # log P(this cause does not switch f on)
    n = net.n_findings
    log_off = np.log1p(-net.leaks) + np.bincount(f, weights=log_keep, minlength=n)  # log P(f off)
    p_off = np.exp(log_off)
    p_on = -np.expm1(log_off)
    # After "no": p (1 - q) / (1 - p q).  After "yes": p (1 - P(off | cause on)) / P(on).
    after_no = p * (1.0 - q) / (1.0 - p * q)
    on_if_cause = -np.expm1(log_off[f] - log_keep + np.log1p(-q))  # P(f on | this cause on)
    after_yes = np.clip(p * on_if_cause / np.clip(p_on[f], 1e-300, 1.0), 0.0, 1.0)
    change = (
        binary_entropy(p)
        - p_on[f] * binary_entropy(after_yes)
        - p_off[f] * binary_entropy(after_no)
    )
    result_gains = np.bincount(f, weights=change, minlength=n).astype(np.float64)
    result: FloatArray = result_gains[np.asarray(candidates, dtype=np.intp)]
    return result


def prune_candidates(
    net: NoisyOrNetwork,
    marginals: FloatArray,
    candidates: npt.ArrayLike,
    keep: int,
    links: SparseLinks | None = None,
) -> list[int]:
    """The ``keep`` candidates with the largest :func:`approximate_gains`.

    How often the pruned choice equals the exhaustive one is measured in benchmarks/
    (BENCHMARKS.md).
    """
    cand = np.asarray(candidates, dtype=np.intp)
    score = approximate_gains(net, marginals, cand, links)
    order = np.lexsort((cand, -score))[:keep]
    return [int(cand[i]) for i in order]


def gains(
    model: EngineModel,
    priors: FloatArray,
    present: Collection[str],
    absent: Collection[str],
    units: Sequence[QuestionUnit],
    prune_above: int = 10**9,
    keep: int = PRUNE_TO,
) -> Mapping[str, Gain]:
    """Expected information gain per open unit, with the causes each answer would favour."""
    net = model.network
    index = model.finding_index
    pres = sorted(index[f] for f in present)
    abs_ = sorted(index[f] for f in absent)
    # Every finding asked on its own or on a "which of these" screen gets its exact gain; on a
    # very large KB only the `keep` most promising do (see prune_candidates).
    askable = [i for u in units if u.type != "group_single" for i in u.items]
    cause_ids = model.cause_ids
    if len(askable) > prune_above:
        current = posteriors(net, pres, abs_, priors)
        kept = set(
            prune_candidates(
                net, current.marginals, [index[f] for f in askable], keep, model.sparse_links
            )
        )
        askable = [f for f in askable if index[f] in kept]
        units = [u for u in units if u.type == "group_single" or any(i in askable for i in u.items)]
        units = [
            u
            if u.type == "group_single"
            else QuestionUnit(u.id, u.type, u.text, tuple(i for i in u.items if i in askable))
            for u in units
        ]
    out: dict[str, Gain] = {}
    look = lookahead(net, pres, abs_, [index[f] for f in askable], priors)
    h_now = float(entropy(look.current.marginals))
    per_finding: dict[str, Gain] = {}
    if askable:
        p_yes = look.p_present
        expected = p_yes * entropy(look.if_present) + (1.0 - p_yes) * entropy(look.if_absent)
        shift = look.if_present - look.if_absent
        for row, finding in enumerate(askable):
            per_finding[finding] = (
                max(0.0, h_now - float(expected[row])),
                cause_ids[int(np.argmax(shift[row]))],
                cause_ids[int(np.argmin(shift[row]))],
            )
    for unit in units:
        if unit.type == "single":
            out[unit.id] = per_finding[unit.items[0]]
        elif unit.type == "group_multiple":
            # A screen's answer has 2^n outcomes: its gain is approximated by the sum of its
            # items' exact gains (capped at the entropy left), its direction by its best item.
            best = max(unit.items, key=lambda f: per_finding[f][0])
            total = min(h_now, sum(per_finding[f][0] for f in unit.items))
            out[unit.id] = (total, per_finding[best][1], per_finding[best][2])
    for unit in units:
        if unit.type != "group_single":
            continue
        # Single-choice groups: one exact inference per option (a group has only a few members).
        options = []
        for member in unit.items:
            opt_p = [*pres, index[member]]
            opt_a = [*abs_, *(index[m] for m in unit.items if m != member)]
            post = posteriors(net, sorted(set(opt_p)), sorted(set(opt_a)), priors)
            options.append((post.log_evidence, post.marginals))
        logs = np.array([o[0] for o in options])
        weights = np.exp(logs - logs.max())
        weights /= weights.sum()
        expected_h = float(sum(w * entropy(m) for w, (_, m) in zip(weights, options, strict=True)))
        gain = max(0.0, h_now - expected_h) if len(options) > 1 else 0.0
        top = [cause_ids[int(np.argmax(m - look.current.marginals))] for _, m in options]
        out[unit.id] = (gain, top[0] if top else None, top[-1] if top else None)
    return out
