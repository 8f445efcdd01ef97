"""`manage.py load_demo`: the source's figure (125 / 12 / 113), an open round, one user per role, idempotent."""
import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from qujing_disclosure.core.access import role_of
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import AuditEntry, Role, User
from sites import services
from sites.demo import CITY_ROUNDS, COUNTY_ROUNDS, DEMO_PASSWORD, LOGINS, _round_name
from sites.enums import ApplicationState, DesignationStatus, JurisdictionKind, Level, RoundStatus
from sites.models import Application, Designation, Jurisdiction, Organization, Quota, Round

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for the class, inside a transaction rolled back afterwards (like setUpTestData):
    each test runs in a savepoint of it, so what one test changes the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


DEMO_USERS = [
    ("admin", Role.MUNICIPAL, None),
    ("office", Role.MUNICIPAL, None),
    ("leader", Role.LEADING_GROUP, None),
    ("evaluator", Role.EVALUATOR, "沾益区"),
    ("qilin", Role.COUNTY, "麒麟区"),
    ("zhanyi", Role.COUNTY, "沾益区"),
    ("unit", Role.ORGANIZATION, "麒麟区南宁街道白石江社区党委"),
]


# Every round sites.demo writes: the past ones and the open one of this year.
SITES_ROUNDS = [*((year, Level.CITY) for year, _n, _r in CITY_ROUNDS), *((year, Level.COUNTY) for year, _n, _r in COUNTY_ROUNDS),
                (timezone.localdate().year, Level.COUNTY)]


def _table_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


