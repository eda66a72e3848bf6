"""``seed_demo``: units, accounts, then each app's demo data, lower apps first (producers before products...)."""

from . import catalog, cycles, evaluation, producers, products, reports, traceability
from .accounts import seed_accounts, seed_units

# The order INSTALLED_APPS had when every app kept its own ``demo.py``: each step reads what the ones before made.
STEPS = (producers, products, cycles, evaluation, catalog, traceability, reports)


def seed_demo(*, full_units=True):
    """Load the whole demo (idempotent) and return the demo accounts."""
    seed_units(full=full_units)
    accounts = seed_accounts()
    for step in STEPS:
        step.seed()
    return accounts
