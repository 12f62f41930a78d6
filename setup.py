"""Build of the engine's compiled inner loop (everything else is in pyproject.toml).

The extension is optional: without a C compiler the install still succeeds and the engine
uses its NumPy implementation (same answers, slower on small queries). Never build it with
-ffast-math: the engine's exactness relies on IEEE arithmetic (expm1/log1p, no reassociation).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "twitchcheck.engine._kernel",
            sources=["src/twitchcheck/engine/_kernel.c"],
            extra_compile_args=["-O3", "-Wall", "-Wextra", "-Wno-unused-parameter"],
            optional=True,
        )
    ]
)
