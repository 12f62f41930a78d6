"""Which open question could still change the level of care: the interview's triage check.

Information gain (engine.interview) measures how much an answer would sharpen the ranking; what a
person acts on is the triage level. A question with little gain can still decide the level: a
"yes" may fire a rule, or an answer may move a cause across its urgency threshold. Before the
interview stops, each open yes/no finding is scored by the probability that its answer changes
the level, computed exactly from the same model the final triage uses:

    P(change) = P(yes) · [level if yes ≠ level now] + P(no) · [level if no ≠ level now]

with ``P(yes)`` and the cause posteriors after each answer from one batched
:func:`~twitchcheck.engine.inference.lookahead`, and each level from :func:`engine.triage.decide`
itself. As in the final triage, the causes' part uses the evidence without red-flag findings. A
"yes" adds what the finding implies (the KB's implications) before the rules are checked.

Red flags are not scored here: the interview's safety condition already asks every red flag that
matters (the safety screen, its follow-ups, those linked to a cause still possible).

Single-choice groups (how long the twitching has gone on) are not scored here: the safety
condition asks them anyway. A "which of these" screen scores as its best item.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from twitchcheck.engine.evidence import close_evidence
from twitchcheck.engine.inference import lookahead
from twitchcheck.engine.model import EngineModel, QuestionUnit
from twitchcheck.engine.numeric import FloatArray
from twitchcheck.engine.triage import decide


def change_probabilities(
    model: EngineModel,
    priors: FloatArray,
    present: Collection[str],
    absent: Collection[str],
    age: int,
    units: Sequence[QuestionUnit],
) -> Mapping[str, float]:
    """For each open unit (not a single-choice group), the probability that answering it
    changes the triage level; ``present``/``absent`` are the closed evidence."""
    index = model.finding_index
    red = model.red_flags
    pres = sorted(index[f] for f in present if f not in red)
    abs_ = sorted(index[f] for f in absent if f not in red)
    known = {*present, *absent}
    groups = model.exclusive_groups
    candidates = sorted(
        {
            i
            for u in units
            if u.type != "group_single"
            for i in u.items
            if i not in red and i not in known
        }
    )
    if not candidates:
        return {}
    look = lookahead(model.network, pres, abs_, [index[f] for f in candidates], priors)
    now = look.current.marginals
    level_now = decide(model.rules, model.causes, present, age, now).level
    per_finding: dict[str, float] = {}
    for row, finding in enumerate(candidates):
        p_yes = float(look.p_present[row])
        # A "yes" that contradicts the evidence cannot happen: closure would have made the
        # finding known, and known findings are not candidates.
        closed = close_evidence([*present, finding], absent, groups, model.implications)
        yes = decide(model.rules, model.causes, closed.present, age, look.if_present[row]).level
        no = decide(model.rules, model.causes, present, age, look.if_absent[row]).level
        per_finding[finding] = p_yes * (yes != level_now) + (1.0 - p_yes) * (no != level_now)
    out: dict[str, float] = {}
    for unit in units:
        scored = [per_finding[f] for f in unit.items if f in per_finding]
        if unit.type != "group_single" and scored:
            out[unit.id] = max(scored)
    return out
