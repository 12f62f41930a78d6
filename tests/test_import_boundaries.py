"""The layers only point down (docs/architecture.md): checked on the source and, so that the
checker itself is known to work, on a made-up graph with one violation of each kind."""

from __future__ import annotations

from pathlib import Path

from tests.boundaries import Graph, Import, layer_of, module_graph, violations

SRC = Path(__file__).resolve().parent.parent / "src"


def test_the_source_keeps_the_layers_without_cycles_or_private_imports() -> None:
    graph = module_graph(SRC, "twitchcheck")
    assert len(graph.imports) > 40  # the whole package was read
    assert violations(graph) == []


def test_every_module_belongs_to_a_layer() -> None:
    graph = module_graph(SRC, "twitchcheck")
    assert [m for m in graph.imports if layer_of(m) is None] == []


def _made_up() -> Graph:
    """A small package in the product's layers, with exactly four faults."""
    return Graph(
        imports={
            "twitchcheck.domain": [],
            "twitchcheck.kb.model": [Import("twitchcheck.domain", ("Sex",), 1)],
            # fault 1: the engine reads the knowledge base (a type-only import counts the same)
            "twitchcheck.engine.triage": [Import("twitchcheck.kb.model", ("KnowledgeBase",), 3)],
            "twitchcheck.api": [Import("twitchcheck.engine.triage", ("decide",), 1)],
            "twitchcheck.storage.models": [],
            # fault 2: an interface writes SQL through the storage layer itself
            "twitchcheck.interfaces.rest.auth": [
                Import("twitchcheck.storage.models", ("User",), 7),
                Import("twitchcheck.api", ("Checker",), 8),
            ],
            # fault 3: a cycle between two route modules; fault 4: a private name taken
            "twitchcheck.interfaces.rest.app": [
                Import("twitchcheck.interfaces.rest.diary", ("router",), 2)
            ],
            "twitchcheck.interfaces.rest.diary": [
                Import("twitchcheck.interfaces.rest.app", ("_folder",), 4)
            ],
        }
    )


def test_the_checker_finds_each_kind_of_violation_in_a_made_up_graph() -> None:
    found = violations(_made_up())
    assert len(found) == 4, found
    assert any(
        "twitchcheck.engine.triage:3 (engine) imports twitchcheck.kb.model" in p for p in found
    )
    assert any("rest.auth:7 (interfaces) imports twitchcheck.storage.models" in p for p in found)
    assert any(
        p.startswith("import cycle:") and "rest.app" in p and "rest.diary" in p for p in found
    )
    assert any("private ['_folder']" in p for p in found)


def test_the_made_up_graph_passes_once_its_faults_are_mended() -> None:
    graph = _made_up()
    graph.imports["twitchcheck.engine.triage"] = [Import("twitchcheck.domain", ("TriageLevel",), 3)]
    graph.imports["twitchcheck.interfaces.rest.auth"] = [Import("twitchcheck.api", ("Checker",), 8)]
    graph.imports["twitchcheck.interfaces.rest.diary"] = [
        Import("twitchcheck.api", ("Checker",), 4)
    ]
    assert violations(graph) == []


def test_the_reader_counts_imports_in_functions_and_type_checking_blocks(tmp_path: Path) -> None:
    pkg = tmp_path / "twitchcheck"
    (pkg / "engine").mkdir(parents=True)
    (pkg / "kb").mkdir()
    for init in (pkg / "__init__.py", pkg / "engine" / "__init__.py", pkg / "kb" / "__init__.py"):
        init.write_text("")
    (pkg / "kb" / "model.py").write_text("X = 1\n")
    (pkg / "engine" / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from twitchcheck.kb.model import X\n"
        "def f() -> None:\n    from ..kb import model\n"
    )
    graph = module_graph(tmp_path, "twitchcheck")
    targets = [i.target for i in graph.imports["twitchcheck.engine.a"]]
    assert targets == ["twitchcheck.kb.model", "twitchcheck.kb.model"]
    assert len([p for p in violations(graph) if "engine.a" in p]) == 2
