"""Factories and helpers for the evaluation tests."""
import datetime
from decimal import Decimal
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from evaluation import exports, services
from evaluation.enums import InspectionKind, InspectionRating
from evaluation.models import Inspection
from qujing_disclosure.core.models import Role
from sites.enums import ApplicationState
from tests import factories as f


def evaluator_user(**kw):
    return f.UserFactory(role=Role.EVALUATOR, **kw)


def recommended_application(round_, organization):
    return f.ApplicationFactory(round=round_, organization=organization, state=ApplicationState.RECOMMENDED)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    organization = factory.SubFactory(f.OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    kind = InspectionKind.DAILY
    inspected_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    findings = "公开栏内容更新及时"
    rating = InspectionRating.GOOD
    recorded_by = factory.SubFactory(f.UserFactory)


def full_scores(table, fraction="0.9"):
    """A complete score map at `fraction` of each criterion's maximum, each with its first method."""
    return {
        c.pk: {"points": str((c.max_points * Decimal(fraction)).quantize(Decimal("0.01"))), "methods": c.methods[:1], "notes": "已核实"}
        for c in table.criteria.all()
    }


def submit_card(evaluator, candidate, fraction="0.9", municipal=None):
    """Assign (if needed), declare no conflict, score every criterion and submit."""
    assignment = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)
    services.scorecard_save(actor=evaluator, assignment_id=assignment.pk, scores=full_scores(candidate.round.evaluation_table, fraction))
    return services.scorecard_submit(actor=evaluator, assignment_id=assignment.pk)


def listed_round(eval_round, candidate, municipal, panel_fraction="0.9", evaluators=None):
    """Score `candidate` fully, put it on the list, deliberate (R7): ready to open publicity."""
    for person in evaluators or []:
        submit_card(person, candidate, panel_fraction)
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    return services.deliberation_record(actor=municipal, round_id=eval_round.pk, meeting_date=timezone.localdate(),
                                        attendees="组长、副组长、成员", decision="approved")


def disclosure_history(organization, today):
    """A year of `organization`'s disclosure work, built with the disclosure factories (R16–R20), as
    `disclosure.selectors.inspection_record_for` counts it over the 12 months up to `today`:
    3 items published (2 on time, 1 late), 1 missed month, 1 display breach (R17), 1 rectification
    past its deadline (R20), 1 feedback unanswered past its deadline (R18), and 5 ratings — 3 satisfied,
    1 basically satisfied, 1 dissatisfied — a satisfaction rate of 80.0% (R19)."""
    from disclosure.models import SatisfactionRating
    from tests.disclosure import factories as d

    entry = d.EntryFactory(organization=organization)
    month = today.replace(day=1)

    def months_ago(n):
        index = month.year * 12 + month.month - 1 - n
        return datetime.date(index // 12, index % 12 + 1, 1)

    d.published_item(months_ago(3).replace(day=5), entry=entry, due_by=months_ago(3).replace(day=10))
    d.published_item(months_ago(2).replace(day=8), entry=entry, due_by=months_ago(2).replace(day=10))
    d.published_item(months_ago(1).replace(day=20), entry=entry, due_by=months_ago(1).replace(day=10))  # late (R16)
    d.FindingFactory(organization=organization, kind="missed", period=months_ago(4))
    d.FindingFactory(organization=organization, kind="display_breach", period=months_ago(1))
    d.RectificationFactory(finding=d.FindingFactory(organization=organization, kind="evidence", state="notice_issued", period=month),
                           deadline=today - datetime.timedelta(days=5))
    d.FeedbackFactory(organization=organization, received_on=months_ago(1).replace(day=4))
    for index, rating in enumerate(["satisfied", "satisfied", "satisfied", "basic", "dissatisfied"]):
        SatisfactionRating.objects.create(organization=organization, jurisdiction=organization.jurisdiction, month=months_ago(1),
                                          rating=rating, voter_hash=f"{organization.pk}-{index}")


def satisfaction_criterion(round_):
    return round_.evaluation_table.criteria.get(name="群众满意度")


SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def open_publicity(eval_round, candidate, municipal, panel, days=7):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:2])
    today = timezone.localdate()
    return services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=days - 1))


MID_JUNE = datetime.date(2026, 6, 15)


RESULTS_URL = "/portal/evaluation/results/"


def login_as(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def staff_sheet(team):
    buffer = BytesIO()
    exports.team_scoresheet_workbook(team).save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


METHOD_OF = {"组织领导": "听汇报", "制度建设": "查资料", "公开内容": "查资料", "公开形式": "实地察看", "公开程序": "查资料",
             "公开时间": "查资料", "群众满意度": "民主测评", "特色亮点": "听汇报"}


def as_upload(workbook, name="评分表.xlsx"):
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def sheet_rows(workbook):
    """{(username, criterion name): (points, methods, notes)} of a sheet's data rows."""
    return {(row[2].value, row[4].value): (row[6].value, row[7].value, row[8].value)
            for row in workbook["评分表"].iter_rows(min_row=4) if row[0].value is not None}


def draft_card(person, candidate, fraction="0.5", notes="草稿说明"):
    from .factories import full_scores

    assignment = services.assignment_create(actor=None, candidate_id=candidate.pk, evaluator_id=person.pk)
    services.assignment_declare(actor=person, assignment_id=assignment.pk, conflict=False)
    scores = full_scores(candidate.round.evaluation_table, fraction)
    for entry in scores.values():
        entry["notes"] = notes
    return services.scorecard_save(actor=person, assignment_id=assignment.pk, scores=scores)


def sheet_for(team, user):
    buffer = BytesIO()
    exports.team_scoresheet_workbook(team, user).save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


ENGLISH = {"、": ", ", "：": ": ", "%(where)s：%(message)s": "%(where)s: %(message)s"}
