"""The demo, loaded once for every test of this package that reads it (per test process): the
tests of each app's part of the demo ask for ``loaded``; what one test changes is rolled back
before the next. The ``*_empty`` modules load it themselves into an empty database."""

import pytest

from tandem.core.tests.shared import built_once
from tandem.demo.load import Loaded, demo_load

loaded_demo = built_once(demo_load, scope="package")


@pytest.fixture
def the_demo(loaded_demo: Loaded, db: None) -> Loaded:
    return loaded_demo
