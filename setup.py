"""Build of the compiled parts (everything else is in pyproject.toml): the engine's inner loop
and the builder of the explanation items.

Both extensions are optional: without a C compiler the install still succeeds, the engine uses
its NumPy implementation and explain.py builds the items in Python (same answers, slower). Never
build them with -ffast-math: the engine's exactness relies on IEEE arithmetic (expm1/log1p, no
reassociation), and the items on NumPy's rounding.

TWITCHCHECK_C_OPTIMIZE replaces the optimisation flag (-O3): scripts/sanitize.sh builds its
instrumented copy at -O1, as the sanitizers advise (flags given here come after CFLAGS, so
CFLAGS alone could not lower it).
"""

import os

from setuptools import Extension, setup

FLAGS = [
    os.environ.get("TWITCHCHECK_C_OPTIMIZE", "-O3"),
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
]

setup(
    ext_modules=[
        Extension(
            "twitchcheck.engine._kernel",
            sources=["src/twitchcheck/engine/_kernel.c"],
            extra_compile_args=FLAGS,
            optional=True,
        ),
        Extension(
            "twitchcheck._explain",
            sources=["src/twitchcheck/_explain.c"],
            extra_compile_args=FLAGS,
            optional=True,
        ),
    ]
)
