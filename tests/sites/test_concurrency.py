"""R2 under concurrency: parallel recommendations never exceed ratio × quota (PostgreSQL row locks)."""
import threading
import time

import pytest
from django.db import connection

from qujing_disclosure.core.errors import DomainError
from sites import services
from sites.services import applications as application_services
from sites.enums import ApplicationState
from sites.models import Application
from tests import factories as f
from tests.sites.conftest import attach_material

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_parallel(funcs):
    barrier = threading.Barrier(len(funcs))
    outcomes = [None] * len(funcs)

    def worker(i, func):
        try:
            barrier.wait()
            func()
            outcomes[i] = "ok"
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_parallel_recommendations_for_the_last_slot_never_exceed_the_limit(open_round, county, monkeypatch):
    # Quota 2 at 2:1 → limit 4. Three already recommended; six offices race for the last one.
    office_a = f.county_user(county, username="qilin_a")
    office_b = f.county_user(county, username="qilin_b")
    apps = []
    for _ in range(9):
        org = f.OrganizationFactory(jurisdiction=county)
        app = services.application_create(actor=office_a, round_id=open_round.pk, organization_id=org.pk,
                                          summary="情况", contact_name="王五", contact_phone="13900000000")
        attach_material(app, office_a)
        apps.append(services.application_submit(actor=office_a, application_id=app.pk))
    for app in apps[:3]:
        services.application_recommend(actor=office_a, application_id=app.pk)

    # Widen the race window: every recommendation pauses between counting and saving,
    # so without the quota row lock all six would count 3 and all six would pass.
    original_apply = application_services.transition_apply

    def slow_apply(*args, **kwargs):
        time.sleep(0.15)
        return original_apply(*args, **kwargs)

    monkeypatch.setattr(application_services, "transition_apply", slow_apply)
    racers = apps[3:]
    outcomes = _run_in_parallel(
        [
            (lambda a=app, u=(office_a if i % 2 else office_b): services.application_recommend(actor=u, application_id=a.pk))
            for i, app in enumerate(racers)
        ]
    )

    assert sorted(outcomes) == ["ok"] + ["quota_exceeded"] * 5
    assert Application.objects.filter(round=open_round, jurisdiction=county, state=ApplicationState.RECOMMENDED).count() == 4
