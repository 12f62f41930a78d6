"""Type stub for the compiled builder of the explanation items (``_explain.c``)."""

from typing import Any

from numpy.typing import NDArray

def items(
    delta: NDArray[Any],
    n_causes: int,
    answers: list[Any],
    openings: list[str],
    endings: tuple[str, ...],
    min_effect: float,
    max_items: int,
) -> list[list[dict[str, Any]]]: ...
