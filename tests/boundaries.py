"""The import-boundary checker: which layer may import which (docs/architecture.md).

:func:`module_graph` reads every import of a source tree from its syntax (imports inside
functions and ``if TYPE_CHECKING:`` blocks count: a type-only import is still a dependency a reader
must follow); :func:`violations` checks a graph against an allow-list per layer, finds cycles and
imports of another module's private names. ``tests/test_import_boundaries.py`` runs it on ``src``
and on a made-up graph that holds one violation of each kind.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Layer of a module: the first prefix that matches (longest prefixes first).
LAYER_OF_PREFIX: dict[str, str] = {
    "twitchcheck.domain": "domain",
    "twitchcheck.errors": "domain",
    "twitchcheck.kb": "kb",
    "twitchcheck.engine": "engine",
    "twitchcheck.text": "text",
    "twitchcheck.explain": "facade",
    "twitchcheck.results": "facade",
    "twitchcheck.api": "facade",
    "twitchcheck.facade": "facade",
    "twitchcheck._explain": "facade",
    "twitchcheck.storage": "storage",
    "twitchcheck.diary": "diary",
    "twitchcheck.interop": "interop",
    "twitchcheck.evaluation": "evaluation",
    "twitchcheck.interfaces": "interfaces",
    "twitchcheck.__main__": "entry",
    "twitchcheck": "entry",  # the package itself: lazy re-exports of the Python API
}

#: What each layer may import besides itself. Layers only point down.
ALLOWED: dict[str, frozenset[str]] = {
    "domain": frozenset(),
    "kb": frozenset({"domain"}),
    "engine": frozenset({"domain"}),
    # free text (issue 17): reads the KB's lay phrases; spaCy and negspaCy load on first use
    "text": frozenset({"domain", "kb"}),
    "facade": frozenset({"domain", "kb", "engine", "text"}),
    "storage": frozenset({"domain"}),
    "diary": frozenset({"domain", "kb", "facade", "storage"}),
    "interop": frozenset({"domain", "kb", "facade"}),
    "evaluation": frozenset({"domain", "kb", "facade"}),
    # "entry": the package itself, for its version string
    "interfaces": frozenset({"domain", "kb", "facade", "diary", "interop", "evaluation", "entry"}),
    "entry": frozenset({"facade", "interfaces"}),
}


@dataclass(frozen=True)
class Import:
    """One import statement's target as a module, with the names it takes from it."""

    target: str
    names: tuple[str, ...] = ()
    line: int = 0


@dataclass
class Graph:
    """Modules and their imports (only imports of modules inside the graph's package)."""

    imports: dict[str, list[Import]] = field(default_factory=dict)

    def edges(self) -> dict[str, set[str]]:
        return {m: {i.target for i in imps if i.target != m} for m, imps in self.imports.items()}


def layer_of(module: str, prefixes: Mapping[str, str] = LAYER_OF_PREFIX) -> str | None:
    for prefix in sorted(prefixes, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefixes[prefix]
    return None


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def module_graph(src: Path, package: str) -> Graph:
    """Every import of a module of ``package`` under ``src``, read from the source."""
    files = {_module_name(p, src): p for p in sorted((src / package).rglob("*.py"))}
    # Compiled extensions (``_kernel.c``, ``_explain.c``) are modules too: targets, not sources.
    compiled = {_module_name(p, src) for p in (src / package).rglob("*.c")}
    graph = Graph()
    for module, path in files.items():
        found: list[Import] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found += [Import(a.name, (), node.lineno) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(node, module, path.name == "__init__.py")
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in files or sub in compiled:  # `from pkg import module`
                        found.append(Import(sub, (), node.lineno))
                    else:
                        found.append(Import(base, (alias.name,), node.lineno))
        graph.imports[module] = [
            i for i in found if i.target == package or i.target.startswith(package + ".")
        ]
    return graph


def _cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def violations(
    graph: Graph,
    allowed: Mapping[str, frozenset[str]] = ALLOWED,
    prefixes: Mapping[str, str] = LAYER_OF_PREFIX,
) -> list[str]:
    """Every import that breaks the layering, every cycle and every private name taken from
    another module, as readable lines (empty: the graph keeps the shape)."""
    problems: list[str] = []
    for module, imports in sorted(graph.imports.items()):
        mine = layer_of(module, prefixes)
        if mine is None:
            problems.append(f"{module}: belongs to no layer")
            continue
        for imp in imports:
            theirs = layer_of(imp.target, prefixes)
            if theirs is None:
                problems.append(f"{module}:{imp.line} imports {imp.target}, which is in no layer")
            elif theirs != mine and theirs not in allowed[mine]:
                problems.append(
                    f"{module}:{imp.line} ({mine}) imports {imp.target} ({theirs}): not allowed"
                )
            private = [n for n in imp.names if n.startswith("_") and not n.startswith("__")]
            if private and imp.target != module:
                problems.append(f"{module}:{imp.line} imports private {private} from {imp.target}")
    problems += [f"import cycle: {' -> '.join(c)}" for c in _cycles(graph.edges())]
    return problems
