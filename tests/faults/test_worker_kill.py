"""A Celery worker killed (SIGKILL) mid-batch: after a restart every certificate is rendered exactly once.

Everything here is the test's own: a PostgreSQL cluster (``initdb`` on a spare port, migrated), a ``redis-server`` on
a spare port as the broker, a private file root, and the worker processes. The machine's shared PostgreSQL and Redis
are never touched. The test process reads the private database with psycopg2 while the worker runs, and checks the
files with ``manage.py shell`` on the private settings.
"""

import os
import time

from apps.core.enums import RenderState

from .conftest import celery_broker, wait_for

COUNT = 40  # certificates of the decision; five per task, so the kill lands inside a batch with work after it

SEED = """
import json
from apps.certificates.services import certificates_create_for_decision
from tests.factories import commune, district, province
from tests.factories.certificates import decision_with_products
p = province("22", name="Tỉnh Quảng Ninh")
x = commune(district(p, "193", name="Thành phố Hạ Long"), "06649", name="Phường Hà Khánh")
decision = decision_with_products(issuing_unit=p, commune=x, count=%(count)d)
certs = certificates_create_for_decision(decision=decision)
print("SEEDED " + json.dumps({"decision": decision.pk, "ids": [c.pk for c in certs]}))
"""

CHECK = """
import json
from apps.certificates.models import Certificate, DecisionDocument
from apps.core.enums import RenderState
from tests.certificates.conftest import assert_each_rendered_once_and_intact, stored_certificate_files
certs = list(Certificate.objects.filter(recognition__decision_id=%(decision)d).select_related("product"))
assert_each_rendered_once_and_intact(certs)
print("CHECKED " + json.dumps({
    "count": len(certs),
    "attempts": sorted(c.render_attempts for c in certs),
    "files": sorted(stored_certificate_files()),
    "serials": sorted(c.serial + ".pdf" for c in certs),
    "document_ready": DecisionDocument.objects.filter(
        decision_id=%(decision)d, render_state=RenderState.READY
    ).exists(),
}))
"""


def test_worker_killed_mid_batch_renders_every_certificate_once_after_restart(private_site):
    site = private_site
    site.env["OCOP_CERTIFICATES_PER_DOCUMENT"] = "5"
    first = site.worker()
    seeded = site.manage("shell", script=SEED % {"count": COUNT}, marker="SEEDED ")
    ids = seeded["ids"]
    assert len(ids) == COUNT

    def mid_batch():
        # Rows still pending too: on a quiet machine a batch renders in a fraction of a second, and a kill seen
        # during the last batch could land after it finished.
        return {RenderState.RENDERING, RenderState.READY, RenderState.PENDING} <= set(site.states(ids))

    assert wait_for(mid_batch, timeout=90, interval=0.02)
    first.kill()
    states = site.states(ids)
    assert RenderState.RENDERING in states  # left behind by the dead worker
    assert states.count(RenderState.READY) < COUNT

    # Redis hands unacknowledged messages out again after the visibility timeout, and rows the dead worker had
    # claimed may be claimed again once stale: both shortened here so that the test takes seconds, not the two
    # minutes the defaults allow (test_default_recovery_is_within_two_minutes below checks those).
    time.sleep(1.5)
    site.worker(OCOP_CELERY_VISIBILITY_TIMEOUT="1", OCOP_RENDER_STALE_SECONDS="1", OCOP_RENDER_LOST_AFTER_SECONDS="1")

    # A message the dead worker had popped but not yet recorded as unacknowledged is gone for good (kombu's Redis
    # transport does the two in separate steps); its rows stay pending until the sweep. Once nothing is in flight,
    # send the sweep through the worker as beat would: it queues only pending rows, so nothing renders twice.
    def settled():
        nothing_in_flight = site.broker.llen("celery") == 0 and site.broker.hlen("unacked") == 0
        return nothing_in_flight and RenderState.RENDERING not in site.states(ids)

    assert wait_for(lambda: settled() and (time.sleep(0.3) or settled()), timeout=90)
    with celery_broker(site.env["CELERY_BROKER_URL"]) as app:
        app.send_task("certificates.requeue_stuck")

    assert wait_for(lambda: site.states(ids).count(RenderState.READY) == COUNT, timeout=90)
    checked = site.manage("shell", script=CHECK % {"decision": seeded["decision"]}, marker="CHECKED ")
    assert checked["count"] == COUNT
    assert checked["attempts"][0] == 1 and checked["attempts"][-1] == 2  # once, or twice if the dead worker had it
    assert checked["files"] == checked["serials"]  # one file per certificate, none twice, none left over
    if not checked["document_ready"]:  # the decision document is rendered after the certificates
        assert wait_for(
            lambda: site.manage("shell", script=CHECK % {"decision": seeded["decision"]}, marker="CHECKED ")[
                "document_ready"
            ],
            timeout=60,
            interval=2,
        )


def test_default_recovery_is_within_two_minutes(settings):
    """With the production defaults, a killed worker's work is taken up again within two minutes: the sweep runs
    every minute (tests/certificates/test_services.py checks the beat row), a claimed row becomes claimable after
    OCOP_RENDER_STALE_SECONDS and a row whose message died with the worker is queued after
    OCOP_RENDER_LOST_AFTER_SECONDS."""
    sweep_every = 60
    for name in ("OCOP_RENDER_STALE_SECONDS", "OCOP_RENDER_LOST_AFTER_SECONDS"):
        assert name not in os.environ, f"{name} is set in this environment: the defaults are not under test"
    assert settings.OCOP_RENDER_STALE_SECONDS + sweep_every <= 120
    assert settings.OCOP_RENDER_LOST_AFTER_SECONDS + sweep_every <= 120
    # A render still running is never taken twice: stale comes after the task's own hard limit.
    assert settings.OCOP_RENDER_STALE_SECONDS > settings.OCOP_RENDER_TIME_LIMIT_SECONDS
