"""Cross-file checks of a KB whose files each passed the schema: ids and references."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from twitchcheck.domain import LEVELS, TriageLevel
from twitchcheck.errors import KBProblem, suggest
from twitchcheck.kb import schema as s


def _where(index: int, ident: str | None, field: str) -> str:
    head = f"[{index}]" + (f" (id={ident})" if ident else "")
    return f"{head} {field}".strip()


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    close = suggest(value, known)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"unknown {kind} id '{value}'{hint}"


def cross_check(parsed: dict[str, Any]) -> list[KBProblem]:
    problems: list[KBProblem] = []
    add = problems.append
    meta: s.Meta = parsed["meta.yaml"]
    sources: list[s.Source] = parsed["sources.yaml"]
    levels: list[s.TriageLevelText] = parsed["triage_levels.yaml"]
    causes: list[s.Cause] = parsed["causes.yaml"]
    findings: list[s.Finding] = parsed["findings.yaml"]
    links: list[s.Link] = parsed["links.yaml"]
    structure: s.Structure = parsed["structure.yaml"]
    rules: list[s.Rule] = parsed["rules.yaml"]
    muscles: list[s.Muscle] = parsed["anatomy.yaml"]
    treatments: list[s.Treatment] = parsed["treatments.yaml"]
    workup: list[s.WorkupStep] = parsed["workup.yaml"]
    statements: list[s.Statement] = parsed["statements.yaml"]

    # 1. Duplicate ids within each file.
    for name, items in (
        ("sources.yaml", sources),
        ("triage_levels.yaml", levels),
        ("causes.yaml", causes),
        ("findings.yaml", findings),
        ("rules.yaml", rules),
        ("anatomy.yaml", muscles),
        ("treatments.yaml", treatments),
        ("workup.yaml", workup),
        ("statements.yaml", statements),
    ):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            ident = str(getattr(item, "id", ""))
            if ident in seen:
                add(
                    KBProblem(
                        name, _where(i, ident, "id"), f"duplicate id (first at [{seen[ident]}])"
                    )
                )
            else:
                seen[ident] = i

    source_ids = {x.id for x in sources}
    cause_ids = {x.id for x in causes}
    finding_ids = {x.id for x in findings}
    treatment_ids = {x.id for x in treatments}
    workup_ids = {x.id for x in workup}

    def check_sources(name: str, where: str, refs: Iterable[str]) -> None:
        for j, ref in enumerate(refs):
            if ref not in source_ids:
                add(KBProblem(name, f"{where}sources[{j}]", _unknown("source", ref, source_ids)))

    # 2. Triage levels: each of the five exactly once.
    counts: Counter[str] = Counter(lv.id for lv in levels)
    for lv_id in LEVELS:
        if counts[lv_id] == 0:
            add(KBProblem("triage_levels.yaml", "(list)", f"triage level '{lv_id}' is not defined"))

    # 3. Causes: references, provenance and the reference person.
    for i, c in enumerate(causes):
        check_sources("causes.yaml", _where(i, c.id, "") + " ", c.sources)
        check_sources("causes.yaml", _where(i, c.id, "prior.") + "", c.prior.sources)
        for j, t in enumerate(c.treatments):
            if t not in treatment_ids:
                add(
                    KBProblem(
                        "causes.yaml",
                        _where(i, c.id, f"treatments[{j}]"),
                        _unknown("treatment", t, treatment_ids),
                    )
                )
        for j, w in enumerate(c.workup):
            if w not in workup_ids:
                add(
                    KBProblem(
                        "causes.yaml",
                        _where(i, c.id, f"workup[{j}]"),
                        _unknown("workup", w, workup_ids),
                    )
                )
        for band in c.prior.age_odds_ratios:
            if band.min <= meta.reference_age < band.max and band.value != 1.0:
                add(
                    KBProblem(
                        "causes.yaml",
                        _where(i, c.id, "prior.age_odds_ratios"),
                        f"the band holding the reference age {meta.reference_age} must have odds ratio 1 "
                        f"(the prior is for the reference person), not {band.value}",
                    )
                )

    # 4. Findings.
    for i, f in enumerate(findings):
        check_sources("findings.yaml", _where(i, f.id, "") + " ", f.sources)
        check_sources("findings.yaml", _where(i, f.id, "leak.") + "", f.leak.sources)
        for field in ("sudden_of", "worsening_of"):
            for j, ref in enumerate(getattr(f.text, field)):
                if ref not in finding_ids:
                    where = _where(i, f.id, f"text.{field}[{j}]")
                    add(KBProblem("findings.yaml", where, _unknown("finding", ref, finding_ids)))
        for j, amount in enumerate(f.text.amounts):
            check_sources(
                "findings.yaml", _where(i, f.id, f"text.amounts[{j}].") + "", amount.sources
            )

    # 5. Links.
    pairs: dict[tuple[str, str], int] = {}
    for i, link in enumerate(links):
        ident = f"{link.cause}->{link.finding}"
        if link.cause not in cause_ids:
            add(
                KBProblem(
                    "links.yaml",
                    _where(i, ident, "cause"),
                    _unknown("cause", link.cause, cause_ids),
                )
            )
        if link.finding not in finding_ids:
            add(
                KBProblem(
                    "links.yaml",
                    _where(i, ident, "finding"),
                    _unknown("finding", link.finding, finding_ids),
                )
            )
        key = (link.cause, link.finding)
        if key in pairs:
            add(
                KBProblem(
                    "links.yaml", _where(i, ident, ""), f"duplicate link (first at [{pairs[key]}])"
                )
            )
        else:
            pairs[key] = i
        check_sources("links.yaml", _where(i, ident, "") + " ", link.sources)

    # 6. Structure: groups and implications.
    member_of: dict[str, str] = {}
    for i, g in enumerate(structure.exclusive_groups):
        for j, m in enumerate(g.members):
            where = f"exclusive_groups[{i}] (id={g.id}) members[{j}]"
            if m not in finding_ids:
                add(KBProblem("structure.yaml", where, _unknown("finding", m, finding_ids)))
            elif m in member_of:
                add(
                    KBProblem(
                        "structure.yaml", where, f"'{m}' is already in group '{member_of[m]}'"
                    )
                )
            else:
                member_of[m] = g.id
    screen_of: dict[str, str] = {}
    unit_ids = {g.id for g in structure.exclusive_groups}
    for i, screen in enumerate(structure.screens):
        if screen.id in unit_ids or screen.id in finding_ids:
            add(
                KBProblem(
                    "structure.yaml",
                    f"screens[{i}] (id={screen.id}) id",
                    "id already used by a group or finding",
                )
            )
        unit_ids.add(screen.id)
        for j, m in enumerate(screen.members):
            where = f"screens[{i}] (id={screen.id}) members[{j}]"
            if m not in finding_ids:
                add(KBProblem("structure.yaml", where, _unknown("finding", m, finding_ids)))
            elif m in member_of:
                add(
                    KBProblem(
                        "structure.yaml", where, f"'{m}' is in exclusive group '{member_of[m]}'"
                    )
                )
            elif m in screen_of:
                add(
                    KBProblem(
                        "structure.yaml", where, f"'{m}' is already on screen '{screen_of[m]}'"
                    )
                )
            else:
                screen_of[m] = screen.id
    for i, imp in enumerate(structure.implications):
        for field, ref in (("if", imp.if_), ("then", imp.then)):
            if ref not in finding_ids:
                add(
                    KBProblem(
                        "structure.yaml",
                        f"implications[{i}].{field}",
                        _unknown("finding", ref, finding_ids),
                    )
                )
        if imp.if_ == imp.then:
            add(KBProblem("structure.yaml", f"implications[{i}]", f"'{imp.if_}' implies itself"))
        elif imp.if_ in member_of and member_of.get(imp.then) == member_of[imp.if_]:
            add(
                KBProblem(
                    "structure.yaml",
                    f"implications[{i}]",
                    "implies a sibling in an exclusive group",
                )
            )

    # 6b. Roles: every id the code gives a part to exists (and locations are locations).
    problems.extend(_check_roles(structure.roles, cause_ids, findings))

    # 7. Rules.
    for i, r in enumerate(rules):
        for field, refs in (("all_of", r.all_of), ("any_of", r.any_of)):
            for j, ref in enumerate(refs):
                if ref not in finding_ids:
                    add(
                        KBProblem(
                            "rules.yaml",
                            _where(i, r.id, f"{field}[{j}]"),
                            _unknown("finding", ref, finding_ids),
                        )
                    )
        if r.age_min is not None and r.age_max is not None and r.age_min >= r.age_max:
            add(
                KBProblem("rules.yaml", _where(i, r.id, "age_min"), "age_min must be below age_max")
            )
        check_sources("rules.yaml", _where(i, r.id, "") + " ", r.sources)
        if r.stand_down is not None:
            check_sources("rules.yaml", _where(i, r.id, "stand_down.") + "", r.stand_down.sources)
    problems.extend(_check_stand_downs(rules, findings, cause_ids, structure.roles))

    # 8. Anatomy, treatments, workup, statements.
    for i, muscle in enumerate(muscles):
        for j, ref in enumerate(muscle.findings):
            if ref not in finding_ids:
                add(
                    KBProblem(
                        "anatomy.yaml",
                        _where(i, muscle.id, f"findings[{j}]"),
                        _unknown("finding", ref, finding_ids),
                    )
                )
        check_sources("anatomy.yaml", _where(i, muscle.id, "") + " ", muscle.sources)
    texts: tuple[tuple[str, Sequence[s.Treatment | s.WorkupStep | s.Statement]], ...] = (
        ("treatments.yaml", treatments),
        ("workup.yaml", workup),
        ("statements.yaml", statements),
    )
    for name, entries in texts:
        for i, entry in enumerate(entries):
            check_sources(name, _where(i, entry.id, "") + " ", entry.sources)
    # 9. The findings advice items fit (acts_on, not_when) exist.
    fitted: list[tuple[str, str, s.Treatment | s.WorkupStep | s.SelfCareStep]] = [
        ("treatments.yaml", _where(i, t.id, "") + " ", t) for i, t in enumerate(treatments)
    ]
    fitted += [("workup.yaml", _where(i, w.id, "") + " ", w) for i, w in enumerate(workup)]
    fitted += [
        ("causes.yaml", _where(i, c.id, f"self_care[{j}]."), step)
        for i, c in enumerate(causes)
        for j, step in enumerate(c.self_care)
        if isinstance(step, s.SelfCareStep)
    ]
    for name, where, item in fitted:
        for field in ("acts_on", "not_when"):
            for j, ref in enumerate(getattr(item, field)):
                if ref not in finding_ids:
                    add(
                        KBProblem(
                            name, f"{where}{field}[{j}]", _unknown("finding", ref, finding_ids)
                        )
                    )
    return problems


def _check_roles(
    roles: s.Roles, cause_ids: set[str], findings: Sequence[s.Finding]
) -> list[KBProblem]:
    """``structure.yaml`` ``roles``: each id names a cause or finding of the right kind."""
    out: list[KBProblem] = []
    category = {f.id: f.category for f in findings}
    if roles.als_cause is not None and roles.als_cause not in cause_ids:
        out.append(
            KBProblem(
                "structure.yaml", "roles.als_cause", _unknown("cause", roles.als_cause, cause_ids)
            )
        )
    lists: tuple[tuple[str, tuple[str, ...], bool], ...] = (
        ("als_context_findings", roles.als_context_findings, False),
        ("als_signs", roles.als_signs, False),
        ("body_locations", roles.body_locations, True),
        ("face_spread_locations", roles.face_spread_locations, True),
        ("duration_findings", roles.duration_findings, False),
        ("worsening", (roles.worsening,) if roles.worsening is not None else (), False),
    )
    for name, ids, locations in lists:
        for j, ref in enumerate(ids):
            where = f"roles.{name}" if name == "worsening" else f"roles.{name}[{j}]"
            if ref not in category:
                out.append(KBProblem("structure.yaml", where, _unknown("finding", ref, category)))
            elif locations and category[ref] != "location":
                out.append(
                    KBProblem(
                        "structure.yaml",
                        where,
                        f"'{ref}' is a {category[ref]} finding, not a location",
                    )
                )
            elif ref in ids[:j]:
                out.append(KBProblem("structure.yaml", where, f"'{ref}' is listed twice"))
    return out


#: Findings that mean a prescribed medicine (the vocabulary: ``takes_*`` and a recent change of a
#: prescribed medicine). Contracts §6: a prescribed medicine is never a self-limiting trigger
#: (NHS: see a GP if a prescribed medicine might be causing a twitch; never stop it on your own).
PRESCRIBED_MEDICINE_PREFIX = "takes_"
PRESCRIBED_MEDICINE_FINDINGS = frozenset({"recent_medication_change"})
#: The labels a stand-down's ``estimate`` starts with: how its threshold was set.
THRESHOLD_LABELS = ("estimated:", "fitted:")
STAND_DOWN_LEVELS = frozenset({TriageLevel.SOON.value, TriageLevel.ROUTINE.value})


def is_prescribed_medicine(finding: str) -> bool:
    return finding.startswith(PRESCRIBED_MEDICINE_PREFIX) or finding in PRESCRIBED_MEDICINE_FINDINGS


def _check_stand_downs(
    rules: Sequence[s.Rule], findings: Sequence[s.Finding], cause_ids: set[str], roles: s.Roles
) -> list[KBProblem]:
    """Contracts §6: only ``soon``/``routine`` rules without red-flag findings may stand down,
    never a rule about a twitch of 2 weeks or more, and a trigger is never a red flag, a
    prescribed medicine, a long duration or one of the rule's own findings."""
    out: list[KBProblem] = []
    red = {f.id for f in findings if f.red_flag}
    known = {f.id for f in findings}
    # Every duration after the shortest (under 2 weeks) is "2 weeks or more": NHS, see a GP.
    long_durations = set(roles.duration_findings[1:])
    for i, r in enumerate(rules):
        sd = r.stand_down
        if sd is None:
            continue

        def add(field: str, message: str, i: int = i, r: s.Rule = r) -> None:
            out.append(KBProblem("rules.yaml", _where(i, r.id, f"stand_down{field}"), message))

        own = (*r.all_of, *r.any_of)
        if r.kind == "red_flag":
            add("", "a red-flag rule never stands down")
        if r.level not in STAND_DOWN_LEVELS:
            add("", f"only soon and routine rules may stand down, not {r.level}")
        flagged = [f for f in own if f in red]
        if flagged:
            add("", f"a rule with red-flag findings never stands down: {', '.join(flagged)}")
        durations = [f for f in own if f in long_durations]
        if durations:
            add(
                "",
                "a twitch of 2 weeks or more is a reason to see a GP whatever the trigger (NHS): "
                f"{', '.join(durations)}",
            )
        for j, g in enumerate(sd.guards):
            if g not in cause_ids:
                add(f".guards[{j}]", _unknown("cause", g, cause_ids))
        for j, t in enumerate(sd.triggers):
            where = f".triggers[{j}]"
            if t not in known:
                add(where, _unknown("finding", t, known))
            elif t in red:
                add(where, f"'{t}' is a red flag, never a trigger")
            elif is_prescribed_medicine(t):
                add(where, f"'{t}' is a prescribed medicine, never a self-limiting trigger")
            elif t in long_durations:
                add(where, f"'{t}' is a twitch of 2 weeks or more, never a trigger")
            elif t in own:
                add(where, f"'{t}' is one of the rule's own findings")
        if sd.estimate is not None and not sd.estimate.lstrip().startswith(THRESHOLD_LABELS):
            add(
                ".estimate",
                "say how 'below' was set: start with 'estimated:' (and the reasoning) or "
                "'fitted:' (the command and the data)",
            )
    return out
