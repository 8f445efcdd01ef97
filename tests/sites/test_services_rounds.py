"""sites.services.rounds: rounds and quotas, set up by the municipal office and moved along their states."""
import datetime

import pytest

from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import RoundStatus
from sites.models import Round
from tests.sites.conftest import submitted_in

pytestmark = pytest.mark.django_db


def test_quota_cannot_fall_below_recommendations(open_round, county_user, county, municipal):
    # R2: with 3 recommended at 2:1, the quota may drop to 2 (limit 4) but not to 1 (limit 2).
    for app in [submitted_in(open_round, county, county_user) for _ in range(3)]:
        services.application_recommend(actor=county_user, application_id=app.pk)
    services.quota_set(actor=municipal, round_id=open_round.pk, jurisdiction_id=county.pk, slots=2)
    with pytest.raises(DomainError) as exc:
        services.quota_set(actor=municipal, round_id=open_round.pk, jurisdiction_id=county.pk, slots=1)
    assert (exc.value.code, exc.value.rule) == ("quota_below_recommended", "R2") and "已推荐3个" in str(exc.value)
    assert open_round.quotas.get(jurisdiction=county).slots == 2


def test_quota_changes_are_audited_and_only_by_the_municipal_office(open_round, county, county_user, municipal):
    services.quota_set(actor=municipal, round_id=open_round.pk, jurisdiction_id=county.pk, slots=5)
    entry = AuditEntry.objects.get(action="sites.quota.set")
    assert (entry.actor, entry.from_state, entry.to_state) == (municipal, "2", "5")
    with pytest.raises(NotPermitted) as exc:
        services.quota_set(actor=county_user, round_id=open_round.pk, jurisdiction_id=county.pk, slots=9)
    assert exc.value.code == "forbidden"
    assert open_round.quotas.get(jurisdiction=county).slots == 5


def test_the_ratio_is_fixed_once_applications_open(municipal, open_round):
    with pytest.raises(DomainError) as refused:
        services.round_save(actor=municipal, round_id=open_round.pk, values={"ratio": 3})
    assert (refused.value.code, refused.value.field, refused.value.rule) == ("ratio_fixed", "ratio", "R2")
    assert Round.objects.get(pk=open_round.pk).ratio == 2


def test_dates_out_of_order_are_refused_with_the_rule_in_words(municipal, open_round):
    with pytest.raises(DomainError, match="申报开始日期 ≤ 申报截止日期 ≤ 审核推荐截止日期") as refused:
        services.round_save(actor=municipal, round_id=open_round.pk,
                            values={"screening_close_on": open_round.applications_close_on - datetime.timedelta(days=1)})
    assert refused.value.code == "window_order"


def test_a_county_office_cannot_edit_a_round(county_user, open_round):
    with pytest.raises(NotPermitted) as refused:
        services.round_save(actor=county_user, round_id=open_round.pk, values={"name": "改名"})
    assert refused.value.code == "forbidden"
    assert not AuditEntry.objects.exists()


def test_a_round_edit_records_old_and_new_values_and_a_repeat_writes_nothing(municipal, open_round):
    services.round_save(actor=municipal, round_id=open_round.pk, values={"pass_mark": 85})
    services.round_save(actor=municipal, round_id=open_round.pk, values={"pass_mark": 85})
    entry = AuditEntry.objects.get(action="sites.round.update")
    assert entry.data["changes"] == {"pass_mark": {"old": "80", "new": 85}}


def test_a_round_status_change_goes_only_along_the_table(municipal, open_round):
    with pytest.raises(InvalidTransition) as refused:
        services.round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.DRAFT)
    assert str(refused.value) == "轮次当前状态为“申报中”，不能变更为“筹备中”。"
    services.round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.CLOSED)
    services.round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.CLOSED)  # repeated: nothing more
    assert list(AuditEntry.objects.values_list("action", "from_state", "to_state")) == [
        ("sites.round.set_status", "open", "closed"),
    ]
