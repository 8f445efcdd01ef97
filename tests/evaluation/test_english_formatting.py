"""English-friendly formatting: dates as YYYY-MM-DD, and Chinese punctuation around values (、 ：（）) in
translatable strings, so the English catalogue can turn them into ", ", ": " and "( )".

The English catalogue is completed by `make messages`; these tests add the few entries they need to the
loaded English catalogue for their duration, so they check the mechanism, not the wording."""
import datetime
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import trans_real
from openpyxl import load_workbook

from evaluation import exports, services
from evaluation.enums import ScorecardState
from evaluation.imports import scoresheet_import
from evaluation.models import Scorecard
from qujing_disclosure.core.errors import DomainError

from .factories import listed_round

pytestmark = pytest.mark.django_db

ENGLISH = {"、": ", ", "：": ": ", "%(where)s：%(message)s": "%(where)s: %(message)s"}


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """A request with the English cookie leaves English active in this thread: back to the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def english():
    """The English catalogue with the punctuation entries (as `make messages` + translation will give)."""
    catalog = trans_real.translation("en")._catalog
    saved = {key: catalog.get(key) for key in ENGLISH}
    for key, value in ENGLISH.items():
        catalog[key] = value
    yield
    for key, value in saved.items():
        if value is None:
            for part in catalog._catalogs:
                part.pop(key, None)
        else:
            catalog[key] = value


def test_method_lists_in_domain_errors_follow_the_language(english):
    with pytest.raises(DomainError) as chinese:
        services.validate_methods(["fax", "telegram"])
    assert "fax、telegram" in str(chinese.value)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.validate_methods(["fax", "telegram"])
    assert "fax, telegram" in str(caught.value)


def test_round_page_lists_team_members_and_methods_with_the_languages_separator(client, municipal, eval_round, panel, english):
    services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[panel[0].pk, panel[1].pk])
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{eval_round.pk}/").content.decode()
    assert "<strong>第一组</strong>：panel0、panel1" in page
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(f"/portal/evaluation/rounds/{eval_round.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>第一组</strong>: panel0, panel1" in page
    assert "Hearing reports, Checking materials" in page


@pytest.fixture
def publicity(eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    return services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=datetime.date(2026, 12, 28),
                                   ends_on=datetime.date(2027, 1, 3))


@pytest.fixture
def during_publicity():
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 12, 28, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
        yield


def test_publicity_dates_are_iso_on_the_public_and_home_pages(during_publicity, client, publicity):
    body = client.get("/publicity/").content.decode()
    assert "2026-12-28 至 2027-01-03" in body and "12月28日" not in body
    home = client.get("/").content.decode()
    assert "（2026-12-28 至 2027-01-03，1 个单位）" in home and "12月28日" not in home


def test_publicity_dates_stay_iso_in_english(during_publicity, client, publicity):
    client.cookies["django_language"] = "en"
    body = client.get("/publicity/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026-12-28" in body and "2027-01-03" in body
    assert "12月28日" not in body and "1月3日" not in body


# --- the team score sheet in English -----------------------------------------------------------
@pytest.fixture
def team(eval_round, candidate, panel, municipal):
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk], leader_id=panel[0].pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team.pk)
    return team


def test_a_sheet_downloaded_in_english_imports_with_english_method_names(team, municipal, panel, english):
    with translation.override("en"):
        workbook = exports.team_scoresheet_workbook(team)
    sheet = workbook["评分表"]
    assert "Hearing reports, Checking materials" in sheet["A2"].value
    for row in sheet.iter_rows(min_row=4):
        row[6].value = float(row[5].value) * 0.8
        row[7].value = ", ".join(ENGLISH_LABELS[code] for code in _methods_of(row[4].value, team))
    buffer = BytesIO()
    workbook.save(buffer)
    with translation.override("en"):
        assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=SimpleUploadedFile("sheet.xlsx", buffer.getvalue())) == 1
    card = Scorecard.objects.get()
    assert (card.state, str(card.total)) == (ScorecardState.SUBMITTED, "80.00")


def test_method_names_in_a_sheet_may_mix_languages_and_separators(team, municipal):
    buffer = BytesIO()
    exports.team_scoresheet_workbook(team).save(buffer)
    workbook = load_workbook(BytesIO(buffer.getvalue()))
    sheet = workbook["评分表"]
    for row in sheet.iter_rows(min_row=4):
        row[6].value = float(row[5].value)
        methods = _methods_of(row[4].value, team)
        row[7].value = "；".join(_label(code, index) for index, code in enumerate(methods))
    out = BytesIO()
    workbook.save(out)
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=SimpleUploadedFile("sheet.xlsx", out.getvalue())) == 1
    assert str(Scorecard.objects.get().total) == "100.00"


ENGLISH_LABELS = {"hearing": "Hearing reports", "materials": "Checking materials", "on_site": "On-site inspection",
                  "visit": "Visits and discussions", "democratic": "Democratic evaluation"}


def _label(code, index):
    """Alternate English (any case) and Chinese labels."""
    from evaluation.enums import Method

    return ENGLISH_LABELS[code].lower() if index % 2 == 0 else str(Method(code).label)


def _methods_of(criterion_name, team):
    return team.round.evaluation_table.criteria.get(name=criterion_name).methods

