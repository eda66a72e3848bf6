"""Transient failures: the rows go back to pending and the task retries with backoff; a persistent one ends failed.

The disk is the external boundary here: a storage that times out (a network file system does) stands in for it.
Retries run through Celery's own retry machinery (``Task.apply`` runs them one after the other, without the
countdown), so what is tested is the task's autoretry settings together with the service's claim and release.
"""

import pytest

from apps.certificates import services, tasks
from apps.core.enums import RenderState
from apps.core.rendering import MAX_RENDER_ATTEMPTS
from apps.core.storage import PrivateFileSystemStorage

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_disk(monkeypatch):
    """The storage times out on the next ``failures`` saves, then works again. Returns the call log."""
    real_save = PrivateFileSystemStorage.save
    state = {"failures": 0, "calls": 0}

    def save(self, name, content, max_length=None):
        state["calls"] += 1
        if state["failures"] > 0:
            state["failures"] -= 1
            raise TimeoutError("storage did not answer")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(PrivateFileSystemStorage, "save", save)
    # Each retry is applied with the app's propagation setting: let Celery, not the test, handle the Retry.
    monkeypatch.setattr(tasks.render_certificates_task.app.conf, "task_eager_propagates", False)
    return state


def test_transient_error_puts_rows_back_to_pending_and_raises(issue, flaky_disk):
    _decision, (cert,) = issue(1)
    flaky_disk["failures"] = 1
    with pytest.raises(TimeoutError):
        services.certificates_render(certificate_ids=[cert.pk])
    cert.refresh_from_db()
    assert (cert.render_state, cert.render_attempts, cert.render_claim) == (RenderState.PENDING, 1, None)
    assert cert.render_error == "TimeoutError: storage did not answer"


def test_task_retries_a_transient_error_until_the_certificate_is_ready(issue, flaky_disk):
    _decision, (cert,) = issue(1)
    flaky_disk["failures"] = 2
    tasks.render_certificates_task.apply(kwargs={"certificate_ids": [cert.pk]})
    cert.refresh_from_db()
    assert (cert.render_state, cert.render_attempts, cert.render_error) == (RenderState.READY, 3, "")
    assert flaky_disk["calls"] == 3


def test_task_gives_up_after_the_last_attempt_and_marks_the_row_failed(issue, flaky_disk):
    _decision, (cert,) = issue(1)
    flaky_disk["failures"] = 100
    tasks.render_certificates_task.apply(kwargs={"certificate_ids": [cert.pk]})
    cert.refresh_from_db()
    assert cert.render_state == RenderState.FAILED
    assert cert.render_attempts == MAX_RENDER_ATTEMPTS
    assert cert.render_error == "TimeoutError: storage did not answer"
    # One save per attempt: the run after the last attempt finds nothing to claim and does not touch the disk.
    assert flaky_disk["calls"] == MAX_RENDER_ATTEMPTS
