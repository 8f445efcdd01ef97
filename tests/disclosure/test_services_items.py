"""services.items: an item's four steps (R14) with the window (R16), display (R17), scope and forms (R13),
proof per carrier (R14 step 3) and linked series (R15) checked on the way; edits record old and new values."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import jobs, services
from disclosure.enums import EvidenceKind, InspectionResult, ItemState, Scope, TimeType
from disclosure.models import Evidence, Item
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, approve, at, make_item, record_evidence


# --- R16 window ---------------------------------------------------------------------


@pytest.mark.django_db
def test_r16_refuses_date_outside_window_and_offers_next_valid_date(org_user, entry):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 5, 28), display_until=D(2026, 6, 30))
    assert exc.value.field == "publish_on"
    assert exc.value.rule == "R16"
    assert "最近可选的公开日期是 2026-06-01" in str(exc.value)
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_r16_next_valid_date_crosses_year_end(org_user, entry):
    with at(D(2026, 12, 15)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 12, 20), display_until=D(2027, 1, 30))
    assert "2027-01-01" in str(exc.value)


@pytest.mark.django_db
def test_r16_prompt_items_may_be_dated_outside_window(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry, time_type=TimeType.PROMPT, publish_on=D(2026, 5, 20),
                         display_until=D(2026, 6, 10))
    assert item.state == ItemState.DRAFT
    assert item.due_by == D(2026, 5, 20)


@pytest.mark.django_db
def test_r16_refuses_past_date(org_user, entry):
    with at(D(2026, 6, 5)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 6, 2))
    assert exc.value.field == "publish_on"
    assert "2026-06-05" in str(exc.value)


# --- R17 display --------------------------------------------------------------------


@pytest.mark.django_db
def test_r17_refuses_display_end_less_than_15_days(org_user, entry):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 6, 3), display_until=D(2026, 6, 17))
    assert exc.value.field == "display_until"
    assert exc.value.rule == "R17"
    assert "2026-06-18" in str(exc.value)


@pytest.mark.django_db
def test_r17_accepts_exactly_15_days(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry, publish_on=D(2026, 6, 3), display_until=D(2026, 6, 18))
    assert item.display_until == D(2026, 6, 18)


@pytest.mark.django_db
def test_r17_only_long_term_items_may_omit_display_end(org_user, entry):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, display_until=None)
        assert (exc.value.field, exc.value.code) == ("display_until", "display_required")
        item = make_item(org_user, entry, display_until=None, time_type=TimeType.LONG_TERM)
    assert item.display_until is None


@pytest.mark.django_db
def test_r17_withdraw_and_archive_refused_before_15_days(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        approve(item, org_user, county_user)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=item.pk)
    with at(D(2026, 6, 17)):
        with pytest.raises(DomainError) as exc:
            services.item_withdraw(actor=org_user, item_id=item.pk, reason="内容有误")
        assert exc.value.rule == "R17"
        assert "2026-06-18" in str(exc.value)
        with pytest.raises(DomainError) as exc:
            services.item_archive(actor=org_user, item_id=item.pk)
        assert (exc.value.code, exc.value.rule) == ("display_too_short", "R17")
    with at(D(2026, 6, 18)):
        item = services.item_withdraw(actor=org_user, item_id=item.pk, reason="已被新通知替代")
    assert item.state == ItemState.WITHDRAWN
    assert item.ended_on == D(2026, 6, 18)


# --- R14 procedure ------------------------------------------------------------------


@pytest.mark.django_db
def test_r14_full_procedure_with_audit(org_user, county_user, entry, municipal):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        approve(item, org_user, county_user)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=item.pk)
        services.item_record_evidence(actor=org_user, item_id=item.pk, carrier_id=entry.carriers.first().pk,
                                      kind="photo", uploaded_file=SimpleUploadedFile("board.png", b"\x89PNG\r\n\x1a\nxx"))
        services.item_inspect(actor=county_user, item_id=item.pk, result=InspectionResult.PASSED, note="")
    with at(D(2026, 7, 1)):
        item = services.item_archive(actor=org_user, item_id=item.pk, reason="整理归档")
    assert item.state == ItemState.ARCHIVED
    assert [e.action for e in history_for(item)] == [
        "disclosure.item.create", "disclosure.item.submit", "disclosure.item.initial_review", "disclosure.item.review",
        "disclosure.item.publish", "disclosure.item.evidence", "disclosure.item.inspect", "disclosure.item.archive",
    ]


@pytest.mark.django_db
def test_r14_initial_review_needs_all_four_checks(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        with pytest.raises(DomainError) as exc:
            services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                         check_scope=True, check_form=True)
    assert "时限" in str(exc.value)
    assert Item.objects.get(pk=item.pk).state == ItemState.SUBMITTED


@pytest.mark.django_db
def test_r14_rejection_sends_back_with_reason_and_can_resubmit(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                     check_scope=True, check_form=True, check_timing=True)
        with pytest.raises(DomainError, match="^退回时必须填写理由。$"):
            services.item_review(actor=county_user, item_id=item.pk, approve=False, reason="")
        item = services.item_review(actor=county_user, item_id=item.pk, approve=False, reason="金额需核实")
        assert item.state == ItemState.RETURNED
        assert item.return_reason == "金额需核实"
        services.item_update(actor=org_user, item_id=item.pk, content="应缴12人，实缴12人，金额已核实。")
        item = services.item_submit(actor=org_user, item_id=item.pk)
    assert item.state == ItemState.SUBMITTED


@pytest.mark.django_db
def test_r14_review_by_other_county_is_not_permitted(org_user, other_county_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                     check_scope=True, check_form=True, check_timing=True)
        with pytest.raises(NotPermitted):
            services.item_review(actor=other_county_user, item_id=item.pk, approve=True)
        with pytest.raises(NotPermitted):
            services.item_review(actor=org_user, item_id=item.pk, approve=True)
        assert services.item_review(actor=county_user, item_id=item.pk, approve=True).state == ItemState.APPROVED


@pytest.mark.django_db
def test_r14_submitted_item_cannot_be_edited_and_illegal_transition_refused(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        with pytest.raises(InvalidTransition, match="^只有拟稿或退回修改的事项可以修改。$"):
            services.item_update(actor=org_user, item_id=item.pk, title="改标题")
        with pytest.raises(InvalidTransition, match="^公开事项当前状态为“待初审”，不能变更为“已归档”。$"):
            services.item_archive(actor=org_user, item_id=item.pk)


@pytest.mark.django_db
def test_r14_other_organisation_cannot_draft_under_my_entry(other_org_user, entry):
    with at(D(2026, 5, 20)), pytest.raises(NotPermitted):
        make_item(other_org_user, entry)


@pytest.mark.django_db
def test_item_edit_records_old_and_new_values_and_nothing_when_unchanged(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_update(actor=org_user, item_id=item.pk, title="2026年5月党费收缴情况（更正）",
                             publish_on=D(2026, 6, 2))
        services.item_update(actor=org_user, item_id=item.pk, title="2026年5月党费收缴情况（更正）")
    assert [e.data for e in history_for(item) if e.action == "disclosure.item.update"] == [{"changes": {
        "title": {"old": "2026年5月党费收缴情况", "new": "2026年5月党费收缴情况（更正）"},
        "publish_on": {"old": "2026-06-03", "new": "2026-06-02"},
    }}]


@pytest.mark.django_db
def test_item_edit_may_clear_the_display_end_of_a_long_term_item(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry, time_type="long_term")
        item = services.item_update(actor=org_user, item_id=item.pk, display_until=None)
    assert item.display_until is None


# --- R13 scope and forms -------------------------------------------------------------


@pytest.mark.django_db
def test_r13_internal_items_refuse_public_forms_and_carriers(org_user, entry, carrier):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, scope=Scope.INTERNAL, forms=["board"], carrier_ids=[])
        assert (exc.value.rule, exc.value.code) == ("R13", "internal_public_form")
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, scope=Scope.INTERNAL, forms=["meeting"], carrier_ids=[carrier.pk])
        assert (exc.value.rule, exc.value.code) == ("R13", "internal_carrier")
        item = make_item(org_user, entry, scope=Scope.INTERNAL, forms=["meeting"], carrier_ids=[])
    assert item.scope == Scope.INTERNAL


# --- R15 linked series: one organisation, one entry, one scope, an item in the procedure ----


@pytest.mark.django_db
def test_r15_repeated_items_form_a_series_and_long_term_item_is_superseded(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        first = make_item(org_user, entry, time_type=TimeType.LONG_TERM, display_until=None)
        approve(first, org_user, county_user)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=first.pk)
        second = make_item(org_user, entry, time_type=TimeType.LONG_TERM, display_until=None,
                           publish_on=D(2026, 7, 1), previous_id=first.pk)
        approve(second, org_user, county_user)  # a draft cannot be a previous item (R15)
        third = make_item(org_user, entry, publish_on=D(2026, 7, 2), display_until=D(2026, 7, 31), previous_id=second.pk)
    assert second.series_id == first.pk and third.series_id == first.pk
    with at(D(2026, 7, 1)):
        services.item_publish(actor=org_user, item_id=second.pk)
    assert Item.objects.get(pk=first.pk).superseded is True


def draft(org_user, entry, **kw):
    kw.setdefault("title", "第二期")
    kw.setdefault("content", "进展情况")
    kw.setdefault("publish_on", D(2026, 6, 3))
    kw.setdefault("display_until", D(2026, 6, 30))
    return services.item_create(actor=org_user, entry_id=entry.pk, **kw)


@pytest.mark.django_db
def test_an_unrelated_long_term_item_cannot_be_superseded_through_a_bogus_link(
    org_user, county_user, entry, long_term_elsewhere,
):
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=long_term_elsewhere.pk)
    assert exc.value.field == "previous"
    assert str(exc.value.message) == (
        f"“前一期”必须属于同一目录条目“{entry.title}”，所选事项属于“为民服务事项及办事指南”（R15）。"
    )
    assert Item.objects.filter(previous=long_term_elsewhere).count() == 0
    # The unit's real June item, published on its window day, leaves the guide on display.
    with at(D(2026, 5, 20)):
        june = draft(org_user, entry)
        services.item_submit(actor=org_user, item_id=june.pk)
        services.item_initial_review(actor=org_user, item_id=june.pk, approve=True, check_content=True,
                                     check_scope=True, check_form=True, check_timing=True)
        services.item_review(actor=county_user, item_id=june.pk, approve=True)
    jobs.publish_due_items(today=D(2026, 6, 3))
    long_term_elsewhere.refresh_from_db()
    assert (long_term_elsewhere.state, long_term_elsewhere.superseded) == (ItemState.PUBLISHED, False)


@pytest.mark.django_db
def test_previous_of_another_organisation_is_refused(org_user, entry, other_org):
    foreign = df.published_item(D(2026, 5, 3), entry=df.EntryFactory(organization=other_org))
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=foreign.pk)
    assert (exc.value.field, str(exc.value.message)) == ("previous", "“前一期”必须是本单位的公开事项（R15）。")


@pytest.mark.django_db
def test_unknown_previous_is_refused_not_a_crash(org_user, entry):
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=999999)
    assert (exc.value.field, exc.value.code) == ("previous", "previous_foreign")


@pytest.mark.django_db
def test_previous_with_another_scope_is_refused(org_user, entry):
    internal = df.published_item(D(2026, 5, 3), entry=entry, scope=Scope.INTERNAL, forms=["meeting"], carriers=[])
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=internal.pk)
    assert exc.value.field == "previous"
    assert str(exc.value.message) == "“前一期”的公开范围是“对内公开”，与本事项的“对外公开”不同（R15）。"


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ItemState.DRAFT, ItemState.WITHDRAWN])
def test_previous_still_a_draft_or_withdrawn_is_refused(org_user, entry, state):
    earlier = df.ItemFactory(entry=entry, state=state)
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=earlier.pk)
    assert exc.value.field == "previous"
    assert str(exc.value.message) == f"“前一期”事项处于“{ItemState(state).label}”状态，不能作为前一期（R15）。"


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ItemState.SUBMITTED, ItemState.APPROVED, ItemState.PUBLISHED, ItemState.ARCHIVED])
def test_previous_of_the_same_entry_in_the_procedure_joins_its_series(org_user, entry, state):
    earlier = df.ItemFactory(entry=entry, state=state, publish_on=D(2026, 5, 3), display_until=D(2026, 5, 30),
                             published_on=D(2026, 5, 3) if state in (ItemState.PUBLISHED, ItemState.ARCHIVED) else None)
    with at(D(2026, 5, 20)):
        item = draft(org_user, entry, previous_id=earlier.pk)
    assert (item.previous_id, item.series_id) == (earlier.pk, earlier.pk)


# --- R13/R14 step 3: proof of publication per carrier used ------------------------------


@pytest.mark.django_db
def test_evidence_is_accepted_for_a_carrier_the_item_uses(org_user, on_two_carriers, carrier):
    evidence = record_evidence(org_user, on_two_carriers, carrier)
    assert (evidence.item_id, evidence.carrier_id) == (on_two_carriers.pk, carrier.pk)


@pytest.mark.django_db
def test_evidence_is_refused_for_a_carrier_of_the_unit_the_item_does_not_use(org_user, on_two_carriers, unused):
    with pytest.raises(DomainError) as exc:
        record_evidence(org_user, on_two_carriers, unused)
    assert exc.value.field == "carrier"
    assert str(exc.value.message) == "“公开载体”只能选择本事项选用的、在用的载体。"
    assert Evidence.objects.count() == 0


@pytest.mark.django_db
def test_evidence_is_refused_for_a_carrier_no_longer_in_use(org_user, on_two_carriers, web_page):
    services.carrier_update(actor=org_user, carrier_id=web_page.pk, is_active=False)
    with pytest.raises(DomainError) as exc:
        record_evidence(org_user, on_two_carriers, web_page, kind=EvidenceKind.SCREENSHOT)
    assert (exc.value.field, exc.value.code) == ("carrier", "carrier_not_used")


@pytest.mark.django_db
def test_evidence_is_refused_for_another_organisations_carrier(org_user, on_two_carriers, other_org):
    foreign = df.CarrierFactory(organization=other_org)
    with pytest.raises(DomainError) as exc:
        record_evidence(org_user, on_two_carriers, foreign)
    assert (exc.value.field, exc.value.code) == ("carrier", "carrier_not_used")


@pytest.mark.django_db
def test_internal_item_may_record_minutes_without_a_carrier(org_user, org):
    entry = df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"])
    item = df.published_item(D(2026, 6, 2), entry=entry)
    evidence = record_evidence(org_user, item, None, kind=EvidenceKind.MINUTES, note="支部党员大会记录第12页")
    assert evidence.carrier_id is None


@pytest.mark.django_db
def test_external_item_without_carriers_cannot_be_submitted(org_user, entry):
    with at(D(2026, 5, 20)):
        item = services.item_create(actor=org_user, entry_id=entry.pk, title="t", content="c", carrier_ids=[],
                                    publish_on=D(2026, 6, 3), display_until=D(2026, 6, 30))
        with pytest.raises(DomainError) as exc:
            services.item_submit(actor=org_user, item_id=item.pk)
    assert exc.value.field == "carriers"
    assert exc.value.rule == "R13"
    assert "“公开载体”" in str(exc.value.message)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


@pytest.mark.django_db
def test_internal_item_needs_no_carrier(org_user, org):
    entry = df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"])
    with at(D(2026, 5, 20)):
        item = services.item_create(actor=org_user, entry_id=entry.pk, title="t", content="c",
                                    publish_on=D(2026, 6, 3), display_until=D(2026, 6, 30))
        assert services.item_submit(actor=org_user, item_id=item.pk).state == ItemState.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["initial_review", "review"])
def test_external_item_whose_carriers_were_retired_cannot_be_approved(org_user, county_user, entry, carrier, step):
    state = ItemState.SUBMITTED if step == "initial_review" else ItemState.INITIAL_APPROVED
    item = df.ItemFactory(entry=entry, state=state)
    assert list(item.carriers.all()) == [carrier]
    services.carrier_update(actor=org_user, carrier_id=carrier.pk, is_active=False)
    with pytest.raises(DomainError) as exc:
        if step == "initial_review":
            services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                         check_scope=True, check_form=True, check_timing=True)
        else:
            services.item_review(actor=county_user, item_id=item.pk, approve=True)
    assert (exc.value.field, exc.value.code) == ("carriers", "carrier_required")
    item.refresh_from_db()
    assert item.state == state


@pytest.mark.django_db
def test_inspection_cannot_pass_while_a_carrier_lacks_proof_and_names_it(org_user, county_user, on_two_carriers, carrier):
    record_evidence(org_user, on_two_carriers, carrier)
    with pytest.raises(DomainError) as exc:
        services.item_inspect(actor=county_user, item_id=on_two_carriers.pk, result=InspectionResult.PASSED)
    assert exc.value.field == "result"
    assert str(exc.value.message) == (
        "以下公开载体尚无公开佐证，不能判定为“合格”：网页·党务公开网页专栏。请先记录佐证，或判定为“存在问题”。"
    )
    on_two_carriers.refresh_from_db()
    assert on_two_carriers.inspection_result == ""


@pytest.mark.django_db
def test_inspection_names_every_carrier_without_proof(county_user, on_two_carriers):
    with pytest.raises(DomainError) as exc:
        services.item_inspect(actor=county_user, item_id=on_two_carriers.pk, result=InspectionResult.PASSED)
    assert "公开栏·办公楼大厅公开栏、网页·党务公开网页专栏" in str(exc.value.message)


@pytest.mark.django_db
def test_inspection_passes_once_every_carrier_has_proof(org_user, county_user, on_two_carriers, carrier, web_page):
    record_evidence(org_user, on_two_carriers, carrier)
    record_evidence(org_user, on_two_carriers, web_page, kind=EvidenceKind.SCREENSHOT,
            uploaded_file=SimpleUploadedFile("shot.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png"))
    item = services.item_inspect(actor=county_user, item_id=on_two_carriers.pk, result=InspectionResult.PASSED)
    assert item.inspection_result == InspectionResult.PASSED


@pytest.mark.django_db
def test_a_problem_may_be_recorded_without_proof(county_user, on_two_carriers):
    item = services.item_inspect(actor=county_user, item_id=on_two_carriers.pk, result=InspectionResult.PROBLEM,
                                 note="网页专栏未见本期内容")
    assert item.inspection_result == InspectionResult.PROBLEM
