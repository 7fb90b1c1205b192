"""pytest fixtures for the chart tests (helpers live in chart_render.py)."""

from __future__ import annotations

import pytest

from chart_render import VALUE_SETS, Rendered, render


@pytest.fixture(params=sorted(VALUE_SETS), ids=sorted(VALUE_SETS))
def any_rendering(request: pytest.FixtureRequest) -> Rendered:
    """The chart rendered with each named value set in turn."""
    return render(VALUE_SETS[request.param])


@pytest.fixture
def default_rendering() -> Rendered:
    return render(VALUE_SETS["default"])
