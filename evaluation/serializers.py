"""Serializers of the /api/v1/evaluation/… endpoints: what each resource shows and what each action takes.

Read serializers are read-only (writes go through evaluation.services with the input serializers'
validated data); what a user may see of a row is asked of the rules (`evaluation.read_materials`,
`evaluation.view_candidate_results`), never decided here by role.
"""
import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from . import selectors
from .enums import CandidateKind, DeliberationDecision, ObjectionState
from .models import (
    Assignment,
    Candidate,
    CaseStory,
    Criterion,
    Deliberation,
    DemocraticEvaluation,
    EvaluationTable,
    Evidence,
    Inspection,
    Objection,
    Publicity,
    Score,
    Scorecard,
    SubsidyPayment,
    Team,
)


class CriterionSerializer(serializers.ModelSerializer):
    method_labels = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=_("考评方式的名称（R4）"))

    class Meta:
        model = Criterion
        fields = ["id", "group", "name", "max_points", "guidance", "methods", "method_labels", "rules", "fed_by_democratic", "order"]
        read_only_fields = fields


class EvaluationTableSerializer(serializers.ModelSerializer):
    """A round's quantitative evaluation table with its criteria: maxima, allowed methods (R4), guidance."""

    total_points = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    pass_mark = serializers.DecimalField(source="round.pass_mark", max_digits=5, decimal_places=2, read_only=True)
    locked = serializers.SerializerMethodField(help_text=_("已有提交的评分，考评表不能再修改"))
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = EvaluationTable
        fields = ["id", "round", "title", "note", "total_points", "pass_mark", "locked", "criteria"]
        read_only_fields = fields

    def get_locked(self, obj) -> bool:
        return selectors.table_is_locked(obj)


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "criterion", "title", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.file.url


class EvidenceInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    criterion = serializers.IntegerField(required=False, allow_null=True, help_text=_("所佐证的考评项目（可选）"))


class SuggestionSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    suggested_points = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("民主测评满意率 × 该项分值（R19）"))


class ScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "criterion_name", "points", "methods", "notes"]
        read_only_fields = fields


class ScorecardSerializer(serializers.ModelSerializer):
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "state", "total", "submitted_at", "reopen_reason", "scores"]
        read_only_fields = fields


class OwnScorecardSerializer(ScorecardSerializer):
    """One's own scorecard (and staff's view of it): with the evidence files."""

    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(ScorecardSerializer.Meta):
        fields = [*ScorecardSerializer.Meta.fields, "evidence"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="candidate.organization.name", read_only=True)
    jurisdiction = serializers.CharField(source="candidate.jurisdiction.name", read_only=True)
    round = serializers.IntegerField(source="candidate.round_id", read_only=True)
    evaluator_name = serializers.SerializerMethodField()
    scorecard = serializers.SerializerMethodField()
    suggested_points = serializers.SerializerMethodField(help_text=_("民主测评折算的建议得分（R19），声明无利益冲突后可见"))

    class Meta:
        model = Assignment
        fields = ["id", "candidate", "round", "organization", "jurisdiction", "evaluator", "evaluator_name", "state", "declared_at",
                  "withdrawn_at", "withdraw_reason", "scorecard", "suggested_points"]
        read_only_fields = fields

    def get_evaluator_name(self, obj) -> str:
        return str(obj.evaluator)

    @extend_schema_field(OwnScorecardSerializer(allow_null=True))
    def get_scorecard(self, obj):
        card = getattr(obj, "scorecard", None) if hasattr(obj, "scorecard") else None
        return OwnScorecardSerializer(card, context=self.context).data if card else None

    @extend_schema_field(SuggestionSerializer(many=True))
    def get_suggested_points(self, obj):
        # Like the materials, the democratic evaluation opens once no conflict is declared (R5); staff always.
        if not self.context["request"].user.has_perm("evaluation.read_materials", obj):
            return []
        criteria = self.context.get("criteria", {}).get(obj.candidate.round_id)
        if criteria is None:
            criteria = list(Criterion.objects.filter(table__round_id=obj.candidate.round_id))
        rows = [{"criterion": pk, "suggested_points": value} for pk, value in selectors.suggested_points(obj.candidate, criteria).items()]
        return SuggestionSerializer(rows, many=True).data


class AssignmentCreateSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    evaluator = serializers.IntegerField()


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DeclarationSerializer(serializers.Serializer):
    conflict = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    methods = serializers.ListField(child=serializers.CharField(max_length=20), allow_empty=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ScorecardInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True)


class CandidateSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    jurisdiction = serializers.CharField(source="jurisdiction.name", read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = ["id", "round", "kind", "application", "designation", "organization", "jurisdiction", "team", "outcome", "results"]
        read_only_fields = fields

    def get_results(self, obj) -> dict | None:
        """Panel results: staff always; a county office once published; an evaluator never here."""
        user = self.context["request"].user
        if not user.has_perm("evaluation.view_candidate_results", obj):
            return None
        agg = selectors.candidate_aggregate(obj)
        democratic = getattr(obj, "democratic", None) if hasattr(obj, "democratic") else None
        return {
            "score": agg and str(agg["score"]), "median": agg and str(agg["median"]), "spread": agg and str(agg["spread"]),
            "evaluators": agg and agg["n"], "trimmed": agg and agg["trimmed"],
            "satisfaction_rate": democratic and democratic.satisfaction_rate and str(democratic.satisfaction_rate),
            "application_state": obj.application.state if obj.application_id else None,
        }


class PublicityEntrySerializer(serializers.Serializer):
    organization = serializers.CharField(source="application.organization.name")
    jurisdiction = serializers.CharField(source="application.jurisdiction.name")
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    entry = serializers.IntegerField(source="pk")


class PublicitySerializer(serializers.ModelSerializer):
    round = serializers.CharField(source="round.name")
    level = serializers.CharField(source="round.level")
    entries = PublicityEntrySerializer(many=True)

    class Meta:
        model = Publicity
        fields = ["id", "round", "level", "starts_on", "ends_on", "entries"]
        read_only_fields = fields


class ObjectionCreateSerializer(serializers.Serializer):
    publicity = serializers.IntegerField()
    entry = serializers.IntegerField(required=False, allow_null=True)
    content = serializers.CharField(max_length=3000)
    objector_name = serializers.CharField(required=False, allow_blank=True, max_length=40)
    objector_contact = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ObjectionReceiptSerializer(serializers.Serializer):
    """What the objector gets back: the receipt code to read the answer by (R8)."""

    code = serializers.CharField()
    state = serializers.ChoiceField(choices=ObjectionState.choices)


class ObjectionStaffSerializer(serializers.ModelSerializer):
    """Staff only: includes the objector's contact details and the deadline."""

    due = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = ["id", "code", "publicity", "entry", "content", "objector_name", "objector_contact", "state",
                  "received_at", "received_on", "investigation", "reply", "answered_at", "due", "overdue"]
        read_only_fields = fields

    def get_due(self, obj) -> datetime.date | None:
        return obj.deadline.due if hasattr(obj, "deadline") else None

    def get_overdue(self, obj) -> bool | None:
        return getattr(obj, "overdue", None)


class InvestigateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class ObjectionAnswerSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reply = serializers.CharField(max_length=3000)
    investigation = serializers.CharField(required=False, allow_blank=True)


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = ["id", "organization", "jurisdiction", "kind", "inspected_on", "inspectors", "findings", "rating", "rectification_due", "rectified_on"]
        read_only_fields = ["id", "jurisdiction", "rectified_on"]


class CriteriaByRound(dict):
    """The criteria of each round, loaded once per request (suggested points of many assignments)."""

    def get(self, round_id, default=None):
        if round_id not in self:
            self[round_id] = list(Criterion.objects.filter(table__round_id=round_id))
        return self[round_id]


class TeamAssignSerializer(serializers.Serializer):
    team = serializers.IntegerField(allow_null=True, help_text=_("考评组编号；为空表示取消分配"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class TeamAssignResultSerializer(serializers.Serializer):
    assigned = serializers.ListField(child=serializers.IntegerField(), help_text=_("已分配的考评人员"))
    skipped = serializers.ListField(child=serializers.CharField(), help_text=_("因利益冲突未分配的原因（R5）"))


class RoundRefSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class DeliberationSerializer(serializers.ModelSerializer):
    applications = serializers.ListField(source="application_ids", child=serializers.IntegerField(), read_only=True)
    minutes_url = serializers.SerializerMethodField()

    class Meta:
        model = Deliberation
        fields = ["id", "round", "meeting_date", "attendees", "decision", "notes", "applications", "minutes_url", "recorded_at"]
        read_only_fields = fields

    def get_minutes_url(self, obj) -> str | None:
        if not obj.minutes:
            return None
        return reverse("evaluation-deliberation-minutes", args=[obj.pk], request=self.context.get("request"))


class DeliberationInputSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    attendees = serializers.CharField(max_length=2000)
    decision = serializers.ChoiceField(choices=DeliberationDecision.choices)
    notes = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.FileField(required=False, allow_null=True, help_text=_("会议纪要文件（multipart）"))


class PublicityInputSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class AwardInputSerializer(serializers.Serializer):
    awarded_on = serializers.DateField(required=False)


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    decision_ref = serializers.CharField(max_length=80)
    decided_on = serializers.DateField(required=False)
    plaque_recalled_on = serializers.DateField(required=False, allow_null=True)


class SubsidySerializer(serializers.ModelSerializer):
    plaque_number = serializers.CharField(source="designation.plaque_number", read_only=True)
    organization = serializers.CharField(source="designation.organization.name", read_only=True)

    class Meta:
        model = SubsidyPayment
        fields = ["id", "designation", "plaque_number", "organization", "amount", "state", "approved_at", "paid_at", "voucher"]
        read_only_fields = fields


class SubsidyStepSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["approved", "paid"])
    voucher = serializers.CharField(required=False, allow_blank=True, max_length=60)


class RankingAggregateSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=6, decimal_places=2, help_text=_("综合得分（5人及以上去掉最高分和最低分）"))
    mean = serializers.DecimalField(max_digits=6, decimal_places=2)
    median = serializers.DecimalField(max_digits=6, decimal_places=2)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2)
    evaluators = serializers.IntegerField(source="n")
    trimmed = serializers.BooleanField()


class RankingInspectionsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text=_("平均等次（好=4，较好=3，一般=2，差=1）"))


class DisclosureRecordSerializer(serializers.Serializer):
    """A unit's disclosure record over the last 12 months (R6, R20), from the disclosure app."""

    published = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, help_text=_("百分比"))
    missed = serializers.IntegerField()
    display_breaches = serializers.IntegerField(help_text=_("展示不足15天（R17）"))
    entries = serializers.IntegerField()
    entries_covered = serializers.IntegerField()
    coverage_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    feedback = serializers.IntegerField()
    feedback_answered_in_time = serializers.IntegerField()
    feedback_overdue = serializers.IntegerField()
    rectifications = serializers.IntegerField()
    rectifications_open = serializers.IntegerField()
    rectifications_overdue = serializers.IntegerField(help_text=_("逾期整改（R20）"))
    ratings = serializers.IntegerField()
    satisfaction_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, help_text=_("群众满意度百分比（R19）"))
    concerns = serializers.IntegerField()


class RankingRowSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate.pk")
    organization = serializers.CharField(source="candidate.organization_name")
    kind = serializers.ChoiceField(source="candidate.kind", choices=CandidateKind.choices)
    rank = serializers.IntegerField(allow_null=True, default=None)
    within_quota = serializers.BooleanField(allow_null=True, default=None)
    cut_after = serializers.BooleanField(default=False)
    aggregate = RankingAggregateSerializer(source="agg", allow_null=True)
    pending = serializers.IntegerField()
    below_pass_mark = serializers.BooleanField(source="below_pass")
    satisfaction_rate = serializers.DecimalField(source="satisfaction", max_digits=4, decimal_places=1, allow_null=True)
    inspections = RankingInspectionsSerializer(allow_null=True)
    disclosure_record = DisclosureRecordSerializer(source="disclosure", allow_null=True)
    status = serializers.CharField(source="candidate.status_label")


class RankingGroupSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField(source="jurisdiction.name")
    slots = serializers.IntegerField()
    candidates = serializers.SerializerMethodField()

    @extend_schema_field(RankingRowSerializer(many=True))
    def get_candidates(self, group):
        return RankingRowSerializer(group["new"] + group["reevaluation"], many=True).data


class RankingSerializer(serializers.Serializer):
    trim_from = serializers.IntegerField()
    groups = RankingGroupSerializer(many=True)


class CalibrationSerializer(serializers.Serializer):
    name = serializers.CharField()
    username = serializers.CharField()
    n = serializers.IntegerField()
    mean = serializers.FloatField(help_text=_("与考评组平均分的平均偏差"))
    mean_abs = serializers.FloatField()
    deviations = serializers.ListField(child=serializers.FloatField())


class TeamMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class TeamSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    candidates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "round", "name", "leader", "members", "candidates"]
        read_only_fields = fields

    @extend_schema_field(TeamMemberSerializer(many=True))
    def get_members(self, obj):
        return [{"id": m.pk, "username": m.username, "name": str(m)} for m in obj.members.all()]


class ImportResultSerializer(serializers.Serializer):
    cards = serializers.IntegerField(help_text=_("导入并提交的评分表份数"))


class SheetUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class DemocraticSerializer(serializers.ModelSerializer):
    # No uniqueness validator: posting again for the same candidate corrects its record (democratic_record).
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all())
    ballots = serializers.IntegerField(read_only=True)
    satisfaction_rate = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True, allow_null=True, help_text=_("百分比"))
    suggested_points = serializers.SerializerMethodField(help_text=_("“群众满意度”建议得分 = 满意率 × 该项分值（R19）"))

    class Meta:
        model = DemocraticEvaluation
        fields = ["id", "candidate", "held_on", "satisfied", "basically_satisfied", "dissatisfied", "ballots", "satisfaction_rate",
                  "suggested_points", "note", "recorded_at"]
        read_only_fields = ["id", "ballots", "satisfaction_rate", "suggested_points", "recorded_at"]

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_suggested_points(self, obj):
        fed = self.context.setdefault("fed_criteria", {})  # one query per round, not per row
        round_id = obj.candidate.round_id
        if round_id not in fed:
            fed[round_id] = Criterion.objects.filter(table__round_id=round_id, fed_by_democratic=True).first()
        value = selectors.democratic_suggestion(fed[round_id], obj)
        return None if value is None else f"{value:.2f}"


class StorySerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="designation.organization.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("draft 草稿 / published 已发布 / withdrawn 已撤下"))
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseStory
        fields = ["id", "designation", "organization", "title", "body", "photo_url", "status", "published_at"]
        read_only_fields = fields

    def get_photo_url(self, obj) -> str | None:
        return obj.photo.url if obj.photo else None


class StoryInputSerializer(serializers.Serializer):
    designation = serializers.IntegerField()
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)
    photo = serializers.FileField(required=False, allow_null=True)


class StoryUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)
    photo = serializers.FileField(required=False, allow_null=True)
