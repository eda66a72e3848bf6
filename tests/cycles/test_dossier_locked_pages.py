"""The dossier's edit pages (registration form, self-assessment, evidence upload) open only in the states that allow
edits; in any other state a GET says why, in Vietnamese, and goes back to the application instead of offering a form
the service would refuse. A POST in such a state is still refused by the service and changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Dossier, EvidenceFile
from apps.cycles.workflow import DOSSIER_EDITABLE_STATES
from apps.demo.sheets import load_sample_sheets

pytestmark = pytest.mark.django_db

PAGES = ["cycles:dossier_edit", "cycles:evidence_upload", "evaluation:self_assessment_edit"]


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("page", PAGES)
def test_edit_pages_open_only_while_the_dossier_is_editable(client, make_application, users, state, page):
    load_sample_sheets()
    application = make_application(state, returned_from=S.DOSSIER_SUBMITTED if state == S.RETURNED else "")
    client.force_login(users.commune_x)
    response = client.get(reverse(page, args=[application.pk]))
    if state in DOSSIER_EDITABLE_STATES:
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response.url == reverse("cycles:application_detail", args=[application.pk])
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("vi"):
        assert message == f"Không thể sửa hồ sơ khi đang ở trạng thái “{S(state).label}”."


@pytest.mark.parametrize("state", sorted(set(S.values) - set(DOSSIER_EDITABLE_STATES)))
def test_a_post_in_a_locked_state_is_refused_and_changes_nothing(client, make_application, users, state):
    application = make_application(state)
    before = Dossier.objects.filter(application=application).values().get()
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:dossier_edit", args=[application.pk]),
        {"applicant_name": "Nguyễn Văn Mới", "phone": "0912345678"},
    )
    assert response.status_code in (200, 302)
    assert Dossier.objects.filter(application=application).values().get() == before
    assert not EvidenceFile.objects.filter(dossier__application=application).exists()
