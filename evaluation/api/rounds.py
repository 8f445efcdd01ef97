"""API of the office's work on a round: ranking and calibration, the preliminary list (R2, R6), the
deliberation (R7), publicity (R8), award and subsidies (R9), re-evaluation (R10) and inspections (R20).
Reads start from the scoped selectors; writes go through evaluation.services."""
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from qujing_disclosure.core.access import require

from .. import exports, selectors, services
from ..serializers import (
    AwardInputSerializer,
    CalibrationSerializer,
    DeliberationInputSerializer,
    DeliberationSerializer,
    InspectionSerializer,
    PublicityInputSerializer,
    RankingSerializer,
    ReasonInputSerializer,
    RevokeInputSerializer,
    RoundRefSerializer,
    SubsidySerializer,
    SubsidyStepSerializer,
)
from .common import TAG, XLSX


@extend_schema(tags=[TAG])
class EvaluationRoundViewSet(viewsets.GenericViewSet):
    """Staff work on a round: ranking and calibration (office and leading group), the preliminary
    list (R2, R6), the deliberation (R7, also the leading group), publicity (R8) and award (R9)."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.Serializer

    def get_queryset(self):
        return selectors.evaluation_round_list_for(self.request.user)

    def _managed(self, perm="evaluation.manage"):
        round_ = self.get_object()
        require(self.request.user, perm, round_)
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
        return Response({"shortlist": selectors.current_list_ids(round_.pk)})

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
        return selectors.reevaluation_list_for(self.request.user)

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
class SubsidyViewSet(viewsets.ReadOnlyModelViewSet):
    """R9: subsidy payments and their steps (office only)."""

    serializer_class = SubsidySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.subsidy_list_for(self.request.user).order_by("pk")

    @extend_schema(request=SubsidyStepSerializer, responses=SubsidySerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        data = SubsidyStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.subsidy_advance(actor=request.user, payment_id=self.get_object().pk, **data.validated_data)
        return Response(SubsidySerializer(payment).data)


@extend_schema(tags=[TAG])
class DeliberationViewSet(viewsets.ReadOnlyModelViewSet):
    """R7: the leading group's recorded deliberations and their minutes file (the office and the group)."""

    serializer_class = DeliberationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.deliberation_list_for(self.request.user).order_by("-recorded_at", "-id")

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def minutes(self, request, pk=None):
        deliberation = self.get_object()
        if not deliberation.minutes:
            raise NotFound()
        return FileResponse(deliberation.minutes.open("rb"), as_attachment=True, filename=deliberation.minutes.name.rsplit("/", 1)[-1])


@extend_schema(tags=[TAG])
class InspectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """R20: staff and county offices (own jurisdiction) read and record inspections."""

    serializer_class = InspectionSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.inspection_list_for(self.request.user).order_by("-inspected_on", "-id")

    def create(self, request, *args, **kwargs):
        """Record an inspection of a unit the user may inspect (`evaluation.record_inspection`; others: 404)."""
        data = InspectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = services.inspection_record(
            actor=request.user, organization_id=v["organization"].pk, kind=v["kind"], inspected_on=v["inspected_on"],
            findings=v["findings"], rating=v["rating"], inspectors=v.get("inspectors", ""), rectification_due=v.get("rectification_due"))
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)
