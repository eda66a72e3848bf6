import datetime
from unittest import mock

from django.utils import timezone

from apps.cycles.forms import CycleForm
from apps.geo.models import AdministrativeUnit


def test_cycle_form_proposes_the_year_of_the_portals_calendar_not_the_servers():
    """18:00 UTC on 31 December is already 1 January in Asia/Ho_Chi_Minh: the new cycle defaults to the new year."""
    new_year_in_hanoi = datetime.datetime(2026, 12, 31, 18, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=new_year_in_hanoi):
        assert timezone.localdate() == datetime.date(2027, 1, 1)
        form = CycleForm(units=AdministrativeUnit.objects.none())
    assert form.fields["year"].initial == 2027
