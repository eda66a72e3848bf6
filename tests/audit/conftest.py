from tests.evaluation.conftest import council  # noqa: F401  (the evaluation fixture, for the conflict test)
from tests.geo.conftest import communes_2025  # noqa: F401, E402  (fixtures of the bulk re-homing, for the task test)
from tests.geo.test_bulk_rehoming import old_commune_producers  # noqa: F401, E402
