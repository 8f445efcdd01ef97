"""API of the evaluation itself: assignments and scorecards (R4, R5), candidates, tables, teams and their
paper score sheets, democratic evaluation (R19). Reads start from the scoped selectors; writes go through
evaluation.services, whose rules decide (NotPermitted answers 404, like an unknown id)."""
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from qujing_disclosure.core.access import require
from qujing_disclosure.core.models import User

from .. import exports, selectors, services
from ..imports import ImportRejected, scoresheet_import
from ..models import Team
from ..serializers import (
    AssignmentCreateSerializer,
    AssignmentSerializer,
    CandidateSerializer,
    CriteriaByRound,
    DeclarationSerializer,
    DemocraticSerializer,
    EvaluationTableSerializer,
    EvidenceInputSerializer,
    EvidenceSerializer,
    ImportResultSerializer,
    ReasonInputSerializer,
    ScorecardInputSerializer,
    ScorecardSerializer,
    SheetUploadSerializer,
    TeamAssignResultSerializer,
    TeamAssignSerializer,
    TeamSerializer,
)
from .common import TAG, XLSX


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
        context["criteria"] = CriteriaByRound()
        return context

    def _own(self):
        """The user's own assignment (scoring is the evaluator's, never staff's): 404 otherwise."""
        return selectors.assignment_get_for(self.request.user, self.kwargs["pk"], own=True)

    def _fresh(self, pk, status_code=status.HTTP_200_OK):
        return Response(AssignmentSerializer(self.get_queryset().get(pk=pk), context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        """Staff assign one evaluator to one candidate (never across a conflict of interest, R5)."""
        require(request.user, "evaluation.manage")
        data = AssignmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = selectors.candidate_list_for(request.user).filter(pk=data.validated_data["candidate"]).first()
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
        require(request.user, "evaluation.manage", candidate)
        data = TeamAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team_id = data.validated_data["team"]
        if team_id is not None and not selectors.team_list_for(request.user).filter(pk=team_id, round_id=candidate.round_id).exists():
            raise serializers.ValidationError({"team": [_("考评组不属于本轮。")]})
        assigned, skipped = services.candidate_assign_team(actor=request.user, candidate_id=candidate.pk, team_id=team_id,
                                                           reason=data.validated_data.get("reason", ""))
        return Response({"assigned": [a.evaluator_id for a in assigned], "skipped": [reason for _member, reason in skipped]})


@extend_schema(tags=[TAG])
class ScorecardReopenViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.Serializer

    def get_queryset(self):
        return selectors.scorecard_list_for(self.request.user)

    @extend_schema(request=ReasonInputSerializer, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.scorecard_reopen(actor=request.user, scorecard_id=self.get_object().pk, reason=data.validated_data["reason"])
        return Response(ScorecardSerializer(card).data)


@extend_schema(tags=[TAG])
class EvaluationTableViewSet(viewsets.ReadOnlyModelViewSet):
    """The round's quantitative evaluation table with its criteria: staff and the leading group read
    every table; an evaluator the tables of the rounds they are assigned in. Filter with ?round=."""

    serializer_class = EvaluationTableSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = selectors.table_list_for(self.request.user).order_by("pk")
        round_id = self.request.query_params.get("round")
        if round_id:
            qs = qs.filter(round_id=round_id if round_id.isdigit() else 0)
        return qs

    @extend_schema(parameters=[OpenApiParameter("round", int, description="轮次编号")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=[TAG])
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Evaluation teams (R5): staff and the leading group read every team, an evaluator the teams they
    belong to. The team's score sheet (Excel) is downloaded and uploaded by the municipal office and
    the team leader, as in the portal; the sheet shows a leader only what the web shows them (R4)."""

    serializer_class = TeamSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.team_list_for(self.request.user).prefetch_related("candidates").order_by("round_id", "name")

    def _sheet_team(self) -> Team:
        team = self.get_object()
        if not self.request.user.has_perm("evaluation.handle_scoresheet", team):
            raise NotFound()
        return team

    @extend_schema(responses=XLSX, request=None)
    @action(detail=True, methods=["get"], url_path="sheet")
    def sheet(self, request, pk=None):
        team = self._sheet_team()
        return exports.respond(exports.team_scoresheet_workbook(team, request.user), f"{team.round.name}-{team.name}-{gettext('评分表')}.xlsx")

    @extend_schema(request={"multipart/form-data": SheetUploadSerializer}, responses=ImportResultSerializer)
    @sheet.mapping.post
    def upload_sheet(self, request, pk=None):
        """All or nothing: on any problem 400 with `file` and `problems` (each by sheet, row and column)."""
        team = self._sheet_team()
        data = SheetUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            cards = scoresheet_import(actor=request.user, team_id=team.pk, uploaded_file=data.validated_data["file"])
        except ImportRejected as error:
            return Response({"file": [str(error.message)], "problems": [str(p) for p in error.problems], "code": error.code},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"cards": cards})


@extend_schema(tags=[TAG])
class DemocraticViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """民主测评 ballots (R4, R19): the municipal office records (and corrects) them; staff and the leading
    group read all, an evaluator those of candidates they declared no conflict for, a county office its
    own candidates' once the publicity opens."""

    serializer_class = DemocraticSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.democratic_list_for(self.request.user).order_by("pk")

    @extend_schema(request=DemocraticSerializer, responses={201: DemocraticSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "evaluation.manage")
        data = DemocraticSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        record = services.democratic_record(actor=request.user, candidate_id=v["candidate"].pk, held_on=v["held_on"], satisfied=v["satisfied"],
                                            basically_satisfied=v["basically_satisfied"], dissatisfied=v["dissatisfied"], note=v.get("note", ""))
        return Response(DemocraticSerializer(record).data, status=status.HTTP_201_CREATED)
