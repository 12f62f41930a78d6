"""Load a knowledge-base folder: parse, validate, cross-check, and report every problem.

Problems are collected, never raised one at a time: a KB author sees the whole list, each with
its file and location, in one :class:`~twitchcheck.errors.KnowledgeBaseError`.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from twitchcheck.errors import KBProblem, KnowledgeBaseError
from twitchcheck.kb import schema as s
from twitchcheck.kb.crossref import cross_check
from twitchcheck.kb.model import KnowledgeBase

#: PyYAML's C-accelerated safe loader where available (same results), else the Python one.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# file name -> (is a list?, item model). Order is the order problems are reported in.
FILES: dict[str, tuple[bool, type[BaseModel]]] = {
    "meta.yaml": (False, s.Meta),
    "sources.yaml": (True, s.Source),
    "triage_levels.yaml": (True, s.TriageLevelText),
    "causes.yaml": (True, s.Cause),
    "findings.yaml": (True, s.Finding),
    "links.yaml": (True, s.Link),
    "structure.yaml": (False, s.Structure),
    "rules.yaml": (True, s.Rule),
    "anatomy.yaml": (True, s.Muscle),
    "treatments.yaml": (True, s.Treatment),
    "workup.yaml": (True, s.WorkupStep),
    "statements.yaml": (True, s.Statement),
}


def _location(raw: Any, loc: tuple[int | str, ...], is_list: bool) -> str:
    """A readable location: ``[3] (id=als) prior.value`` for list files, ``prior.value`` else."""
    parts = list(loc)
    head = ""
    first = parts[0] if parts else None
    if is_list and isinstance(first, int):
        idx: int = first
        parts.pop(0)
        head = f"[{idx}]"
        if isinstance(raw, list) and idx < len(raw) and isinstance(raw[idx], dict):
            ident = raw[idx].get("id") or (
                f"{raw[idx].get('cause')}->{raw[idx].get('finding')}"
                if "cause" in raw[idx]
                else None
            )
            if ident:
                head += f" (id={ident})"
    tail = ".".join(str(p) for p in parts)
    return " ".join(x for x in (head, tail) if x) or "(top level)"


def _read_yaml(path: Path, problems: list[KBProblem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(KBProblem(path.name, "(file)", "missing file"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(KBProblem(path.name, "(file)", f"cannot read: {exc}"))
        return None
    try:
        # libyaml's parser when PyYAML was built with it: the same safe loading, ~10x faster
        # (the pure-Python parser was 98% of the KB's load time).
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problems.append(
            KBProblem(path.name, where, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        )
        return None


def _validate(name: str, raw: Any, problems: list[KBProblem]) -> Any:
    is_list, model = FILES[name]
    if raw is None:
        raw = [] if is_list else {}
    adapter: TypeAdapter[Any] = TypeAdapter(list[model] if is_list else model)  # type: ignore[valid-type]
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        for err in exc.errors():
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown field (check the spelling)"
            problems.append(KBProblem(name, _location(raw, tuple(err["loc"]), is_list), msg))
        return None


def content_hash(raw_files: dict[str, Any]) -> str:
    """sha256 over the parsed content (key order and formatting do not matter)."""
    canon = json.dumps(
        raw_files, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str
    )
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def build_kb(raw_files: dict[str, Any], problems: list[KBProblem], origin: str) -> KnowledgeBase:
    """Validate parsed file contents; ``problems`` may already hold read errors."""
    parsed = {name: _validate(name, raw_files.get(name), problems) for name in FILES}
    if not problems:
        problems.extend(cross_check(parsed))
    if problems:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase.build(parsed, content_hash(raw_files), origin)


def load_kb_from_path(path: str | Path) -> KnowledgeBase:
    """Load and validate the KB folder at ``path``; raises KnowledgeBaseError listing problems."""
    folder = Path(path)
    if not folder.is_dir():
        raise KnowledgeBaseError([KBProblem(str(folder), "(folder)", "not a folder")])
    problems: list[KBProblem] = []
    raw_files = {name: _read_yaml(folder / name, problems) for name in FILES}
    return build_kb(raw_files, problems, str(folder))


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The shipped KB, loaded once per process from the package data."""
    data = resources.files("twitchcheck.kb") / "data"
    with resources.as_file(data) as folder:
        return load_kb_from_path(folder)
