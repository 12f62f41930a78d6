"""Malformed input to the compiled extensions, called directly (``_kernel``: network, solve,
variants; ``_explain``: items): a buffer of the wrong length, element type, byte order, layout or
alignment, a negative size, a size whose product overflows, a duplicate link, an index out of
range or an argument of the wrong type each raise a Python exception, never a crash.
``scripts/sanitize.sh`` runs this file under AddressSanitizer and UBSan, where a read or write
past a buffer fails the run even when it happens not to crash."""

from __future__ import annotations

import array
import datetime
import os
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import numpy as np
import pytest

try:
    from twitchcheck.engine import _kernel
except ImportError:  # pragma: no cover - only where no C compiler was available
    _kernel = None  # type: ignore[assignment]
try:
    from twitchcheck import _explain
except ImportError:  # pragma: no cover - only where no C compiler was available
    _explain = None  # type: ignore[assignment]


def _needs(module: ModuleType | None) -> None:
    if module is None:
        if os.environ.get("CI") == "true":
            pytest.fail("a compiled extension was not built (setup.py; is a C compiler missing?)")
        pytest.skip("the compiled extensions were not built here")


@pytest.fixture
def kernel() -> ModuleType:
    _needs(_kernel)
    assert _kernel is not None
    return _kernel


@pytest.fixture
def explain() -> ModuleType:
    _needs(_explain)
    assert _explain is not None
    return _explain


def test_every_entry_point_is_covered_here(kernel: ModuleType, explain: ModuleType) -> None:
    """A new function in either extension needs its malformed-input tests in this file."""
    assert sorted(n for n in dir(kernel) if not n.startswith("_")) == [
        "network",
        "solve",
        "variants",
    ]
    assert sorted(n for n in dir(explain) if not n.startswith("_")) == ["items"]


# ---------------------------------------------------------------- malformed buffers, in general


def _unaligned(values: np.ndarray) -> np.ndarray:
    """The same numbers one byte past an aligned address (NumPy allows such arrays)."""
    raw = bytearray(values.nbytes + 1)
    array = np.frombuffer(raw, dtype=values.dtype, count=values.size, offset=1)
    array[...] = values
    assert not array.flags.aligned
    return array


def _malformed(valid: np.ndarray, sized: bool = True) -> Iterator[tuple[str, Any, type]]:
    """Malformed versions of ``valid`` (a float64 or int64 array an entry point reads): a name,
    the value and the exception it must raise. ``sized``: its length is fixed by the other
    arguments."""
    other = np.float32 if valid.dtype == np.float64 else np.int32
    unsigned = np.uint64 if valid.dtype == np.int64 else np.int64
    if sized:
        yield "too-short", valid[:-1].copy(), ValueError
        yield "too-long", np.append(valid, valid[:1]), ValueError
        yield "empty", valid[:0].copy(), ValueError
    # the same number of bytes, read as the wrong element type
    yield "half-width-items", np.zeros(2 * valid.size, dtype=other), TypeError
    yield "other-8-byte-type", valid.astype(unsigned), TypeError
    yield "byte-swapped", valid.astype(valid.dtype.newbyteorder()), TypeError
    yield "raw-bytes", bytearray(valid.nbytes), TypeError
    yield "raw-bytes-plus-one", bytearray(valid.nbytes + 1), TypeError
    yield "strided", np.repeat(valid, 2)[::2], ValueError
    yield "unaligned", _unaligned(valid), ValueError
    yield "a-list", valid.tolist(), TypeError
    yield "none", None, TypeError


def _cases(arrays: dict[str, np.ndarray], unsized: tuple[str, ...] = ()) -> list[Any]:
    """One test case (argument name, malformed value, exception) per argument and malformation."""
    return [
        pytest.param(name, value, error, id=f"{name}-{kind}")
        for name, valid in arrays.items()
        for kind, value, error in _malformed(valid, name not in unsized)
    ]


# ----------------------------------------------------------------------------- _kernel.network

#: 3 causes, 4 findings: finding 0 <- causes 0, 1; finding 1 <- cause 1; finding 2 <- causes
#: 0, 2; finding 3 has no cause (only its leak).
N_CAUSES = 3
PTR = [0, 2, 3, 5, 5]
CAUSE = [0, 1, 1, 0, 2]
Q = [0.5, 0.4, 0.3, 0.6, 0.2]
LEAKS = [0.01, 0.02, 0.03, 0.04]
PRIORS = [0.1, 0.2, 0.3]


