"""/api/v1/evaluation/… endpoints. Thin: scoped selectors for reads, evaluation.services for writes.

Scoping is the portal's: an evaluator reads and writes only their own assignments and scorecards;
a county office reads its candidates' results once the publicity opens; the public reads the
running publicity and creates objections, nothing more. Out of scope → 404; refused by a rule →
400 with the field (core/api.py).
"""
import datetime

from django.conf import settings
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from qujing_disclosure.core.access import in_own_jurisdiction, is_county, sees_everything

from . import selectors, services
from .enums import CandidateKind, DeliberationDecision, ObjectionState
from .models import Assignment, Candidate, Inspection, Objection, Publicity, Score, Scorecard, SubsidyPayment

TAG = "考评 Evaluation"


# --- serializers ----------------------------------------------------------------------------
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


class AssignmentSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="candidate.organization.name", read_only=True)
    jurisdiction = serializers.CharField(source="candidate.jurisdiction.name", read_only=True)
    round = serializers.IntegerField(source="candidate.round_id", read_only=True)
    scorecard = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "candidate", "round", "organization", "jurisdiction", "state", "declared_at", "scorecard"]
        read_only_fields = fields

    @extend_schema_field(ScorecardSerializer(allow_null=True))
    def get_scorecard(self, obj):
        card = getattr(obj, "scorecard", None) if hasattr(obj, "scorecard") else None
        return ScorecardSerializer(card).data if card else None


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
        fields = ["id", "round", "kind", "organization", "jurisdiction", "outcome", "results"]
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
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """An evaluator's own assignments; declare (R5), save and submit the scorecard (R4)."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.assignment_list_for(self.request.user).prefetch_related("scorecard__scores__criterion").order_by("pk")

    def _own(self):
        assignment = self.get_object()
        if assignment.evaluator_id != self.request.user.pk:
            raise NotFound()
        return assignment

    def _fresh(self, pk):
        return Response(AssignmentSerializer(self.get_queryset().get(pk=pk), context={"request": self.request}).data)

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

    @extend_schema(responses=ScorecardSerializer(many=True))
    @action(detail=True, methods=["get"])
    def panel(self, request, pk=None):
        """Other evaluators' scorecards for this candidate: only once one's own is submitted."""
        assignment = self.get_object()
        cards = selectors.panel_scorecards_for(request.user, assignment.candidate)
        return Response(ScorecardSerializer(cards, many=True).data)


@extend_schema(tags=[TAG])
class CandidateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CandidateSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.candidate_list_for(self.request.user).order_by("pk")


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
    """Anyone may create an objection (rate-limited); only staff read them, with contact details."""

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


class DeliberationInputSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    attendees = serializers.CharField(max_length=2000)
    decision = serializers.ChoiceField(choices=DeliberationDecision.choices)
    notes = serializers.CharField(required=False, allow_blank=True)


class PublicityInputSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class AwardInputSerializer(serializers.Serializer):
    awarded_on = serializers.DateField(required=False)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


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

    @extend_schema(request=DeliberationInputSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def deliberation(self, request, pk=None):
        round_ = self._managed("evaluation.record_deliberation")
        data = DeliberationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.deliberation_record(actor=request.user, round_id=round_.pk, **data.validated_data)
        return Response({"id": d.pk, "decision": d.decision, "applications": d.application_ids}, status=status.HTTP_201_CREATED)

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
