"""Every engine test runs twice: through the compiled kernel and through NumPy alone."""

from __future__ import annotations

import os

import pytest

from twitchcheck.engine.inference import bridge


@pytest.fixture(params=["compiled", "numpy"])
def engine_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which implementation answers: the kernel (with NumPy where it declines) or NumPy only
    (the bridge without its kernel, as where no C compiler was available)."""
    if request.param == "numpy":
        monkeypatch.setattr(bridge, "kernel", None)
    elif bridge.kernel is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the compiled kernel was not built (setup.py; is a C compiler missing?)")
        pytest.skip("the compiled kernel was not built here")
    return str(request.param)
