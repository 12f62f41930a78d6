"""Type stub for the compiled inner loop (``_kernel.c``)."""

from typing import Any

from numpy.typing import NDArray

def network(
    n_causes: int, ptr: NDArray[Any], cause: NDArray[Any], q: NDArray[Any], leaks: NDArray[Any]
) -> object: ...

# Both answer None when the kernel declines (a group past its table budget).
def solve(
    network: object,
    priors: NDArray[Any],
    present: NDArray[Any],
    absent: NDArray[Any],
    out: NDArray[Any],
    method: int = 0,
    budget: int = 8388608,
) -> tuple[float, int, float] | None: ...
def variants(  # row i of out: the marginals with answer i left out; returns the summed work
    network: object,
    priors: NDArray[Any],
    present: NDArray[Any],
    absent: NDArray[Any],
    out: NDArray[Any],
    method: int = 0,
    budget: int = 8388608,
) -> float | None: ...
