"""/api/v1/evaluation/… endpoints. Thin: scoped selectors for reads, evaluation.services for writes.

Scoping is the portal's: an evaluator reads and writes only their own assignments and scorecards;
a county office reads its candidates' results once the publicity opens; the public reads the
running publicity and creates objections, nothing more. Out of scope → 404; refused by a rule →
400 with the field (core/api.py).
"""
import datetime

from django.conf import settings
from django.http import FileResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy as _
from django_ratelimit.decorators import ratelimit
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from qujing_disclosure.core.access import in_own_jurisdiction, is_county, is_evaluator, sees_everything
from qujing_disclosure.core.models import User
from sites.models import Designation

from . import selectors, services
from .enums import ASSIGNMENT_ACTIVE_STATES, AssignmentState, CandidateKind, DeliberationDecision, ObjectionState, StoryStatus
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

TAG = "考评 Evaluation"
XLSX = {(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY}


# --- serializers ----------------------------------------------------------------------------
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
        return services.table_is_locked(obj)


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
        if obj.state != AssignmentState.DECLARED and not sees_everything(self.context["request"].user):
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


# --- viewsets -------------------------------------------------------------------------------
@extend_schema(tags=[TAG])
class AssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """An evaluator's own assignments; declare (R5), save and submit the scorecard (R4), attach evidence.
    Staff read every assignment, assign an evaluator (R5 checked) and withdraw an assignment (recorded)."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (selectors.assignment_list_for(self.request.user).select_related("candidate__democratic")
                .prefetch_related("scorecard__scores__criterion", "scorecard__evidence").order_by("pk"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["criteria"] = _CriteriaByRound()
        return context

    def _own(self):
        assignment = self.get_object()
        if assignment.evaluator_id != self.request.user.pk:
            raise NotFound()
        return assignment

    def _fresh(self, pk, status_code=status.HTTP_200_OK):
        return Response(AssignmentSerializer(self.get_queryset().get(pk=pk), context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        """Staff assign one evaluator to one candidate (never across a conflict of interest, R5)."""
        if not request.user.has_perm("evaluation.manage"):
            raise NotFound()
        data = AssignmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = Candidate.objects.filter(pk=data.validated_data["candidate"]).first()
        evaluator = User.objects.filter(pk=data.validated_data["evaluator"]).first()
        if candidate is None:
            raise serializers.ValidationError({"candidate": [_("考评对象不存在。")]})
        if evaluator is None:
            raise serializers.ValidationError({"evaluator": [_("考评人员不存在。")]})
        assignment = services.assignment_create(actor=request.user, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
        return self._fresh(assignment.pk, status.HTTP_201_CREATED)

    @extend_schema(request=DeclarationSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        assignment = self._own()
        data = DeclarationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assignment_declare(actor=request.user, assignment_id=assignment.pk, conflict=data.validated_data["conflict"],
                                    note=data.validated_data.get("note", ""))
        return self._fresh(assignment.pk)

    @extend_schema(request=ScorecardInputSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["put"])
    def scorecard(self, request, pk=None):
        assignment = self._own()
        data = ScorecardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scores = {row["criterion"]: {"points": row["points"], "methods": row["methods"], "notes": row.get("notes", "")}
                  for row in data.validated_data["scores"]}
        services.scorecard_save(actor=request.user, assignment_id=assignment.pk, scores=scores)
        return self._fresh(assignment.pk)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assignment = self._own()
        services.scorecard_submit(actor=request.user, assignment_id=assignment.pk)
        return self._fresh(assignment.pk)

    @extend_schema(request={"multipart/form-data": EvidenceInputSerializer}, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        """Attach an evidence file to one's own draft scorecard, optionally for one criterion's score."""
        assignment = self._own()
        data = EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        evidence = services.evidence_add(actor=request.user, assignment_id=assignment.pk, uploaded_file=v["file"], title=v.get("title", ""),
                                         criterion_id=v.get("criterion"))
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonInputSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Staff take the evaluator off the candidate: recorded as withdrawn, with the reason."""
        assignment = self.get_object()
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assignment_withdraw(actor=request.user, assignment_id=assignment.pk, reason=data.validated_data["reason"])
        return self._fresh(assignment.pk)

    @extend_schema(responses=ScorecardSerializer(many=True))
    @action(detail=True, methods=["get"])
    def panel(self, request, pk=None):
        """Other evaluators' scorecards for this candidate: only once one's own is submitted."""
        assignment = self.get_object()
        cards = selectors.panel_scorecards_for(request.user, assignment.candidate)
        return Response(ScorecardSerializer(cards, many=True).data)


class _CriteriaByRound(dict):
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


@extend_schema(tags=[TAG])
class CandidateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CandidateSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.candidate_list_for(self.request.user).order_by("pk")

    @extend_schema(request=TeamAssignSerializer, responses=TeamAssignResultSerializer)
    @action(detail=True, methods=["post"])
    def team(self, request, pk=None):
        """Staff give the candidate to a team (its members are assigned, R5) or take it off its team.
        Assignments of evaluators not in the new team are withdrawn; refused while one of them has submitted."""
        candidate = self.get_object()
        if not request.user.has_perm("evaluation.manage"):
            raise NotFound()
        data = TeamAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team_id = data.validated_data["team"]
        if team_id is not None and not Team.objects.filter(pk=team_id, round_id=candidate.round_id).exists():
            raise serializers.ValidationError({"team": [_("考评组不属于本轮。")]})
        assigned, skipped = services.candidate_assign_team(actor=request.user, candidate_id=candidate.pk, team_id=team_id,
                                                           reason=data.validated_data.get("reason", ""))
        return Response({"assigned": [a.evaluator_id for a in assigned], "skipped": [reason for _member, reason in skipped]})


@extend_schema(tags=[TAG])
class PublicityViewSet(viewsets.ReadOnlyModelViewSet):
    """The running publicity (R8): readable by anyone."""

    serializer_class = PublicitySerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self):
        return selectors.publicity_current()


