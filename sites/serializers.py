"""API serializers of the designation workflow (/api/v1/).

Every serializer lists its fields explicitly. Read serializers expose state and
bookkeeping as read-only; write serializers accept only the fields a user may set,
so posting `state`, `jurisdiction`, `created_by`, `decision_reason` (or
`organization` on update) is silently ignored. Writes go through sites.services.
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .enums import DesignationStatus, Level
from .models import (
    Application,
    ApplicationMaterial,
    Designation,
    Jurisdiction,
    Organization,
    Quota,
    Round,
)
from .selectors import organization_list_for, round_list_for


class JurisdictionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Jurisdiction
        fields = ["id", "name", "code", "kind", "kind_display", "parent", "sort_order"]
        read_only_fields = fields


class OrganizationSerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id", "name", "jurisdiction", "jurisdiction_name", "parent", "sector", "address",
            "contact_name", "contact_phone", "is_active",
        ]
        read_only_fields = fields


class QuotaSerializer(serializers.ModelSerializer):
    """R2: a jurisdiction's slots in a round, its recommendation limit (slots × ratio) and how many it used."""

    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    limit = serializers.SerializerMethodField(help_text=_("最多可推荐数（名额 × 推荐比例，R2）"))
    recommended = serializers.IntegerField(read_only=True, help_text=_("已推荐数（含后续考评中的申报）"))

    class Meta:
        model = Quota
        fields = ["jurisdiction", "jurisdiction_name", "slots", "limit", "recommended"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_limit(self, quota):
        # The ratio comes from the round in the serializer context, not from quota.round (no extra query).
        round_ = self.context.get("round")
        ratio = round_.ratio if round_ is not None else quota.round.ratio
        return quota.slots * ratio


class RoundSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    quotas = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id", "name", "year", "level", "level_display", "organizer", "organizer_name", "ratio",
            "applications_open_on", "applications_close_on", "screening_close_on",
            "status", "status_display", "pass_mark", "description", "quotas",
        ]
        read_only_fields = fields

    @extend_schema_field(QuotaSerializer(many=True))
    def get_quotas(self, round_):
        # `visible_quotas` is prefetched (and scoped) by the viewset.
        quotas = getattr(round_, "visible_quotas", [])
        return QuotaSerializer(quotas, many=True, context={**self.context, "round": round_}).data


class ApplicationMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationMaterial
        fields = ["id", "title", "file", "size", "content_type", "uploaded_at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    """What a reader sees of an application. Nothing here is writable."""

    round_name = serializers.CharField(source="round.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    materials = ApplicationMaterialSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "round", "round_name", "organization", "organization_name", "jurisdiction", "jurisdiction_name",
            "state", "state_display", "summary", "contact_name", "contact_phone", "decision_reason",
            "created_by", "created_at", "submitted_at", "decided_at", "updated_at", "materials",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class _ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key chosen among what the requesting user may see.

    An id outside the user's scope answers the same "invalid pk" 400 as an id that
    does not exist, so a neighbouring county's units cannot be discovered.
    """

    def __init__(self, *, scoped, **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scoped(getattr(request, "user", None))


class ApplicationCreateSerializer(serializers.Serializer):
    """R3: a unit (or its county office) applies in a round. The jurisdiction follows the unit."""

    round = _ScopedPrimaryKeyField(scoped=round_list_for, label=_("轮次"))
    organization = _ScopedPrimaryKeyField(scoped=organization_list_for, label=_("申报单位"))
    summary = serializers.CharField(label=_("创建工作情况"), max_length=5000)
    contact_name = serializers.CharField(label=_("联系人"), max_length=40)
    contact_phone = serializers.CharField(label=_("联系电话"), max_length=30)


class ApplicationUpdateSerializer(serializers.Serializer):
    """Only a draft's text may change; the unit, round and state never change here."""

    summary = serializers.CharField(label=_("创建工作情况"), max_length=5000, required=False)
    contact_name = serializers.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = serializers.CharField(label=_("联系电话"), max_length=30, required=False)


class DecisionReasonSerializer(serializers.Serializer):
    """Reason of a recommendation or a withdrawal (optional)."""

    reason = serializers.CharField(label=_("理由"), required=False, allow_blank=True, default="", max_length=2000)


class RejectReasonSerializer(serializers.Serializer):
    """R3: a rejection carries a reason; a blank one is refused by the service with field `reason`."""

    reason = serializers.CharField(
        label=_("理由"), required=False, allow_blank=True, default="", max_length=2000,
        help_text=_("必填：不推荐的理由（R3）"),
    )


class MaterialUploadSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("材料名称"), max_length=120, required=False, allow_blank=True, default="")
    file = serializers.FileField(label=_("文件"), help_text=_("PDF、图片或 Office/WPS 文件，大小不超过上限"))


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice field's value (cheaper than source="get_x_display" on long lists)."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        kwargs["read_only"] = True
        kwargs["source"] = kwargs.get("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class DesignationSerializer(serializers.ModelSerializer):
    """A demonstration site as the public sees it, revoked ones included (R10)."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    round_name = serializers.CharField(source="round.name", read_only=True)
    level_display = ChoiceLabelField(Level.choices, source="level")
    status_display = ChoiceLabelField(DesignationStatus.choices, source="status")

    class Meta:
        model = Designation
        fields = [
            "id", "organization", "organization_name", "jurisdiction", "jurisdiction_name", "round", "round_name",
            "level", "level_display", "title", "plaque_number", "subsidy_amount", "awarded_on",
            "status", "status_display", "revoked_on", "revoke_reason",
        ]
        read_only_fields = fields
