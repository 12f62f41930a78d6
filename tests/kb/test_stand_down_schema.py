"""The ``stand_down`` of a rule (contracts §6): read, compiled, worded, and refused wherever the
contract says a rule may not stand down — each refusal named with its file and place."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from twitchcheck.api import Checker
from twitchcheck.errors import KnowledgeBaseError
from twitchcheck.kb import load_kb_from_path

COFFEE = {
    "id": "coffee",
    "label": "Lots of coffee",
    "question": "Coffee?",
    "category": "lifestyle",
    "leak": {"value": 0.2, "estimate": "test"},
}
PILLS = {**COFFEE, "id": "takes_pills", "label": "Takes pills", "question": "Pills?"}
CHANGED = {**COFFEE, "id": "recent_medication_change", "label": "Changed", "question": "New?"}
STAND_DOWN = {
    "guards": ["rare_thing"],
    "triggers": ["coffee"],
    "below": 0.05,
    "safety_net": "If the twitch is still there two weeks after {change}, see a GP.",
    "changes": {"coffee": "cutting down coffee"},
    "estimate": "estimated: a test threshold",
}
RULE = {
    "id": "cb_sub",
    "kind": "combination",
    "all_of": ["twitch_sub"],
    "level": "routine",
    "text": "A sub-site twitch is worth a GP visit.",
    "estimate": "test",
    "stand_down": STAND_DOWN,
}


def _edit(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _setup(folder: Path, *rules: dict) -> None:
    _edit(folder, "findings.yaml", lambda f: f.extend([COFFEE, PILLS, CHANGED]))
    _edit(folder, "rules.yaml", lambda r: r.extend(rules))

    def roles(structure: dict) -> None:
        structure["roles"] = {"duration_findings": ["short", "long"]}

    _edit(folder, "structure.yaml", roles)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb_from_path(folder)
    return [str(p) for p in info.value.problems]


def test_a_stand_down_is_read_compiled_and_worded(mini_kb_copy: Path) -> None:
    _setup(mini_kb_copy, RULE)
    kb = load_kb_from_path(mini_kb_copy)
    ch = Checker(kb)
    (rule,) = [r for r in ch.model.rules if r.stand_down is not None]
    assert rule.stand_down is not None and rule.stand_down.triggers == ("coffee",)
    without = ch.assess(age=30, sex="unknown", present=["twitch_sub"])
    assert without.triage.level.value == "routine" and without.triage.stood_down == []
    a = ch.assess(age=30, sex="unknown", present=["twitch_sub", "coffee"])
    assert a.triage.level.value == "self_care"
    (down,) = a.triage.stood_down
    assert (down.rule, down.level.value, down.triggers) == ("cb_sub", "routine", ["coffee"])
    assert down.guarded_probability < down.below == 0.05
    assert down.why.startswith("Lots of coffee can explain this") and "Rare thing" not in down.why
    net = "If the twitch is still there two weeks after cutting down coffee, see a GP."
    assert down.safety_net == net
    # At self-care the conditional net replaces the level's own (then the emergency signs).
    assert a.triage.safety_net.startswith(net)
    assert "more than one place" not in a.triage.safety_net


def test_without_its_own_wording_the_template_names_the_trigger(mini_kb_copy: Path) -> None:
    bare = {k: v for k, v in STAND_DOWN.items() if k not in ("safety_net", "changes")}
    _setup(mini_kb_copy, {**RULE, "stand_down": bare})
    a = Checker(load_kb_from_path(mini_kb_copy)).assess(
        age=30, sex="unknown", present=["twitch_sub", "coffee"]
    )
    assert a.triage.stood_down[0].safety_net == (
        "If this is still there two weeks after dealing with lots of coffee, see a GP."
    )


def test_only_soon_and_routine_rules_without_red_flags_or_long_durations_stand_down(
    mini_kb_copy: Path,
) -> None:
    _setup(
        mini_kb_copy,
        {**RULE, "id": "urgent_one", "level": "urgent"},
        {**RULE, "id": "with_flag", "all_of": ["twitch_sub", "weakness"]},
        {**RULE, "id": "long_one", "kind": "time_course", "all_of": ["long"]},
    )

    def stand_down_the_red_flag_rule(rules: list) -> None:
        rules[0]["stand_down"] = STAND_DOWN

    _edit(mini_kb_copy, "rules.yaml", stand_down_the_red_flag_rule)
    problems = _problems(mini_kb_copy)
    assert problems == [
        "rules.yaml: [0] (id=rf_weakness) stand_down: a red-flag rule never stands down",
        "rules.yaml: [0] (id=rf_weakness) stand_down: a rule with red-flag findings never stands "
        "down: weakness",
        "rules.yaml: [2] (id=urgent_one) stand_down: only soon and routine rules may stand down, "
        "not urgent",
        "rules.yaml: [3] (id=with_flag) stand_down: a rule with red-flag findings never stands "
        "down: weakness",
        "rules.yaml: [4] (id=long_one) stand_down: a twitch of 2 weeks or more is a reason to see "
        "a GP whatever the trigger (NHS): long",
    ]


def test_bad_triggers_guards_and_labels_are_refused(mini_kb_copy: Path) -> None:
    bad = {
        **STAND_DOWN,
        "guards": ["rare_thing", "rare_thin"],
        "triggers": ["weakness", "takes_pills", "recent_medication_change", "long", "twitch_sub"],
        "changes": {},
        "estimate": "a guess",
    }
    _setup(mini_kb_copy, {**RULE, "stand_down": bad})
    where = "rules.yaml: [2] (id=cb_sub) stand_down"
    assert _problems(mini_kb_copy) == [
        f"{where}.guards[1]: unknown cause id 'rare_thin' (did you mean rare_thing?)",
        f"{where}.triggers[0]: 'weakness' is a red flag, never a trigger",
        f"{where}.triggers[1]: 'takes_pills' is a prescribed medicine, never a self-limiting "
        "trigger",
        f"{where}.triggers[2]: 'recent_medication_change' is a prescribed medicine, never a "
        "self-limiting trigger",
        f"{where}.triggers[3]: 'long' is a twitch of 2 weeks or more, never a trigger",
        f"{where}.triggers[4]: 'twitch_sub' is one of the rule's own findings",
        f"{where}.estimate: say how 'below' was set: start with 'estimated:' (and the reasoning) "
        "or 'fitted:' (the command and the data)",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"below": 1.0}, "below"),
        ({"guards": []}, "guards"),
        ({"triggers": ["coffee", "coffee"]}, "must not repeat"),
        ({"changes": {"tea": "less tea"}}, "not triggers: ['tea']"),
        ({"safety_net": "After {when}, see a GP."}, "only the placeholder {change}"),
    ],
)
def test_the_schema_checks_the_shape(mini_kb_copy: Path, change: dict, message: str) -> None:
    _setup(mini_kb_copy, {**RULE, "stand_down": {**STAND_DOWN, **change}})
    joined = "\n".join(_problems(mini_kb_copy))
    assert "rules.yaml: [2] (id=cb_sub) stand_down" in joined and message in joined
