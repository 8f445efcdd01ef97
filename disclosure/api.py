"""/api/v1/disclosure/…: the same scoping and rules as the portal.

Reads start from the scoped selectors (out of scope → 404); writes call disclosure.services,
whose NotPermitted becomes 404 and DomainError 400 with the field (core/api.py).
The public endpoints (`disclosure/public/…`) read external items on display only and create
feedback and ratings, nothing more; their POSTs are rate-limited and honeypot-protected.
"""
from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from . import selectors, services
from . import serializers as s

TAG = "党务公开 Disclosure"
TAG_PUBLIC = "党务公开（公众） Public disclosure"


def _org_filter(request, qs):
    org = request.query_params.get("organization")
    if org is not None:
        if not org.isdigit():
            return qs.none()
        qs = qs.filter(organization_id=int(org))
    return qs


class _Scoped(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]

    def _run(self, serializer_class, func, **kwargs):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return func(actor=self.request.user, **kwargs, **data.validated_data)


@extend_schema(tags=[TAG])
class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.DisclosureCategorySerializer

    def get_queryset(self):
        return selectors.category_list()


@extend_schema(tags=[TAG])
class CarrierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.DisclosureCarrierSerializer

    def get_queryset(self):
        return _org_filter(self.request, selectors.carrier_list_for(self.request.user)).order_by("id")

    @extend_schema(request=s.DisclosureCarrierWriteSerializer, responses=s.DisclosureCarrierSerializer)
    def create(self, request):
        data = s.DisclosureCarrierWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("is_active", None)
        carrier = services.carrier_create(actor=request.user, organization_id=request.user.organization_id, **values)
        return Response(s.DisclosureCarrierSerializer(carrier).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DisclosureCarrierWriteSerializer, responses=s.DisclosureCarrierSerializer)
    def partial_update(self, request, pk=None):
        carrier = self.get_object()
        data = s.DisclosureCarrierWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        carrier = services.carrier_update(actor=request.user, carrier_id=carrier.pk, **data.validated_data)
        return Response(s.DisclosureCarrierSerializer(carrier).data)


@extend_schema(tags=[TAG])
class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.CatalogueEntrySerializer

    def get_queryset(self):
        return _org_filter(self.request, selectors.entry_list_for(self.request.user)).order_by("id")

    @extend_schema(request=s.CatalogueEntryWriteSerializer, responses=s.CatalogueEntrySerializer)
    def create(self, request):
        data = s.CatalogueEntryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v.pop("is_active", None)
        entry = services.entry_create(
            actor=request.user, organization_id=request.user.organization_id, category_id=v.pop("category"),
            carrier_ids=v.pop("carriers"), **v,
        )
        return Response(s.CatalogueEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CatalogueEntryWriteSerializer, responses=s.CatalogueEntrySerializer)
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = s.CatalogueEntryWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if "category" in v:
            v["category_id"] = v.pop("category")
        carriers = v.pop("carriers", None)
        carrier_ids = carriers if "carriers" in request.data else None
        entry = services.entry_update(actor=request.user, entry_id=entry.pk, carrier_ids=carrier_ids, **v)
        return Response(s.CatalogueEntrySerializer(selectors.entry_get_for(request.user, entry.pk)).data)


