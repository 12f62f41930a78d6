"""The golden cases: what the product answers today, stored under ``tests/golden/`` and compared
byte for byte by ``tests/test_golden.py`` (contracts.md §6).

Every case goes through a public face only (the REST API, the command line, ``twitchcheck.assess``),
so code can move underneath without this file changing. Inputs are the dev vignettes and made-up
bodies, never ``vignettes/test.jsonl``; the diary runs on a fresh SQLite file with a fixed clock and
fixed ids.

Regenerating is explicit, never automatic (see docs/testing.md)::

    .venv/bin/python -m tests.golden_cases regenerate            # every group
    .venv/bin/python -m tests.golden_cases regenerate assess kb  # some groups
    .venv/bin/python -m tests.golden_cases check                 # compare, list what differs
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import sys
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
DEV_VIGNETTES = ROOT / "vignettes" / "dev.jsonl"
API = "/api/v1"
#: The fixed clock of the diary cases (freezegun) and the width of the terminal's text.
FIXED_NOW = "2026-06-15T09:30:00"
COLUMNS = "100"

Case = tuple[str, Callable[[], Any]]  # (name, what it answers)


def canonical(value: Any) -> str:
    """Compact canonical JSON: sorted keys, no spaces, UTF-8 text, floats as Python's repr."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def _vignettes() -> list[dict[str, Any]]:
    with DEV_VIGNETTES.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _evidence(v: dict[str, Any]) -> list[dict[str, Any]]:
    initial = set(v["initial"])
    return [
        *({"id": f, "choice": "present", "initial": f in initial} for f in v["present"]),
        *({"id": f, "choice": "absent"} for f in v["absent"]),
    ]


def _answer(response: Any) -> dict[str, Any]:
    """An HTTP answer as data: status, media type, the body (JSON decoded, else text) and the
    headers a client acts on."""
    kind = response.headers.get("content-type", "")
    out: dict[str, Any] = {"status": response.status_code, "content_type": kind}
    if "json" in kind:
        out["body"] = response.json()
    elif "zip" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
            out["files"] = {n: zf.read(n).decode("utf-8") for n in sorted(zf.namelist())}
    elif kind.startswith(("text/", "image/svg")):
        out["body"] = response.text
    else:
        out["bytes"] = len(response.content)
    for name in ("allow", "retry-after", "content-disposition", "location"):
        if name in response.headers:
            out.setdefault("headers", {})[name] = response.headers[name]
    return out


