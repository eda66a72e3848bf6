"""The registry fixtures of tests/producers, shared with the product tests."""

from tests.producers.conftest import producer_x, producer_y  # noqa: F401
