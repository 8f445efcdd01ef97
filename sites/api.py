"""/api/v1/ endpoints of the designation workflow.

Thin: every queryset comes from the scoped selectors, every change calls sites.services, and every
"may this user" is a sites/rules.py permission. The same answers as the portal:

- out of the user's scope, or in scope but not the user's to act on (the municipal office or the
  leading group screening, a unit recommending itself, anyone but a county office or a unit
  creating) → 404, exactly like an id that does not exist, so nothing leaks;
- a rule refused the change (DomainError) → 400 with the field, via core/api.py.

Authentication answers 401 with `WWW-Authenticate: Token` for anonymous callers on
protected endpoints (token authentication is tried first, then the session).
Nothing is deleted through the API.
"""
import django_filters
from django import forms
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from qujing_disclosure.core.caching import cache_public_page
from qujing_disclosure.core.errors import NotPermitted

from . import services
from .filters import DesignationFilter
from .models import Application, Organization
from .selectors import (
    application_list_for,
    designation_directory,
    jurisdiction_list_for,
    organization_list_for,
    round_with_quotas_list_for,
)
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationMaterialSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    DecisionReasonSerializer,
    DesignationSerializer,
    JurisdictionSerializer,
    MaterialUploadSerializer,
    OrganizationSerializer,
    RejectReasonSerializer,
    RoundSerializer,
)

TAG_DIRECTORY = "目录 Directory"
TAG_APPLICATIONS = "申报 Applications"
TAG_SITES = "示范点 Sites"


def _require_perm(request, perm, obj=None):
    """May the user act on this (visible) object? If not it answers 404, like one out of scope
    (core/api.py turns NotPermitted into the one translated "not found")."""
    if not request.user.has_perm(perm, obj):
        raise NotPermitted()