def _network_args() -> dict[str, Any]:
    return {
        "n_causes": N_CAUSES,
        "ptr": np.array(PTR, dtype=np.int64),
        "cause": np.array(CAUSE, dtype=np.int64),
        "q": np.array(Q),
        "leaks": np.array(LEAKS),
    }


def _network(kernel: ModuleType, **changes: Any) -> object:
    args = _network_args() | changes
    return kernel.network(*args.values())


def test_a_valid_network_solves(kernel: ModuleType) -> None:
    """The reference for every case below: the same call, well formed, answers."""
    out = np.empty(N_CAUSES)
    answer = kernel.solve(_network(kernel), np.array(PRIORS), np.array([2, 0]), np.array([3]), out)
    assert answer is not None and np.all((out > 0) & (out < 1))


@pytest.mark.parametrize(
    ("name", "value", "error"),
    _cases({k: v for k, v in _network_args().items() if k != "n_causes"}),
)
def test_network_refuses_malformed_buffers(
    kernel: ModuleType, name: str, value: Any, error: type
) -> None:
    with pytest.raises(error):
        _network(kernel, **{name: value})


def test_network_refuses_the_seventeen_byte_buffer(kernel: ModuleType) -> None:
    """The old kernel copied all 17 bytes into room for 2 links: a heap overflow."""
    with pytest.raises(TypeError, match="int64"):
        _network(kernel, cause=bytes(17), q=np.array(Q[:2]), ptr=np.array([0, 1, 2, 2, 2]))


@pytest.mark.parametrize(
    ("n_causes", "error"),
    [
        (-1, ValueError),
        (-(2**40), ValueError),
        (2**31, OverflowError),  # causes are counted in int
        (2**62 + 3, OverflowError),  # 8 x this wraps to 24 bytes: the old kernel overflowed
        (2**63, OverflowError),  # not even a Py_ssize_t
        (3.0, TypeError),
        ("3", TypeError),
        (None, TypeError),
    ],
)
def test_network_refuses_bad_cause_counts(kernel: ModuleType, n_causes: Any, error: type) -> None:
    with pytest.raises(error):
        net = _network(kernel, n_causes=n_causes)
        # (where the old kernel accepted the count, the first solve wrote past its tables)
        kernel.solve(net, np.array(PRIORS), np.array([0]), np.array([1]), np.empty(3))