@extend_schema(tags=[TAG])
class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.DisclosureItemSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        qs = _org_filter(self.request, selectors.item_list_for(self.request.user)).prefetch_related("attachments")
        if self.action != "list":
            qs = qs.prefetch_related("evidence__carrier")
        state = self.request.query_params.get("state")
        if state:
            qs = qs.filter(state=state)
        return qs.order_by("-publish_on", "-id")

    def get_serializer_class(self):
        # One item, to users who may read it: with its proof of publication (never in public answers).
        return s.DisclosureItemSerializer if self.action == "list" else s.DisclosureItemDetailSerializer

    def _item(self, item):
        return Response(s.DisclosureItemDetailSerializer(selectors.item_get_for(self.request.user, item.pk)).data)

    @extend_schema(request=s.DisclosureItemWriteSerializer, responses=s.DisclosureItemDetailSerializer)
    def create(self, request):
        data = s.DisclosureItemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        item = services.item_create(actor=request.user, entry_id=v.pop("entry"), previous_id=v.pop("previous"),
                                    carrier_ids=v.pop("carriers", None), **v)
        response = self._item(item)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=s.DisclosureItemUpdateSerializer, responses=s.DisclosureItemDetailSerializer)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = s.DisclosureItemUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        item = services.item_update(actor=request.user, item_id=item.pk, carrier_ids=v.pop("carriers", None), **v)
        return self._item(item)

    @extend_schema(request=None, responses=s.DisclosureItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._item(services.item_submit(actor=request.user, item_id=self.get_object().pk))

    @extend_schema(request=s.DisclosureItemInitialReviewSerializer, responses=s.DisclosureItemDetailSerializer)
    @action(detail=True, methods=["post"], url_path="initial-review")
    def initial_review(self, request, pk=None):
        return self._item(self._run(s.DisclosureItemInitialReviewSerializer, services.item_initial_review, item_id=self.get_object().pk))

    @extend_schema(request=s.DisclosureItemReviewSerializer, responses=s.DisclosureItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._item(self._run(s.DisclosureItemReviewSerializer, services.item_review, item_id=self.get_object().pk))

    @extend_schema(request=None, responses=s.DisclosureItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._item(services.item_publish(actor=request.user, item_id=self.get_object().pk))

    @extend_schema(request=s.DisclosureReasonSerializer, responses=s.DisclosureItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._item(self._run(s.DisclosureReasonSerializer, services.item_withdraw, item_id=self.get_object().pk))

    @extend_schema(request=s.DisclosureReasonSerializer, responses=s.DisclosureItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._item(self._run(s.DisclosureReasonSerializer, services.item_archive, item_id=self.get_object().pk))

    @extend_schema(request=s.DisclosureItemInspectSerializer, responses=s.DisclosureItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        return self._item(self._run(s.DisclosureItemInspectSerializer, services.item_inspect, item_id=self.get_object().pk))

    @extend_schema(request=s.PublicationEvidenceUploadSerializer, responses=s.PublicationEvidenceSerializer)
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        data = s.PublicationEvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        evidence = services.item_record_evidence(
            actor=request.user, item_id=self.get_object().pk, carrier_id=v.pop("carrier"), uploaded_file=v.pop("file"), **v
        )
        return Response(s.PublicationEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DisclosureAttachmentUploadSerializer, responses=s.DisclosureAttachmentSerializer)
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        data = s.DisclosureAttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.item_add_attachment(actor=request.user, item_id=self.get_object().pk,
                                                  title=data.validated_data["title"],
                                                  uploaded_file=data.validated_data["file"])
        return Response(s.DisclosureAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class ExemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.DisclosureExemptionSerializer

    def get_queryset(self):
        qs = _org_filter(self.request, selectors.exemption_list_for(self.request.user))
        jurisdiction = self.request.query_params.get("jurisdiction")
        if jurisdiction and jurisdiction.isdigit():
            qs = qs.filter(jurisdiction_id=int(jurisdiction))
        return qs.order_by("review_by", "id")

    def create(self, request):
        data = s.DisclosureExemptionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exemption = services.exemption_create(actor=request.user, organization_id=request.user.organization_id,
                                              **data.validated_data)
        return Response(s.DisclosureExemptionSerializer(exemption).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DisclosureExemptionReviewSerializer, responses=s.DisclosureExemptionSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        exemption = self._run(s.DisclosureExemptionReviewSerializer, services.exemption_review, exemption_id=self.get_object().pk)
        return Response(s.DisclosureExemptionSerializer(exemption).data)


@extend_schema(tags=[TAG])
class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.DisclosureFeedbackSerializer

    def get_queryset(self):
        qs = _org_filter(self.request, selectors.feedback_list_for(self.request.user))
        state = self.request.query_params.get("state")
        if state:
            qs = qs.filter(state=state)
        return qs.order_by("-received_on", "-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.feedback_with_deadlines(page) if page is not None else page

    def get_object(self):
        return selectors.feedback_with_deadlines([super().get_object()])[0]

    @extend_schema(request=None, responses=s.DisclosureFeedbackSerializer)
    @action(detail=True, methods=["post"])
    def handling(self, request, pk=None):
        """Mark the feedback as being handled (办理中), as the portal does; answered feedback stays answered."""
        feedback = services.feedback_mark_handling(actor=request.user, feedback_id=self.get_object().pk)
        return Response(s.DisclosureFeedbackSerializer(selectors.feedback_with_deadlines([feedback])[0]).data)

    @extend_schema(request=s.DisclosureFeedbackAnswerSerializer, responses=s.DisclosureFeedbackSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        feedback = self._run(s.DisclosureFeedbackAnswerSerializer, services.feedback_answer, feedback_id=self.get_object().pk)
        return Response(s.DisclosureFeedbackSerializer(selectors.feedback_with_deadlines([feedback])[0]).data)


@extend_schema(tags=[TAG])
class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.DisclosureFindingSerializer

    def get_queryset(self):
        return _org_filter(self.request, selectors.finding_list_for(self.request.user)).order_by("-period", "-id")

    def create(self, request):
        data = s.DisclosureFindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        finding = services.finding_record(actor=request.user, organization_id=v["organization"].pk, kind=v["kind"],
                                          period=v["period"], description=v["description"])
        return Response(s.DisclosureFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RectificationNoticeSerializer, responses=s.DisclosureRectificationSerializer)
    @action(detail=True, methods=["post"], url_path="issue-notice")
    def issue_notice(self, request, pk=None):
        notice = self._run(s.RectificationNoticeSerializer, services.rectification_issue, finding_id=self.get_object().pk)
        return Response(s.DisclosureRectificationSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DisclosureReasonSerializer, responses=s.DisclosureFindingSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return Response(s.DisclosureFindingSerializer(
            self._run(s.DisclosureReasonSerializer, services.finding_dismiss, finding_id=self.get_object().pk)).data)


@extend_schema(tags=[TAG])
class RectificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.DisclosureRectificationSerializer

    def get_queryset(self):
        return _org_filter(self.request, selectors.rectification_list_for(self.request.user)).order_by("deadline", "id")

    def get_serializer_class(self):
        # One notice comes with its whole exchange of reports and send-backs (R20).
        return s.DisclosureRectificationSerializer if self.action == "list" else s.DisclosureRectificationDetailSerializer

    @extend_schema(request=s.RectificationReportSerializer, responses=s.DisclosureRectificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return Response(s.DisclosureRectificationDetailSerializer(
            self._run(s.RectificationReportSerializer, services.rectification_report, rectification_id=self.get_object().pk)).data)

    @extend_schema(request=s.RectificationCheckSerializer, responses=s.DisclosureRectificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return Response(s.DisclosureRectificationDetailSerializer(
            self._run(s.RectificationCheckSerializer, services.rectification_check, rectification_id=self.get_object().pk)).data)


@extend_schema(tags=[TAG])
class ReminderViewSet(mixins.ListModelMixin, _Scoped):
    """The organisation's reminders (window opening/closing, exemption reviews), newest first — what its
    portal dashboard shows. Other roles get an empty list."""

    serializer_class = s.DisclosureReminderSerializer

    def get_queryset(self):
        return selectors.reminder_list_for(self.request.user).order_by("-created_at", "-id")


@extend_schema(tags=[TAG])
class ComplianceViewSet(viewsets.ViewSet):
    """The compliance figures of the organisations in the office's scope (R20); `?jurisdiction=`, `?year=`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=s.OrganizationComplianceSerializer(many=True),
        parameters=[
            OpenApiParameter("jurisdiction", OpenApiTypes.INT, description="only this jurisdiction's organisations "
                             "(default: the whole scope; another county's id is 404 for a county office)"),
            OpenApiParameter("year", OpenApiTypes.INT, description="calendar year of the record (default: last 12 months)"),
        ],
    )
    def list(self, request):
        # The board's scoping: staff any jurisdiction, a county office its own, anyone else 404.
        year = request.query_params.get("year")
        return Response(selectors.compliance_list_for(
            request.user, jurisdiction=request.query_params.get("jurisdiction"),
            year=int(year) if year and year.isdigit() else None,
        ))


# --- public -----------------------------------------------------------------------------------
def _public_limit(request, *, group, rate):
    """django-ratelimit by client address for public POSTs (R18/R19 abuse)."""
    if is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True):
        raise Throttled(detail=_("提交过于频繁，请稍后再试。"))


@extend_schema(tags=[TAG_PUBLIC])
class PublicItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """External items now on display (never internal ones). `?organization=<id>`."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = s.PublicDisclosureItemSerializer

    def get_queryset(self):
        return _org_filter(self.request, selectors.item_list_public()).select_related("entry__category") \
            .prefetch_related("attachments").order_by("-published_on", "-id")


@extend_schema(tags=[TAG_PUBLIC])
class PublicCatalogueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The external lines of organisations' catalogues. `?organization=<id>`."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = s.PublicDisclosureEntrySerializer

    def get_queryset(self):
        return _org_filter(self.request, selectors.entry_list_public()).select_related("category") \
            .prefetch_related("carriers").order_by("id")


@extend_schema(tags=[TAG_PUBLIC])
class PublicFeedbackViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Leave feedback (R18) and get a receipt code; read the answer at `…/public/feedback/<code>/`."""

    permission_classes = [AllowAny]
    authentication_classes = []
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]{1,16}"
    serializer_class = s.PublicDisclosureFeedbackSerializer

    def get_object(self):
        return selectors.feedback_by_code(self.kwargs["code"])

    @extend_schema(parameters=[OpenApiParameter(
        "code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern="^[A-Za-z0-9]{1,16}$",
        description="the receipt code given when the feedback was left (case-insensitive)",
    )])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=s.PublicDisclosureFeedbackCreateSerializer, responses=s.PublicDisclosureFeedbackSerializer)
    def create(self, request):
        _public_limit(request, group="disclosure.feedback", rate=settings.DISCLOSURE_FEEDBACK_RATELIMIT)
        data = s.PublicDisclosureFeedbackCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if v.pop("website"):
            return Response({"detail": _("提交失败。")}, status=status.HTTP_400_BAD_REQUEST)
        feedback = services.feedback_submit(organization_id=v.pop("organization"), item_id=v.pop("item"), **v)
        return Response(s.PublicDisclosureFeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG_PUBLIC])
class PublicRatingViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Rate an organisation (R19): once per phone number per organisation per month."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = s.PublicSatisfactionRatingSerializer

    def create(self, request):
        _public_limit(request, group="disclosure.rating", rate=settings.DISCLOSURE_RATING_RATELIMIT)
        data = s.PublicSatisfactionRatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if v.pop("website"):
            return Response({"detail": _("提交失败。")}, status=status.HTTP_400_BAD_REQUEST)
        services.rating_submit(organization_id=v["organization"], phone=v["phone"], rating=v["rating"], comment=v["comment"])
        return Response({"organization": v["organization"], "rating": v["rating"]}, status=status.HTTP_201_CREATED)


def register(router):
    """Add this app's API viewsets to the /api/v1/ router (all under disclosure/…)."""
    router.register("disclosure/categories", CategoryViewSet, basename="disclosure-category")
    router.register("disclosure/carriers", CarrierViewSet, basename="disclosure-carrier")
    router.register("disclosure/catalogue", EntryViewSet, basename="disclosure-entry")
    router.register("disclosure/items", ItemViewSet, basename="disclosure-item")
    router.register("disclosure/exemptions", ExemptionViewSet, basename="disclosure-exemption")
    router.register("disclosure/feedback", FeedbackViewSet, basename="disclosure-feedback")
    router.register("disclosure/findings", FindingViewSet, basename="disclosure-finding")
    router.register("disclosure/rectifications", RectificationViewSet, basename="disclosure-rectification")
    router.register("disclosure/reminders", ReminderViewSet, basename="disclosure-reminder")
    router.register("disclosure/compliance", ComplianceViewSet, basename="disclosure-compliance")
    router.register("disclosure/public/items", PublicItemViewSet, basename="disclosure-public-item")
    router.register("disclosure/public/catalogue", PublicCatalogueViewSet, basename="disclosure-public-entry")
    router.register("disclosure/public/feedback", PublicFeedbackViewSet, basename="disclosure-public-feedback")
    router.register("disclosure/public/ratings", PublicRatingViewSet, basename="disclosure-public-rating")