# --- filters ---------------------------------------------------------------------------
# Ids are filtered as plain numbers, never as "choices": a choice filter would answer 400
# for an id that does not exist and 200 for one that exists out of scope, revealing it.
@extend_schema_field(OpenApiTypes.INT)
class _IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class OrganizationFilter(django_filters.FilterSet):
    jurisdiction = _IdFilter(field_name="jurisdiction_id", label=_("辖区"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"), max_length=120)

    class Meta:
        model = Organization
        fields = ["jurisdiction", "q"]


class ApplicationFilter(django_filters.FilterSet):
    round = _IdFilter(field_name="round_id", label=_("轮次"))
    organization = _IdFilter(field_name="organization_id", label=_("申报单位"))
    jurisdiction = _IdFilter(field_name="jurisdiction_id", label=_("辖区"))
    state = django_filters.MultipleChoiceFilter(choices=Application._meta.get_field("state").choices, label=_("状态"))

    class Meta:
        model = Application
        fields = ["round", "organization", "jurisdiction", "state"]


# --- read-only directories -------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(tags=[TAG_DIRECTORY], summary="辖区列表 / Jurisdictions"),
    retrieve=extend_schema(tags=[TAG_DIRECTORY], summary="辖区详情 / Jurisdiction"),
)
class JurisdictionViewSet(viewsets.ReadOnlyModelViewSet):
    """The city, its counties and the dispatched committees: public filter values."""

    serializer_class = JurisdictionSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return jurisdiction_list_for(self.request.user)


@extend_schema_view(
    list=extend_schema(tags=[TAG_DIRECTORY], summary="党组织列表 / Organisations (scoped)"),
    retrieve=extend_schema(tags=[TAG_DIRECTORY], summary="党组织详情 / Organisation"),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Units the user may see: all for staff, own jurisdiction for a county office, own unit for a unit."""

    serializer_class = OrganizationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return organization_list_for(self.request.user)


@extend_schema_view(
    list=extend_schema(tags=[TAG_DIRECTORY], summary="创建轮次列表 / Rounds with quotas"),
    retrieve=extend_schema(tags=[TAG_DIRECTORY], summary="创建轮次详情 / Round with quotas"),
)
class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Rounds with their quotas: slots, limit (slots × ratio, R2) and how many are recommended.

    Quotas are scoped like applications: staff see every jurisdiction's, a county office
    only its own (another county's recommendation count is its business), others none.
    """

    serializer_class = RoundSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        # One query for rounds, one for all their visible quotas with counts: constant whatever the size.
        return round_with_quotas_list_for(self.request.user)


# --- applications ----------------------------------------------------------------------
_reason_400 = OpenApiResponse(description="规则不允许（字段与中文说明）/ A rule refused the change")


@extend_schema_view(
    list=extend_schema(tags=[TAG_APPLICATIONS], summary="申报列表 / Applications (scoped)"),
    retrieve=extend_schema(tags=[TAG_APPLICATIONS], summary="申报详情 / Application"),
    create=extend_schema(
        tags=[TAG_APPLICATIONS], summary="新建申报（草稿）/ Create a draft application",
        request=ApplicationCreateSerializer, responses={201: ApplicationSerializer, 400: _reason_400},
    ),
    partial_update=extend_schema(
        tags=[TAG_APPLICATIONS], summary="修改草稿 / Edit a draft",
        request=ApplicationUpdateSerializer, responses={200: ApplicationSerializer, 400: _reason_400},
    ),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Applications the user may read (application_list_for); every change through sites.services."""

    serializer_class = ApplicationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = ApplicationFilter
    # PATCH only: a draft's text is edited field by field; nothing is ever deleted.
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return application_list_for(self.request.user).prefetch_related("materials")

    def _fresh(self, application):
        return self.get_queryset().get(pk=application.pk)

    def _respond(self, application, status_code=status.HTTP_200_OK):
        return Response(ApplicationSerializer(self._fresh(application), context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        _require_perm(request, "sites.add_application")
        serializer = ApplicationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The organisation field only offers the user's own units, so this holds; kept as a guard.
        _require_perm(request, "sites.create_application", data["organization"])
        application = services.application_create(
            actor=request.user, round_id=data["round"].pk, organization_id=data["organization"].pk,
            summary=data["summary"], contact_name=data["contact_name"], contact_phone=data["contact_phone"],
        )
        return self._respond(application, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        _require_perm(request, "sites.edit_application", application)
        serializer = ApplicationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {f: serializer.validated_data.get(f, getattr(application, f))
                  for f in ("summary", "contact_name", "contact_phone")}
        application = services.application_update(actor=request.user, application_id=application.pk, **values)
        return self._respond(application)

    @extend_schema(tags=[TAG_APPLICATIONS], summary="提交申报 / Submit", request=None,
                   responses={200: ApplicationSerializer, 400: _reason_400})
    def _decide(self, request, perm, serializer_class, service):
        """A transition that takes a reason: check, validate the reason, call the service."""
        application = self.get_object()
        _require_perm(request, perm, application)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = service(actor=request.user, application_id=application.pk, reason=serializer.validated_data["reason"])
        return self._respond(application)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        _require_perm(request, "sites.submit_application", application)
        application = services.application_submit(actor=request.user, application_id=application.pk)
        return self._respond(application)

    @extend_schema(tags=[TAG_APPLICATIONS], summary="推荐（R2 按比例限额）/ Recommend (within ratio × quota)",
                   request=DecisionReasonSerializer, responses={200: ApplicationSerializer, 400: _reason_400})
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        return self._decide(request, "sites.screen_application", DecisionReasonSerializer, services.application_recommend)

    @extend_schema(tags=[TAG_APPLICATIONS], summary="不推荐（须填理由，R3）/ Reject (reason required)",
                   request=RejectReasonSerializer, responses={200: ApplicationSerializer, 400: _reason_400})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, "sites.screen_application", RejectReasonSerializer, services.application_reject)

    @extend_schema(tags=[TAG_APPLICATIONS], summary="撤回申报 / Withdraw",
                   request=DecisionReasonSerializer, responses={200: ApplicationSerializer, 400: _reason_400})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._decide(request, "sites.withdraw_application", DecisionReasonSerializer, services.application_withdraw)

    @extend_schema(tags=[TAG_APPLICATIONS], summary="上传申报材料 / Upload a material",
                   request={"multipart/form-data": MaterialUploadSerializer},
                   responses={201: ApplicationMaterialSerializer, 400: _reason_400})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def materials(self, request, pk=None):
        application = self.get_object()
        _require_perm(request, "sites.edit_application", application)
        serializer = MaterialUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        material = services.application_add_material(
            actor=request.user, application_id=application.pk,
            title=serializer.validated_data["title"], uploaded_file=serializer.validated_data["file"],
        )
        return Response(ApplicationMaterialSerializer(material, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# --- public sites ----------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(tags=[TAG_SITES], summary="示范点目录 / Demonstration sites (public)"),
    retrieve=extend_schema(tags=[TAG_SITES], summary="示范点详情 / Demonstration site"),
)
@method_decorator(cache_public_page("sites"), name="list")
@method_decorator(cache_public_page("sites"), name="retrieve")
class DesignationViewSet(viewsets.ReadOnlyModelViewSet):
    """Every demonstration site, active and revoked (R10), with the public directory's filters.

    Anonymous reads are cached like the public pages (core/caching.py)."""

    serializer_class = DesignationSerializer
    permission_classes = [AllowAny]
    filterset_class = DesignationFilter

    def get_queryset(self):
        return designation_directory()


def register(router):
    """Add this app's API viewsets to the /api/v1/ router."""
    router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
    router.register("organizations", OrganizationViewSet, basename="organization")
    router.register("rounds", RoundViewSet, basename="round")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("sites", DesignationViewSet, basename="site")
