from tests.evaluation.conftest import council  # noqa: F401  (the evaluation fixture, for the conflict test)