@contextlib.contextmanager
def _client(database_url: str | None = None) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from twitchcheck.interfaces.rest.app import create_app
    from twitchcheck.interfaces.rest.settings import Settings

    # TestClient's Host is "testserver": named here, since regeneration runs outside pytest
    # (whose conftest allows it too).
    settings = Settings(
        rate_limit_per_minute=1_000_000, database_url=database_url, allowed_hosts=["testserver"]
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _simulated(question: dict[str, Any], v: dict[str, Any]) -> list[dict[str, Any]]:
    """How the vignette's patient answers one screen (vignettes.md): present / absent from the
    case, "don't know" for a single question it does not list; a group's unchosen items absent."""
    present, absent = set(v["present"]), set(v["absent"])
    ids = [item["id"] for item in question["items"]]
    if question["type"] == "single":
        f = ids[0]
        choice = "present" if f in present else "absent" if f in absent else "unknown"
        return [{"id": f, "choice": choice}]
    chosen = [i for i in ids if i in present]
    if question["type"] == "group_single":
        if not chosen:
            return [{"id": i, "choice": "unknown"} for i in ids]
        return [{"id": i, "choice": "present" if i == chosen[0] else "absent"} for i in ids]
    return [{"id": i, "choice": "present" if i in chosen else "absent"} for i in ids]


def _interview(client: Any, v: dict[str, Any]) -> dict[str, Any]:
    """The interview over REST from the case's first words: the question ids, then the
    assessment of everything answered."""
    evidence = [{"id": f, "choice": "present", "initial": True} for f in v["initial"]]
    asked: list[str] = []
    for _ in range(80):
        body = {"age": v["age"], "sex": v["sex"], "evidence": evidence}
        step = client.post(f"{API}/interview/next", json=body).json()
        if step["should_stop"] or step["question"] is None:
            break
        asked.append(step["question"]["id"])
        answered = {e["id"] for e in evidence}
        evidence += [e for e in _simulated(step["question"], v) if e["id"] not in answered]
    final = client.post(
        f"{API}/assess", json={"age": v["age"], "sex": v["sex"], "evidence": evidence}
    )
    return {"questions": asked, "progress": step["progress"], "assessment": _answer(final)}


# -- groups -----------------------------------------------------------------------------------
def assess_cases() -> Iterator[Case]:
    """Every dev vignette through POST /api/v1/assess."""
    with _client() as client:
        for v in _vignettes():
            body = {"age": v["age"], "sex": v["sex"], "evidence": _evidence(v)}
            yield v["id"], lambda b=body: _answer(client.post(f"{API}/assess", json=b))


def interview_cases() -> Iterator[Case]:
    """Every dev vignette through the interview (REST), answered from present/absent."""
    with _client() as client:
        for v in _vignettes():
            yield v["id"], lambda v=v: _interview(client, v)


def python_cases() -> Iterator[Case]:
    """The Python API (``twitchcheck.assess``) on a spread of dev vignettes, with concerns."""
    import twitchcheck

    for v in _vignettes()[::9]:
        present = v["present"]
        initial = v["initial"]

        def run(
            v: dict[str, Any] = v, present: list[str] = present, initial: list[str] = initial
        ) -> Any:
            a = twitchcheck.assess(
                age=v["age"],
                sex=v["sex"],
                present=present,
                absent=v["absent"],
                initial=initial,
                concerns=["als"],
            )
            return json.loads(a.model_dump_json())

        yield v["id"], run


def _cli(*argv: str) -> dict[str, Any]:
    """One command line in-process: exit code, standard output and error."""
    from twitchcheck.interfaces.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def cli_cases() -> Iterator[Case]:
    """The command line: assessments as text and JSON, the knowledge base, the evaluation and
    errors with their exit codes."""
    for v in _vignettes()[::6]:
        args = [
            "assess",
            "--age",
            str(v["age"]),
            "--sex",
            v["sex"],
            "--yes",
            ",".join(v["present"]),
        ]
        if v["absent"]:
            args += ["--no", ",".join(v["absent"])]
        yield f"assess_text_{v['id']}", lambda a=args: _cli(*a)
        yield f"assess_json_{v['id']}", lambda a=args: _cli(*a, "--json")
    yield "kb_show_json", lambda: _cli("kb", "show", "--json")
    for entity in ("als", "twitch_nose", "hemifacial_spasm", "nasalis", "no_such_id"):
        yield f"kb_show_{entity}", lambda e=entity: _cli("kb", "show", e)
    yield "kb_sources", lambda: _cli("kb", "sources")
    yield "kb_overview", lambda: _cli("kb", "show")
    yield "kb_validate", lambda: _cli("kb", "validate")
    for mode in ("structured", "interview"):
        yield (
            f"evaluate_{mode}_json",
            lambda m=mode: _cli("evaluate", str(DEV_VIGNETTES), "--mode", m, "--json"),
        )
    yield "evaluate_text", lambda: _cli("evaluate", str(DEV_VIGNETTES))
    errors = {
        "unknown_id": ["assess", "--age", "30", "--yes", "twitch_nos"],
        "contradiction": ["assess", "--age", "30", "--yes", "twitch_nose", "--no", "twitch_nose"],
        "age_out_of_range": ["assess", "--age", "130", "--yes", "twitch_nose"],
        "bad_sex": ["assess", "--age", "30", "--sex", "robot", "--yes", "twitch_nose"],
        "missing_age": ["assess", "--yes", "twitch_nose"],
    }
    for name, argv in errors.items():
        yield f"error_{name}", lambda a=argv: _cli(*a)


REST_ERRORS: dict[str, tuple[str, str, Any]] = {
    "assess_unknown_id": (
        "post",
        "/assess",
        {"age": 30, "sex": "female", "evidence": [{"id": "twitch_nos", "choice": "present"}]},
    ),
    "assess_contradiction": (
        "post",
        "/assess",
        {
            "age": 30,
            "sex": "male",
            "evidence": [
                {"id": "twitch_nose", "choice": "present"},
                {"id": "twitch_nose", "choice": "absent"},
            ],
        },
    ),
    "assess_age_high": ("post", "/assess", {"age": 121, "sex": "female", "evidence": []}),
    "assess_age_negative": ("post", "/assess", {"age": -1, "sex": "female", "evidence": []}),
    "assess_age_float": ("post", "/assess", {"age": 30.5, "sex": "female", "evidence": []}),
    "assess_bad_sex": ("post", "/assess", {"age": 30, "sex": "robot", "evidence": []}),
    "assess_bad_choice": (
        "post",
        "/assess",
        {"age": 30, "sex": "female", "evidence": [{"id": "twitch_nose", "choice": "yes"}]},
    ),
    "assess_extra_field": (
        "post",
        "/assess",
        {"age": 30, "sex": "female", "evidence": [], "name": "Ann"},
    ),
    "assess_missing_age": ("post", "/assess", {"sex": "female", "evidence": []}),
    "assess_not_json": ("post", "/assess", "{not json"),
    "assess_empty_evidence": ("post", "/assess", {"age": 30, "sex": "unknown", "evidence": []}),
    "assess_unknown_concern": (
        "post",
        "/assess",
        {"age": 30, "sex": "female", "evidence": [], "concerns": ["cancer"]},
    ),
    "interview_start": ("post", "/interview/next", {"age": 30, "sex": "female", "evidence": []}),
    "interview_max_questions": (
        "post",
        "/interview/next",
        {
            "age": 30,
            "sex": "female",
            "evidence": [{"id": "twitch_nose", "choice": "present", "initial": True}],
            "max_questions": 1,
        },
    ),
    "interview_bad_max": (
        "post",
        "/interview/next",
        {"age": 30, "sex": "female", "evidence": [], "max_questions": 0},
    ),
    "interview_unknown_id": (
        "post",
        "/interview/next",
        {"age": 30, "sex": "female", "evidence": [{"id": "nope", "choice": "absent"}]},
    ),
    "kb_cause_missing": ("get", "/kb/causes/alss", None),
    "not_found": ("get", "/nowhere", None),
    "wrong_method": ("get", "/assess", None),
}


def rest_cases() -> Iterator[Case]:
    """The service and knowledge-base routes, the page, and error bodies."""
    with _client() as client:
        for path in ("/healthz", "/", "/openapi.json"):
            yield f"get{path.replace('/', '_')}", lambda p=path: _answer(client.get(p))
        for part in (
            "causes",
            "findings",
            "sources",
            "anatomy",
            "causes/als",
            "causes/tic_disorder",
        ):
            yield (
                f"kb_{part.replace('/', '_')}",
                lambda p=part: _answer(client.get(f"{API}/kb/{p}")),
            )
        for name, (method, path, body) in REST_ERRORS.items():

            def call(method: str = method, path: str = path, body: Any = body) -> Any:
                if isinstance(body, str):
                    response = client.request(
                        method,
                        f"{API}{path}",
                        content=body,
                        headers={"content-type": "application/json"},
                    )
                elif body is None:
                    response = client.request(method, f"{API}{path}")
                else:
                    response = client.request(method, f"{API}{path}", json=body)
                return _answer(response)

            yield name, call


@contextlib.contextmanager
def _fixed_ids() -> Iterator[None]:
    """uuid4 as a counter: the same ids on every run (the diary's and the export's)."""
    counter = itertools.count(1)
    real = uuid.uuid4
    uuid.uuid4 = lambda: uuid.UUID(int=next(counter))  # type: ignore[assignment]
    try:
        yield
    finally:
        uuid.uuid4 = real  # type: ignore[assignment]


DIARY_STEPS: list[tuple[str, str, str, Any]] = [
    ("profile_put", "put", "/diary/profile", {"birth_year": 1984, "sex": "female"}),
    ("profile_get", "get", "/diary/profile", None),
    *(
        (
            f"episode_{day:02d}",
            "post",
            "/diary/episodes",
            {
                "occurred_at": f"2026-{5 + day // 28:02d}-{day % 28 + 1:02d}T{7 + day % 12:02d}:15:00",
                "locations": ["twitch_nose"] if day % 3 else ["twitch_nose", "twitch_eyelid"],
                "side": ["left", "right", "both"][day % 3],
                "duration_seconds": 5 + day,
                "intensity": 1 + day % 5,
                "caffeine_cups": day % 6,
                "sleep_hours": 5 + day % 4,
                "stress": day % 10,
                "exercise": day % 2 == 0,
                "alcohol_units": day % 3,
                "medicines": ["Ibuprofen; 400 mg"] if day == 4 else [],
                "medicine_changed": day == 10,
                "note": 'after coffee, "strong"\nsecond line' if day == 1 else None,
            },
        )
        for day in range(1, 41, 3)
    ),
    (
        "episode_bad_location",
        "post",
        "/diary/episodes",
        {"occurred_at": "2026-06-01T08:00:00", "locations": ["twitch_nos"]},
    ),
    (
        "episode_bad_intensity",
        "post",
        "/diary/episodes",
        {"occurred_at": "2026-06-01T08:00:00", "locations": ["twitch_nose"], "intensity": 11},
    ),
    (
        "checkin_1",
        "post",
        "/diary/checkins",
        {
            "on_date": "2026-06-01",
            "answers": {"muscle_weakness": False, "difficulty_swallowing": False},
            "caffeine_cups": 3,
        },
    ),
    (
        "checkin_2",
        "post",
        "/diary/checkins",
        {"on_date": "2026-06-10", "answers": {"muscle_cramps": True}, "sleep_hours": 5},
    ),
    (
        "checkin_bad_answer",
        "post",
        "/diary/checkins",
        {"on_date": "2026-06-10", "answers": {"not_a_finding": True}},
    ),
    (
        "assessment_saved",
        "post",
        "/diary/assessments",
        {
            "age": 41,
            "sex": "female",
            "evidence": [{"id": "twitch_nose", "choice": "present", "initial": True}],
        },
    ),
    ("episodes_list", "get", "/diary/episodes", None),
    ("checkins_list", "get", "/diary/checkins", None),
    ("assessments_list", "get", "/diary/assessments", None),
    ("trends", "get", "/diary/trends", None),
    ("triggers", "get", "/diary/triggers", None),
    ("progression_peek", "get", "/diary/progression", None),
    ("progression_run", "post", "/diary/progression", None),
    ("export_csv", "get", "/diary/export/csv", None),
    ("export_fhir", "get", "/diary/export/fhir", None),
    ("episode_missing", "get", "/diary/episodes/999999", None),
    ("diary_page", "get", "/diary", None),
]


def diary_cases() -> Iterator[Case]:
    """A diary filled over REST on a fresh SQLite file, with a fixed clock and fixed ids, then
    read back, analysed and exported."""
    from freezegun import freeze_time

    with (
        tempfile.TemporaryDirectory(prefix="twitchcheck-golden-") as tmp,
        freeze_time(FIXED_NOW),
        _fixed_ids(),
        _client(f"sqlite:///{Path(tmp) / 'diary.sqlite3'}") as client,
    ):
        for name, method, path, body in DIARY_STEPS:
            where = path if path == "/diary" else f"{API}{path}"

            def call(method: str = method, where: str = where, body: Any = body) -> Any:
                return _answer(client.request(method, where, json=body))

            yield name, call


GROUPS: dict[str, Callable[[], Iterator[Case]]] = {
    "assess": assess_cases,
    "interview": interview_cases,
    "python": python_cases,
    "cli": cli_cases,
    "rest": rest_cases,
    "diary": diary_cases,
}


def answers(group: str) -> Iterator[tuple[Path, str]]:
    """Each case of ``group`` with its golden file and what the product answers now."""
    os.environ["COLUMNS"] = COLUMNS  # rich reads it: the terminal text has one width
    os.environ.pop("TWITCHCHECK_DATABASE_URL", None)
    for name, run in GROUPS[group]():
        yield GOLDEN / group / f"{name}.json", canonical(run())


def regenerate(groups: list[str]) -> None:
    for group in groups:
        folder = GOLDEN / group
        folder.mkdir(parents=True, exist_ok=True)
        written = set()
        for path, text in answers(group):
            path.write_text(text, encoding="utf-8")
            written.add(path)
        for stale in set(folder.glob("*.json")) - written:
            stale.unlink()
        print(f"{group}: {len(written)} files")


def check(groups: list[str]) -> int:
    differ = 0
    for group in groups:
        for path, text in answers(group):
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ += 1
                print(f"differs: {path.relative_to(ROOT)}")
    print(f"{differ} golden files differ")
    return 1 if differ else 0


if __name__ == "__main__":
    command, *names = sys.argv[1:] or ["check"]
    chosen = names or list(GROUPS)
    unknown = set(chosen) - set(GROUPS)
    if command not in ("regenerate", "check") or unknown:
        sys.exit(f"usage: python -m tests.golden_cases regenerate|check [{'|'.join(GROUPS)} ...]")
    sys.exit(regenerate(chosen) or 0 if command == "regenerate" else check(chosen))