class TestDemoLoadedOnce:
    """Everything one load of the demo must show."""

    def test_demo_reproduces_the_source_figure(self, demo_output):
        active = Designation.objects.filter(status=DesignationStatus.ACTIVE)
        assert (active.count(), active.filter(level=Level.CITY).count(), active.filter(level=Level.COUNTY).count()) == (
            125, 12, 113,
        )
        revoked = Designation.objects.filter(status=DesignationStatus.REVOKED)
        assert revoked.count() == 6
        # R10: revoked in a later round's re-evaluation, with date and reason.
        for site in revoked.select_related("round"):
            assert site.revoked_on.year > site.round.year
            assert "低于合格线80分" in site.revoke_reason and "收回牌匾" in site.revoke_reason
        # R9: 3,000 yuan for city-level sites only; plaque numbers say the level and year.
        city_site = Designation.objects.filter(level=Level.CITY).select_related("round").first()
        assert city_site.subsidy_amount == 3000
        assert city_site.plaque_number.startswith(f"QJ-S-{city_site.round.year}-")
        assert set(Designation.objects.filter(level=Level.COUNTY).values_list("subsidy_amount", flat=True)) == {0}
        assert "有效 125 个（市级 12 个、县级 113 个）" in demo_output

        # Every award and revocation is in the public history, at its historical date.
        awards = AuditEntry.objects.filter(action="sites.designation.award")
        assert awards.count() == 131
        site = Designation.objects.filter(status=DesignationStatus.REVOKED).first()
        trail = list(AuditEntry.objects.filter(object_id=str(site.pk), action__startswith="sites.designation")
                     .values_list("action", "actor", "to_state"))
        assert trail == [("sites.designation.award", None, "active"), ("sites.designation.revoke", None, "revoked")]
        # The record carries the historical date, not the day the demo was loaded.
        revoke = AuditEntry.objects.get(object_id=str(site.pk), action="sites.designation.revoke")
        assert revoke.created_at.date() == site.revoked_on


    def test_demo_places_units_and_one_user_per_role(self, demo_output):
        counties = Jurisdiction.objects.filter(kind=JurisdictionKind.COUNTY)
        assert set(counties.values_list("name", flat=True)) == {
            "麒麟区", "沾益区", "马龙区", "宣威市", "富源县", "罗平县", "师宗县", "陆良县", "会泽县",
        }
        city = Jurisdiction.objects.get(code="city")
        assert city.name == "曲靖市" and set(counties.values_list("parent", flat=True)) == {city.pk}
        assert Jurisdiction.objects.filter(kind=JurisdictionKind.COMMITTEE).count() >= 4
        assert 250 <= Organization.objects.count() <= 400
        assert not Organization.objects.filter(sector="").exists()
        assert Organization.objects.filter(name="麒麟区南宁街道白石江社区党委").exists()

        for username, role, binding in DEMO_USERS:
            user = User.objects.select_related("jurisdiction", "organization").get(username=username)
            assert role_of(user) == role, username
            assert user.check_password(DEMO_PASSWORD), username
            if role == Role.ORGANIZATION:
                assert user.organization.name == binding
            elif binding:
                assert user.jurisdiction.name == binding
            assert username in demo_output
        assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == ["admin"]
        assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {"admin", "office"}


    def test_demo_open_round_has_applications_in_several_states_and_room_under_the_limit(self, demo_output):
        open_round = Round.objects.get(status=RoundStatus.OPEN)
        today = timezone.localdate()
        assert open_round.applications_open_on < today < open_round.applications_close_on < open_round.screening_close_on
        states = set(open_round.applications.values_list("state", flat=True))
        assert {"draft", "submitted", "recommended", "rejected", "withdrawn"} <= states
        assert set(open_round.quotas.values_list("jurisdiction__kind", flat=True)) == {"county", "committee"}
        assert open_round.quotas.count() == Jurisdiction.objects.exclude(kind=JurisdictionKind.CITY).count()
        assert Round.objects.filter(status=RoundStatus.FINISHED).count() == 9
        rejected = open_round.applications.filter(state=ApplicationState.REJECTED)
        assert not rejected.filter(decision_reason="").exists()
        # Created through the services by the county offices: their history is real.
        recommended = open_round.applications.filter(state=ApplicationState.RECOMMENDED, jurisdiction__code="qilin").first()
        trail = list(AuditEntry.objects.filter(object_id=str(recommended.pk), action__startswith="sites.application")
                     .values_list("action", "actor__username"))
        assert trail[0] == ("sites.application.create", "qilin") and trail[-1] == ("sites.application.recommend", "qilin")

        # 麒麟区 (3 slots, limit 6 at 2:1) has 3 recommended and 4 waiting: 3 more, then R2 refuses.
        qilin = User.objects.get(username="qilin")
        waiting = list(open_round.applications.filter(jurisdiction__code="qilin", state=ApplicationState.SUBMITTED))
        assert len(waiting) == 4
        for application in waiting[:3]:
            services.application_recommend(actor=qilin, application_id=application.pk)
        with pytest.raises(DomainError) as refusal:
            services.application_recommend(actor=qilin, application_id=waiting[3].pk)
        assert "最多推荐6个，已推荐6个" in str(refusal.value)


    def test_demo_writes_through_the_production_services(self, demo_output):
        """Places, units, rounds, quotas, titles and accounts each carry the audit row of the service
        that writes them in production, and one load is one batch."""
        def audited(queryset, action):
            ids = set(AuditEntry.objects.filter(action=action).values_list("object_id", flat=True))
            return {str(pk) for pk in queryset.values_list("pk", flat=True)} <= ids

        rounds = Round.objects.filter(name__in=[_round_name(year, level) for year, level in SITES_ROUNDS])
        assert rounds.count() == len(SITES_ROUNDS)
        assert audited(Jurisdiction.objects.all(), "sites.jurisdiction.create")
        assert audited(Organization.objects.all(), "sites.organization.create")
        assert audited(rounds, "sites.round.create")
        assert audited(Quota.objects.filter(round__in=rounds), "sites.quota.set")
        assert audited(Designation.objects.all(), "sites.designation.award")
        assert audited(User.objects.filter(username__in=[name for name, _role, _scope in LOGINS]), "core.user.create")
        past = Round.objects.filter(status=RoundStatus.FINISHED).order_by("year").first()
        trail = list(AuditEntry.objects.filter(action="sites.round.set_status", object_id=str(past.pk))
                     .order_by("created_at").values_list("from_state", "to_state", "created_at__date"))
        assert trail == [
            ("draft", "open", datetime.date(past.year, 3, 1)), ("open", "closed", datetime.date(past.year, 4, 30)),
            ("closed", "finished", datetime.date(past.year, 12, 16)),
        ]
        assert AuditEntry.objects.values("batch").distinct().count() == 1

    def test_a_demo_site_page_shows_its_award_and_revocation_like_a_real_one(self, demo_output, client):
        site = Designation.objects.filter(status=DesignationStatus.REVOKED).first()
        page = client.get(reverse("public:site_detail", args=[site.pk])).content.decode()
        audit = page.split('id="audit-table"', 1)[1].split("</table>", 1)[0]
        assert "授予“党务公开工作示范点”称号，颁发牌匾" in audit and "撤销称号，收回牌匾" in audit
        active = Designation.objects.filter(status=DesignationStatus.ACTIVE).first()
        page = client.get(reverse("public:site_detail", args=[active.pk])).content.decode()
        assert "授予“党务公开工作示范点”称号，颁发牌匾" in page.split('id="audit-table"', 1)[1]


def test_running_the_demo_twice_changes_nothing():
    # Half past midnight on New Year's Day in China is still 31 December in UTC: the open round follows China time.
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        call_command("load_demo", stdout=StringIO())
        first = _table_counts()
        states = dict(Application.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
        call_command("load_demo", stdout=StringIO())
        assert _table_counts() == first
        assert dict(Application.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")) == states
        open_round = Round.objects.get(status=RoundStatus.OPEN)
        assert (open_round.year, open_round.applications_open_on, open_round.applications_close_on) == (
            2027, datetime.date(2026, 12, 12), datetime.date(2027, 1, 31),
        )
