"""Inspections (evaluation.services.inspections): R20, a county office in its own jurisdiction."""
import datetime

import pytest
from django.utils import timezone

from evaluation import services
from qujing_disclosure.core.errors import NotPermitted

pytestmark = pytest.mark.django_db


def test_r20_county_records_inspection_only_in_own_jurisdiction(county_user, org, other_org):
    services.inspection_record(actor=county_user, organization_id=org.pk, kind="daily", inspected_on=timezone.localdate(),
                               findings="公开栏未按月更新", rating="fair", rectification_due=timezone.localdate() + datetime.timedelta(days=15))
    with pytest.raises(NotPermitted):
        services.inspection_record(actor=county_user, organization_id=other_org.pk, kind="daily", inspected_on=timezone.localdate(),
                                   findings="x", rating="fair")
