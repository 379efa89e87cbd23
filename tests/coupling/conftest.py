from __future__ import annotations

import pytest

from loket.coupling import engine


@pytest.fixture
def demo(db: None) -> None:
    """The demo municipality's configuration (departments, carriers with key terms)."""
    from loket.demo.services import load_configuration

    engine.clear_cache()
    load_configuration()
    yield
    engine.clear_cache()