def _objection_rate(group, request):
    return settings.OBJECTION_RATELIMIT


@extend_schema(tags=[TAG])
class ObjectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Anyone may create an objection (rate-limited); only the municipal office reads and handles them,
    with the objector's contact details (R8); the leading group gets an empty list, 404 for one."""

    serializer_class = ObjectionStaffSerializer

    def get_permissions(self):
        return [AllowAny()] if self.action == "create" else [IsAuthenticated()]

    def get_queryset(self):
        return selectors.objection_list_for(self.request.user).order_by("-received_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        items = selectors.objections_with_deadlines(page)
        return self.get_paginated_response(ObjectionStaffSerializer(items, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        [item] = selectors.objections_with_deadlines([self.get_object()])
        return Response(ObjectionStaffSerializer(item).data)

    @extend_schema(request=ObjectionCreateSerializer, responses={201: ObjectionReceiptSerializer})
    @method_decorator(ratelimit(key="ip", rate=_objection_rate, method="POST", block=False))
    def create(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            raise Throttled(detail=_("提交过于频繁，请稍后再试。"))
        data = ObjectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        objection = services.objection_create(publicity_id=v["publicity"], entry_id=v.get("entry"), content=v["content"],
                                              objector_name=v.get("objector_name", ""), objector_contact=v.get("objector_contact", ""))
        return Response(ObjectionReceiptSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InvestigateSerializer, responses=ObjectionStaffSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        """Move the objection into investigation (R8), with the arrangement made."""
        objection = self.get_object()
        data = InvestigateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.objection_investigate(actor=request.user, objection_id=objection.pk, note=data.validated_data["note"])
        [item] = selectors.objections_with_deadlines([self.get_queryset().get(pk=objection.pk)])
        return Response(ObjectionStaffSerializer(item).data)

    @extend_schema(request=ObjectionAnswerSerializer, responses=ObjectionStaffSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        objection = self.get_object()
        data = ObjectionAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.objection_answer(actor=request.user, objection_id=objection.pk, **data.validated_data)
        [item] = selectors.objections_with_deadlines([self.get_queryset().get(pk=objection.pk)])
        return Response(ObjectionStaffSerializer(item).data)


@extend_schema(tags=[TAG])
class InspectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """R20: staff and county offices (own jurisdiction) read and record inspections."""

    serializer_class = InspectionSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = Inspection.objects.select_related("organization").order_by("-inspected_on", "-id")
        if sees_everything(self.request.user):
            return qs
        if is_county(self.request.user):
            return qs.filter(jurisdiction_id=self.request.user.jurisdiction_id)
        return qs.none()

    def create(self, request, *args, **kwargs):
        data = InspectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        organization = v["organization"]
        if not (sees_everything(request.user) or in_own_jurisdiction(request.user, organization)):
            raise NotFound()
        inspection = services.inspection_record(
            actor=request.user, organization_id=organization.pk, kind=v["kind"], inspected_on=v["inspected_on"],
            findings=v["findings"], rating=v["rating"], inspectors=v.get("inspectors", ""), rectification_due=v.get("rectification_due"))
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)


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


# --- ranking and calibration (read-only documents built from the selectors) -----------------
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


@extend_schema(tags=[TAG])
class EvaluationRoundViewSet(viewsets.GenericViewSet):
    """Staff work on a round: ranking and calibration (office and leading group), the preliminary
    list (R2, R6), the deliberation (R7, also the leading group), publicity (R8) and award (R9)."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.Serializer

    def get_queryset(self):
        from sites.models import Round

        return Round.objects.all() if self.request.user.has_perm("evaluation.view_ranking") else Round.objects.none()

    def _managed(self, perm="evaluation.manage"):
        round_ = self.get_object()
        if not self.request.user.has_perm(perm):
            raise NotFound()
        return round_

    @extend_schema(responses=RankingSerializer)
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """Per jurisdiction, each candidate's scores beside its inspection and disclosure records (R2, R6, R20)."""
        groups = selectors.ranking(self.get_object())
        return Response(RankingSerializer({"trim_from": settings.EVALUATION_TRIM_FROM, "groups": groups}).data)

    @extend_schema(responses=CalibrationSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def calibration(self, request, pk=None):
        return Response(CalibrationSerializer(selectors.calibration(self.get_object()), many=True).data)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk=None):
        round_ = self._managed()
        services.table_create_default(actor=request.user, round_id=round_.pk)
        return Response({"created": services.candidates_sync(actor=request.user, round_id=round_.pk)})

    @extend_schema(request=RoundRefSerializer, responses=None)
    @action(detail=True, methods=["post"], url_path="shortlist/(?P<op>add|remove)")
    def shortlist(self, request, pk=None, op=None):
        round_ = self._managed()
        data = RoundRefSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not round_.applications.filter(pk=data.validated_data["application"]).exists():
            raise NotFound()
        if op == "add":
            services.shortlist_add(actor=request.user, application_id=data.validated_data["application"])
        else:
            services.shortlist_remove(actor=request.user, application_id=data.validated_data["application"],
                                      reason=data.validated_data.get("reason", ""))
        return Response({"shortlist": services.current_list_ids(round_.pk)})

    @extend_schema(request={"application/json": DeliberationInputSerializer, "multipart/form-data": DeliberationInputSerializer},
                   responses={201: DeliberationSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def deliberation(self, request, pk=None):
        """R7: record the leading group's meeting on the current list, with the minutes file (optional, multipart)."""
        round_ = self._managed("evaluation.record_deliberation")
        data = DeliberationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.deliberation_record(actor=request.user, round_id=round_.pk, **data.validated_data)
        return Response(DeliberationSerializer(d, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=XLSX)
    @action(detail=True, methods=["get"], url_path="export/(?P<kind>ranking|shortlist|roster)")
    def export(self, request, pk=None, kind=None):
        """The ranking, the preliminary list or the award roster as Excel (office and leading group)."""
        from . import exports

        round_ = self.get_object()
        builders = {"ranking": (exports.ranking_workbook, gettext("排名")), "shortlist": (exports.shortlist_workbook, gettext("初选名单")),
                    "roster": (exports.roster_workbook, gettext("授牌名册"))}
        builder, label = builders[kind]
        return exports.respond(builder(round_), f"{round_.name}-{label}.xlsx")

    @extend_schema(request=PublicityInputSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def publicity(self, request, pk=None):
        round_ = self._managed()
        data = PublicityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        p = services.publicity_open(actor=request.user, round_id=round_.pk, **data.validated_data)
        return Response({"id": p.pk, "starts_on": p.starts_on, "ends_on": p.ends_on}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonInputSerializer, responses=None)
    @action(detail=True, methods=["post"], url_path="publicity/withdraw")
    def withdraw_publicity(self, request, pk=None):
        round_ = self._managed()
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.publicity_withdraw(actor=request.user, round_id=round_.pk, reason=data.validated_data["reason"])
        return Response({"status": "evaluating"})

    @extend_schema(request=AwardInputSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        round_ = self._managed()
        data = AwardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        designations = services.round_award(actor=request.user, round_id=round_.pk, awarded_on=data.validated_data.get("awarded_on"))
        return Response({"designations": [{"id": d.pk, "plaque_number": d.plaque_number, "subsidy": str(d.subsidy_amount)} for d in designations]})


@extend_schema(tags=[TAG])
class ReevaluationViewSet(viewsets.GenericViewSet):
    """R10: decide a re-evaluated site — keep the title, or revoke it with the decision."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.Serializer

    def get_queryset(self):
        qs = Candidate.objects.filter(kind="reevaluation")
        return qs if self.request.user.has_perm("evaluation.manage") else qs.none()

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def retain(self, request, pk=None):
        candidate = services.reevaluation_retain(actor=request.user, candidate_id=self.get_object().pk)
        return Response({"outcome": candidate.outcome})

    @extend_schema(request=RevokeInputSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        candidate = self.get_object()
        data = RevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revocation = services.designation_revoke_with_decision(actor=request.user, designation_id=candidate.designation_id,
                                                               candidate_id=candidate.pk, **data.validated_data)
        return Response({"designation": revocation.designation_id, "decision_ref": revocation.decision_ref, "score": str(revocation.score)})


@extend_schema(tags=[TAG])
class ScorecardReopenViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.Serializer

    def get_queryset(self):
        return Scorecard.objects.all() if self.request.user.has_perm("evaluation.manage") else Scorecard.objects.none()

    @extend_schema(request=ReasonInputSerializer, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.scorecard_reopen(actor=request.user, scorecard_id=self.get_object().pk, reason=data.validated_data["reason"])
        return Response(ScorecardSerializer(card).data)


@extend_schema(tags=[TAG])
class SubsidyViewSet(viewsets.ReadOnlyModelViewSet):
    """R9: subsidy payments and their steps (office only)."""

    serializer_class = SubsidySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = SubsidyPayment.objects.select_related("designation__organization").order_by("pk")
        return qs if self.request.user.has_perm("evaluation.manage") else qs.none()

    @extend_schema(request=SubsidyStepSerializer, responses=SubsidySerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        data = SubsidyStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.subsidy_advance(actor=request.user, payment_id=self.get_object().pk, **data.validated_data)
        return Response(SubsidySerializer(payment).data)


# --- the table, teams and their score sheets --------------------------------------------------
@extend_schema(tags=[TAG])
class EvaluationTableViewSet(viewsets.ReadOnlyModelViewSet):
    """The round's quantitative evaluation table with its criteria: staff and the leading group read
    every table; an evaluator the tables of the rounds they are assigned in. Filter with ?round=."""

    serializer_class = EvaluationTableSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        qs = EvaluationTable.objects.select_related("round").prefetch_related("criteria").order_by("pk")
        if not sees_everything(user):
            rounds = selectors.assignment_list_for(user).filter(state__in=ASSIGNMENT_ACTIVE_STATES).values("candidate__round_id")
            qs = qs.filter(round_id__in=rounds)
        round_id = self.request.query_params.get("round")
        if round_id:
            qs = qs.filter(round_id=round_id if round_id.isdigit() else 0)
        return qs

    @extend_schema(parameters=[OpenApiParameter("round", int, description="轮次编号")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


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


@extend_schema(tags=[TAG])
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Evaluation teams (R5): staff and the leading group read every team, an evaluator the teams they
    belong to. The team's score sheet (Excel) is downloaded and uploaded by the municipal office and
    the team leader, as in the portal; the sheet shows a leader only what the web shows them (R4)."""

    serializer_class = TeamSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        qs = Team.objects.select_related("round").prefetch_related("members", "candidates").order_by("round_id", "name")
        if sees_everything(user):
            return qs
        if is_evaluator(user):
            return qs.filter(members=user)
        return qs.none()

    def _sheet_team(self):
        team = self.get_object()
        if not (self.request.user.has_perm("evaluation.manage") or team.leader_id == self.request.user.pk):
            raise NotFound()
        return team

    @extend_schema(responses=XLSX, request=None)
    @action(detail=True, methods=["get"], url_path="sheet")
    def sheet(self, request, pk=None):
        from . import exports

        team = self._sheet_team()
        return exports.respond(exports.team_scoresheet_workbook(team, request.user), f"{team.round.name}-{team.name}-{gettext('评分表')}.xlsx")

    @extend_schema(request={"multipart/form-data": SheetUploadSerializer}, responses=ImportResultSerializer)
    @sheet.mapping.post
    def upload_sheet(self, request, pk=None):
        """All or nothing: on any problem 400 with `file` and `problems` (each by sheet, row and column)."""
        from .imports import ImportRejected, scoresheet_import

        team = self._sheet_team()
        data = SheetUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            cards = scoresheet_import(actor=request.user, team_id=team.pk, uploaded_file=data.validated_data["file"])
        except ImportRejected as error:
            return Response({"file": [str(error.message)], "problems": [str(p) for p in error.problems], "code": error.code},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"cards": cards})


# --- democratic evaluation ----------------------------------------------------------------------
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


@extend_schema(tags=[TAG])
class DemocraticViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """民主测评 ballots (R4, R19): the municipal office records (and corrects) them; staff and the leading
    group read all, an evaluator those of candidates they declared no conflict for, a county office its
    own candidates' once the publicity opens."""

    serializer_class = DemocraticSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        qs = DemocraticEvaluation.objects.select_related("candidate__round").order_by("pk")
        if is_evaluator(user):
            return qs.filter(candidate__in=Assignment.objects.filter(evaluator=user, state=AssignmentState.DECLARED).values("candidate_id"))
        return qs.filter(candidate__in=selectors.candidate_list_for(user).values("pk"))

    @extend_schema(request=DemocraticSerializer, responses={201: DemocraticSerializer})
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("evaluation.manage"):
            raise NotFound()
        data = DemocraticSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        record = services.democratic_record(actor=request.user, candidate_id=v["candidate"].pk, held_on=v["held_on"], satisfied=v["satisfied"],
                                            basically_satisfied=v["basically_satisfied"], dissatisfied=v["dissatisfied"], note=v.get("note", ""))
        return Response(DemocraticSerializer(record).data, status=status.HTTP_201_CREATED)


# --- case stories (R8a) ---------------------------------------------------------------------------
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


@extend_schema(tags=[TAG])
class StoryViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """R8a: anyone reads the published case stories; the municipal office writes, publishes and takes them down."""

    serializer_class = StorySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_permissions(self):
        return [AllowAny()] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    def get_queryset(self):
        return selectors.story_list_for(self.request.user)

    def _staff(self):
        if not self.request.user.has_perm("evaluation.manage"):
            raise NotFound()

    @extend_schema(request={"multipart/form-data": StoryInputSerializer, "application/json": StoryInputSerializer}, responses={201: StorySerializer})
    def create(self, request, *args, **kwargs):
        self._staff()
        data = StoryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if not Designation.objects.filter(pk=v["designation"]).exists():
            raise serializers.ValidationError({"designation": [_("示范点不存在。")]})
        story = services.story_save(actor=request.user, designation_id=v["designation"], title=v["title"], body=v["body"], photo=v.get("photo"))
        return Response(StorySerializer(story).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": StoryUpdateSerializer, "application/json": StoryUpdateSerializer}, responses=StorySerializer)
    def update(self, request, *args, **kwargs):
        self._staff()
        story = self.get_object()
        data = StoryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        story = services.story_save(actor=request.user, designation_id=story.designation_id, title=v["title"], body=v["body"],
                                    photo=v.get("photo"), story_id=story.pk)
        return Response(StorySerializer(story).data)

    @extend_schema(request=None, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        self._staff()
        return Response(StorySerializer(services.story_set_status(actor=request.user, story_id=self.get_object().pk,
                                                                  status=StoryStatus.PUBLISHED)).data)

    @extend_schema(request=None, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        self._staff()
        return Response(StorySerializer(services.story_set_status(actor=request.user, story_id=self.get_object().pk,
                                                                  status=StoryStatus.WITHDRAWN)).data)


# --- the leading group's deliberations (R7) ----------------------------------------------------
@extend_schema(tags=[TAG])
class DeliberationViewSet(viewsets.ReadOnlyModelViewSet):
    """R7: the leading group's recorded deliberations and their minutes file (the office and the group)."""

    serializer_class = DeliberationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = Deliberation.objects.order_by("-recorded_at", "-id")
        return qs if sees_everything(self.request.user) else qs.none()

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def minutes(self, request, pk=None):
        deliberation = self.get_object()
        if not deliberation.minutes:
            raise NotFound()
        return FileResponse(deliberation.minutes.open("rb"), as_attachment=True, filename=deliberation.minutes.name.rsplit("/", 1)[-1])


def register(router):
    """Add this app's API viewsets to the /api/v1/ router."""
    router.register("evaluation/assignments", AssignmentViewSet, basename="evaluation-assignment")
    router.register("evaluation/candidates", CandidateViewSet, basename="evaluation-candidate")
    router.register("evaluation/publicity", PublicityViewSet, basename="evaluation-publicity")
    router.register("evaluation/objections", ObjectionViewSet, basename="evaluation-objection")
    router.register("evaluation/inspections", InspectionViewSet, basename="evaluation-inspection")
    router.register("evaluation/rounds", EvaluationRoundViewSet, basename="evaluation-round")
    router.register("evaluation/reevaluations", ReevaluationViewSet, basename="evaluation-reevaluation")
    router.register("evaluation/scorecards", ScorecardReopenViewSet, basename="evaluation-scorecard")
    router.register("evaluation/subsidies", SubsidyViewSet, basename="evaluation-subsidy")
    router.register("evaluation/tables", EvaluationTableViewSet, basename="evaluation-table")
    router.register("evaluation/teams", TeamViewSet, basename="evaluation-team")
    router.register("evaluation/democratic", DemocraticViewSet, basename="evaluation-democratic")
    router.register("evaluation/stories", StoryViewSet, basename="evaluation-story")
    router.register("evaluation/deliberations", DeliberationViewSet, basename="evaluation-deliberation")