@pytest.mark.parametrize(
    ("ptr", "cause", "message"),
    [
        pytest.param([1, 2, 3, 5, 5], CAUSE, "cover", id="ptr-not-from-0"),
        pytest.param([0, 2, 3, 5, 4], CAUSE, "cover", id="ptr-not-to-n-links"),
        pytest.param([0, 2, 3, 5, 2**40], CAUSE, "cover", id="ptr-past-the-links"),
        pytest.param([0, 3, 2, 5, 5], CAUSE, "ascending", id="ptr-descending"),
        pytest.param([0, -1, 3, 5, 5], CAUSE, "ascending", id="ptr-negative"),
        pytest.param([0, 2**40, 3, 5, 5], CAUSE, "ascending", id="ptr-huge"),
        pytest.param(PTR, [0, 1, 1, 0, 3], "out of range", id="cause-too-large"),
        pytest.param(PTR, [0, 1, 1, 0, -1], "out of range", id="cause-negative"),
        pytest.param(PTR, [0, 1, 1, 0, 2**62], "out of range", id="cause-huge"),
        pytest.param(PTR, [0, 0, 1, 0, 2], "twice", id="duplicate-link"),
        pytest.param(PTR, [0, 1, 1, 2, 2], "twice", id="duplicate-last-link"),
        # canonical form: causes ascending within a finding
        pytest.param(PTR, [1, 0, 1, 0, 2], "order", id="causes-descending"),
    ],
)
def test_network_refuses_unsound_links(
    kernel: ModuleType, ptr: list[int], cause: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _network(kernel, ptr=np.array(ptr, dtype=np.int64), cause=np.array(cause, dtype=np.int64))


@pytest.mark.parametrize("value", [1.0, -0.1, 1.5, np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", ["q", "leaks"])
def test_network_refuses_probabilities_outside_the_unit_interval(
    kernel: ModuleType, name: str, value: float
) -> None:
    values = _network_args()[name]
    values[1] = value
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        _network(kernel, **{name: values})


def test_network_refuses_a_wrong_number_of_arguments(kernel: ModuleType) -> None:
    args = list(_network_args().values())
    with pytest.raises(TypeError):
        kernel.network(*args[:-1])
    with pytest.raises(TypeError):
        kernel.network(*args, args[-1])


def test_an_empty_network_is_valid(kernel: ModuleType) -> None:
    """No cause, no finding, no link: nothing to read, nothing to refuse. An empty
    array.array exports a NULL pointer, which the kernel must never hand to memcpy."""
    floats, ints = array.array("d"), array.array("q")
    for empty_f, empty_i in ((np.zeros(0), np.zeros(0, np.int64)), (floats, ints)):
        net = kernel.network(0, np.zeros(1, np.int64), empty_i, empty_f, empty_f)
        assert kernel.solve(net, empty_f, empty_i, empty_i, empty_f) == (0.0, 0, 0.0)
        assert kernel.variants(net, empty_f, empty_i, empty_i, empty_f) == 0.0
    net = _network(kernel)
    assert kernel.solve(net, np.array(PRIORS), ints, ints, np.empty(N_CAUSES)) is not None
    assert kernel.variants(net, np.array(PRIORS), ints, ints, floats) == 0.0


# ------------------------------------------------------------- _kernel.solve and .variants

ENTRY_POINTS = ["solve", "variants"]
PRESENT = [2, 0]
ABSENT = [3, 1]  # (two: NumPy calls any one-item array contiguous, strided or not)


def _query_arrays(entry: str) -> dict[str, np.ndarray]:
    rows = len(PRESENT) + len(ABSENT) if entry == "variants" else 1
    return {
        "priors": np.array(PRIORS),
        "present": np.array(PRESENT, dtype=np.int64),
        "absent": np.array(ABSENT, dtype=np.int64),
        "out": np.empty(rows * N_CAUSES),
    }


def _query_args(kernel: ModuleType, entry: str) -> dict[str, Any]:
    return {"network": _network(kernel)} | _query_arrays(entry)


def _call(kernel: ModuleType, entry: str, *extra: Any, **changes: Any) -> object:
    args = _query_args(kernel, entry) | changes
    call: Callable[..., object] = getattr(kernel, entry)
    return call(*args.values(), *extra)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_valid_query_answers(kernel: ModuleType, entry: str) -> None:
    assert _call(kernel, entry) is not None
    # a 2-D out, a memoryview and explicitly little-endian numbers are the same buffers
    rows = len(PRESENT) + len(ABSENT) if entry == "variants" else 1
    assert _call(kernel, entry, out=np.empty((rows, N_CAUSES))) is not None
    assert _call(kernel, entry, priors=memoryview(np.array(PRIORS))) is not None
    assert _call(kernel, entry, priors=np.array(PRIORS, dtype="=f8")) is not None


@pytest.mark.parametrize(
    ("entry", "name", "value", "error"),
    [
        pytest.param(entry, *case.values, id=f"{entry}-{case.id}")
        for entry in ENTRY_POINTS
        for case in _cases(_query_arrays(entry), unsized=("present", "absent"))
    ],
)
def test_queries_refuse_malformed_buffers(
    kernel: ModuleType, entry: str, name: str, value: Any, error: type
) -> None:
    with pytest.raises(error):
        _call(kernel, entry, **{name: value})


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_queries_refuse_an_out_they_may_not_write(kernel: ModuleType, entry: str) -> None:
    out = _query_args(kernel, entry)["out"]
    out.setflags(write=False)
    with pytest.raises(ValueError, match="read-only"):
        _call(kernel, entry, out=out)
    with pytest.raises(ValueError, match="read-only"):
        _call(kernel, entry, out=bytes(out.nbytes))


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_queries_refuse_an_out_that_overlaps_the_priors(kernel: ModuleType, entry: str) -> None:
    """variants() reads the priors again after writing earlier rows."""
    out = _query_args(kernel, entry)["out"]
    out[:N_CAUSES] = PRIORS
    with pytest.raises(ValueError, match="share memory"):
        _call(kernel, entry, priors=out[:N_CAUSES], out=out)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(
    ("present", "absent", "message"),
    [
        ([0, 4], [3], "outside"),  # 4 findings: 0..3
        ([-1, 0], [3], "outside"),
        ([0, 2**62], [3], "outside"),
        ([0, -(2**62)], [3], "outside"),
        ([0, 2], [3, 17], "outside"),
        ([0, 2], [-5], "outside"),
        ([2, 0, 2], [3], "twice"),
        ([0, 2], [3, 3], "twice"),
        ([0, 2], [1, 2], "both"),
    ],
)
def test_queries_refuse_bad_evidence(
    kernel: ModuleType, entry: str, present: list[int], absent: list[int], message: str
) -> None:
    rows = len(present) + len(absent) if entry == "variants" else 1
    with pytest.raises(ValueError, match=message):
        _call(kernel, entry, present=np.array(present, dtype=np.int64),
              absent=np.array(absent, dtype=np.int64), out=np.empty(rows * N_CAUSES))  # fmt: skip


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("value", [-0.1, 1.5, np.nan, np.inf])
def test_queries_refuse_priors_that_are_not_probabilities(
    kernel: ModuleType, entry: str, value: float
) -> None:
    priors = np.array(PRIORS)
    priors[2] = value
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        _call(kernel, entry, priors=priors)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(
    "network",
    [None, 3, "network", datetime.datetime_CAPI],  # type: ignore[attr-defined]
    ids=["none", "int", "str", "foreign-capsule"],
)
def test_queries_refuse_what_is_not_a_kernel_network(
    kernel: ModuleType, entry: str, network: object
) -> None:
    with pytest.raises(TypeError, match="network"):
        _call(kernel, entry, network=network)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ((3,), ValueError),  # no such method
        ((-1,), ValueError),
        ((2**40,), OverflowError),
        (("auto",), TypeError),
        ((0, -1), ValueError),  # a negative table budget
        ((0, -(2**62)), ValueError),
        ((0, 2**70), OverflowError),
        ((0, 1.5), TypeError),
        ((0, 1, 0), TypeError),  # one argument too many
    ],
)
def test_queries_refuse_bad_methods_and_budgets(
    kernel: ModuleType, entry: str, extra: tuple[Any, ...], error: type
) -> None:
    with pytest.raises(error):
        _call(kernel, entry, *extra)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_budget_beyond_the_cap_is_the_cap(kernel: ModuleType, entry: str) -> None:
    out = _query_args(kernel, entry)["out"]
    assert _call(kernel, entry, 0, 2**60, out=out) is not None


def test_variants_need_one_row_per_answer(kernel: ModuleType) -> None:
    for rows in (1, 2, 5):  # 2 present + 2 absent answers: 4 rows
        with pytest.raises(ValueError, match="bytes"):
            _call(kernel, "variants", out=np.empty(rows * N_CAUSES))


# ------------------------------------------------------------------------------ _explain.items

#: 2 answers x 3 causes
DELTA = [[0.5, -0.2, 0.0], [1.5, 0.01, -2.0]]
ENDINGS = tuple(f"ending {k}" for k in range(2 * 203))


def _items_args() -> dict[str, Any]:
    return {
        "delta": np.array(DELTA),
        "n_causes": 3,
        "answers": [("a", "A", "present", False), ("b", "B", "absent", True)],
        "openings": ["oa ", "ob "],
        "endings": ENDINGS,
        "min_effect": 0.05,
        "max_items": 6,
    }


def _items(explain: ModuleType, **changes: Any) -> list[list[dict[str, Any]]]:
    args = _items_args() | changes
    result: list[list[dict[str, Any]]] = explain.items(*args.values())
    return result


def test_valid_items(explain: ModuleType) -> None:
    per_cause = _items(explain)
    assert [[item["finding"] for item in items] for items in per_cause] == [
        ["b", "a"],
        ["a"],
        ["b"],
    ]


@pytest.mark.parametrize(("name", "value", "error"), _cases({"delta": np.array(DELTA).ravel()}))
def test_items_refuse_malformed_delta_buffers(
    explain: ModuleType, name: str, value: Any, error: type
) -> None:
    with pytest.raises(error):
        _items(explain, **{name: value})


def test_items_refuse_float32_of_the_right_byte_size(explain: ModuleType) -> None:
    """One float64 effect expected, two float32 given: the old builder read them as one."""
    with pytest.raises(TypeError, match="float64"):
        _items(explain, delta=np.zeros(2, dtype=np.float32), n_causes=1,
               answers=[("a", "A", "present", False)], openings=["o"])  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"n_causes": -3}, ValueError, id="negative-n-causes"),
        pytest.param({"max_items": -1}, ValueError, id="negative-max-items"),
        # 2 x 2 effects expected, 2 x 3 given
        pytest.param({"n_causes": 2}, ValueError, id="wrong-n-causes"),
        # 2 x 2^62 x 8 bytes wraps to 0 in 64 bits
        pytest.param({"n_causes": 2**62}, OverflowError, id="n-causes-product-overflows"),
        pytest.param(
            {"n_causes": 2**62, "delta": np.zeros(0)},
            OverflowError,
            id="product-overflows-to-zero-bytes",
        ),
        pytest.param(
            {"n_causes": 2**61 + 1, "delta": np.zeros(2)}, OverflowError, id="bytes-overflow-to-16"
        ),
        pytest.param({"n_causes": 2**63}, OverflowError, id="n-causes-not-ssize-t"),
        pytest.param({"n_causes": 3.0}, TypeError, id="n-causes-float"),
        pytest.param({"max_items": None}, TypeError, id="max-items-none"),
        pytest.param({"min_effect": "0.05"}, TypeError, id="min-effect-str"),
        pytest.param(
            {"answers": (("a", "A", "present", False), ("b", "B", "absent", True))},
            TypeError,
            id="answers-a-tuple",
        ),
        pytest.param(
            {"answers": [("a", "A", "present"), ("b", "B", "absent", True)]},
            TypeError,
            id="answer-of-3-fields",
        ),
        pytest.param(
            {"answers": [("a", "A", "present", False, 0), ("b", "B", "absent", True)]},
            TypeError,
            id="answer-of-5-fields",
        ),
        pytest.param(
            {"answers": [(1, "A", "present", False), ("b", "B", "absent", True)]},
            TypeError,
            id="finding-not-str",
        ),
        pytest.param(
            {"answers": [["a", "A", "present", False], ("b", "B", "absent", True)]},
            TypeError,
            id="answer-a-list",
        ),
        # 1 answer, 2 rows of delta
        pytest.param({"answers": [("a", "A", "present", False)]}, ValueError, id="too-few-answers"),
        pytest.param({"openings": ["oa "]}, ValueError, id="too-few-openings"),
        pytest.param({"openings": ["oa ", "ob ", "oc "]}, ValueError, id="too-many-openings"),
        pytest.param({"openings": ["oa ", b"ob "]}, TypeError, id="opening-bytes"),
        pytest.param({"openings": ("oa ", "ob ")}, TypeError, id="openings-a-tuple"),
        pytest.param({"endings": ENDINGS[:-1]}, ValueError, id="endings-too-few"),
        pytest.param({"endings": (*ENDINGS, "one more")}, ValueError, id="endings-too-many"),
        pytest.param({"endings": list(ENDINGS)}, TypeError, id="endings-a-list"),
        pytest.param({"endings": (*ENDINGS[:-1], b"ending")}, TypeError, id="ending-bytes"),
    ],
)
def test_items_refuse_bad_arguments(
    explain: ModuleType, changes: dict[str, Any], error: type
) -> None:
    with pytest.raises(error):
        _items(explain, **changes)


def test_items_refuse_a_wrong_number_of_arguments(explain: ModuleType) -> None:
    args = list(_items_args().values())
    with pytest.raises(TypeError):
        explain.items(*args[:-1])
    with pytest.raises(TypeError):
        explain.items(*args, 1)


def test_items_take_odd_but_valid_numbers(explain: ModuleType) -> None:
    """NaN and infinite effects, no answers, no causes: answers, never a crash."""
    delta = np.array([[np.nan, np.inf], [-np.inf, 1e308]])
    per_cause = _items(explain, delta=delta, n_causes=2)
    assert [len(items) for items in per_cause] == [1, 2]
    assert _items(explain, delta=np.zeros(0), n_causes=0) == []
    assert _items(explain, delta=np.zeros(0), answers=[], openings=[]) == [[], [], []]
    assert _items(explain, delta=array.array("d"), answers=[], openings=[]) == [[], [], []]
    assert _items(explain, max_items=0) == [[], [], []]
    assert _items(explain, min_effect=np.nan) == [[], [], []]
