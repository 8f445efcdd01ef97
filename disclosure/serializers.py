"""API serializers of the disclosure work. Every serializer lists its fields; state and bookkeeping
are read-only, so posting `state`, `organization`, `published_on`… changes nothing."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qujing_disclosure.core.audit import history_for

from .enums import (
    Cadence,
    CarrierKind,
    ComplianceMark,
    EvidenceKind,
    Field,
    FindingKind,
    Form,
    InspectionResult,
    Satisfaction,
    Scope,
    TimeType,
)
from .models import (
    Attachment,
    Carrier,
    CatalogueEntry,
    Category,
    Evidence,
    Exemption,
    Feedback,
    Finding,
    Item,
    Rectification,
    Reminder,
)
from .selectors import carriers_without_evidence, rectification_exchange


class DisclosureCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "description", "sort_order"]
        read_only_fields = fields


class DisclosureCarrierSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Carrier
        fields = ["id", "organization", "kind", "kind_display", "name", "location", "url", "handle", "maintainer", "note",
                  "is_active"]
        read_only_fields = ["id", "organization", "kind_display", "is_active"]


class DisclosureCarrierWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CarrierKind.choices)
    name = serializers.CharField(max_length=100)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                     help_text="where it is (required for boards, screens and kiosks, R12)")
    url = serializers.URLField(required=False, allow_blank=True, default="")
    handle = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                   help_text="account name/handle (required for kind=account, R12)")
    maintainer = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False)


class CatalogueEntrySerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    carriers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CatalogueEntry
        fields = ["id", "organization", "category", "category_name", "title", "description", "field", "scope", "forms",
                  "carriers", "time_type", "cadence", "is_active"]
        read_only_fields = fields


class CatalogueEntryWriteSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    field = serializers.ChoiceField(choices=Field.choices, default=Field.PARTY)
    scope = serializers.ChoiceField(choices=Scope.choices)
    forms = serializers.ListField(child=serializers.ChoiceField(choices=Form.choices), required=False, default=list)
    carriers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    time_type = serializers.ChoiceField(choices=TimeType.choices)
    cadence = serializers.ChoiceField(choices=Cadence.choices)
    is_active = serializers.BooleanField(required=False)


class DisclosureAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="file", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "title", "url", "size", "uploaded_at"]
        read_only_fields = fields


class PublicationEvidenceSerializer(serializers.ModelSerializer):
    """Proof of publication on one carrier. Never part of a public answer."""

    url = serializers.FileField(source="file", read_only=True)
    carrier_name = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "carrier", "carrier_name", "kind", "url", "sms_count", "note", "recorded_at"]
        read_only_fields = fields

    def get_carrier_name(self, obj) -> str | None:
        return str(obj.carrier) if obj.carrier_id else None


class DisclosureItemSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    carriers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    attachments = DisclosureAttachmentSerializer(many=True, read_only=True)
    on_time = serializers.BooleanField(read_only=True)
    display_end = serializers.DateField(
        read_only=True, allow_null=True,
        help_text="last day on display (China time): display_until, but never fewer than 15 days after the actual "
                  "publication (R17); null for long-term items without an end",
    )

    class Meta:
        model = Item
        fields = [
            "id", "organization", "entry", "previous", "series", "title", "content", "field", "scope", "forms",
            "carriers", "time_type", "publish_on", "display_until", "display_end", "due_by", "state", "state_display",
            "return_reason", "published_on", "on_time", "superseded", "inspection_result", "inspection_note",
            "ended_on", "attachments", "created_at",
        ]
        read_only_fields = fields


class DisclosureItemDetailSerializer(DisclosureItemSerializer):
    """One item for the users who may read it: with its proof of publication per carrier (R14 step 3)."""

    evidence = PublicationEvidenceSerializer(many=True, read_only=True)
    carriers_without_evidence = serializers.SerializerMethodField(
        help_text="ids of the item's carriers in use with no proof recorded yet (inspection cannot pass until empty)"
    )

    class Meta(DisclosureItemSerializer.Meta):
        fields = [*DisclosureItemSerializer.Meta.fields, "evidence", "carriers_without_evidence"]
        read_only_fields = fields

    def get_carriers_without_evidence(self, obj) -> list[int]:
        return [carrier.pk for carrier in carriers_without_evidence(obj)]


class DisclosureItemWriteSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    previous = serializers.IntegerField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    field = serializers.ChoiceField(choices=Field.choices, required=False)
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    forms = serializers.ListField(child=serializers.ChoiceField(choices=Form.choices), required=False)
    carriers = serializers.ListField(child=serializers.IntegerField(), required=False)
    time_type = serializers.ChoiceField(choices=TimeType.choices, required=False)
    publish_on = serializers.DateField(help_text="YYYY-MM-DD, China time; 1st–10th unless prompt (R16)")
    display_until = serializers.DateField(required=False, allow_null=True, default=None,
                                          help_text="≥ publish_on + 15 days (R17); empty only for long-term items")


class DisclosureItemUpdateSerializer(DisclosureItemWriteSerializer):
    entry = None
    previous = None
    title = serializers.CharField(max_length=200, required=False)
    content = serializers.CharField(required=False)
    publish_on = serializers.DateField(required=False)
    display_until = serializers.DateField(required=False, allow_null=True)


class DisclosureItemInitialReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    check_content = serializers.BooleanField(default=False)
    check_scope = serializers.BooleanField(default=False)
    check_form = serializers.BooleanField(default=False)
    check_timing = serializers.BooleanField(default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DisclosureItemReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DisclosureReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DisclosureItemInspectSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=InspectionResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    finding_kind = serializers.ChoiceField(choices=FindingKind.choices, default=FindingKind.EVIDENCE)


class PublicationEvidenceUploadSerializer(serializers.Serializer):
    carrier = serializers.IntegerField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    file = serializers.FileField(required=False, allow_null=True, default=None)
    sms_count = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class DisclosureAttachmentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    file = serializers.FileField()


class DisclosureExemptionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Exemption
        fields = ["id", "organization", "organization_name", "jurisdiction", "title", "reason", "basis", "approver",
                  "approved_on", "review_by", "state", "review_note", "reviewed_at"]
        read_only_fields = ["id", "organization", "organization_name", "jurisdiction", "state", "review_note", "reviewed_at"]


class DisclosureExemptionReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["keep", "release", "close"])
    note = serializers.CharField()
    review_by = serializers.DateField(required=False, allow_null=True, default=None)


class DisclosureFeedbackSerializer(serializers.ModelSerializer):
    deadline = serializers.SerializerMethodField()
    deadline_explanation = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = ["id", "code", "organization", "item", "name", "contact", "content", "state", "received_on",
                  "deadline", "deadline_explanation", "overdue", "answer", "answered_on"]
        read_only_fields = fields

    # R18: the deadline is worked out when read (selectors.feedback_with_deadlines), never stored.
    @extend_schema_field(serializers.DateField(allow_null=True, help_text="working-day deadline (China time)"))
    def get_deadline(self, obj) -> str | None:
        return obj.deadline.due.isoformat() if hasattr(obj, "deadline") else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="how the deadline was worked out"))
    def get_deadline_explanation(self, obj) -> str | None:
        return obj.deadline.explanation if hasattr(obj, "deadline") else None

    @extend_schema_field(serializers.BooleanField(allow_null=True, help_text="answered late, or open past the deadline"))
    def get_overdue(self, obj) -> bool | None:
        return getattr(obj, "overdue", None)


class DisclosureFeedbackAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


class DisclosureFindingSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="the description in the request's language "
                                                           "(findings recorded by the jobs are rendered per language)")

    class Meta:
        model = Finding
        fields = ["id", "organization", "kind", "period", "entry", "item", "feedback", "description", "text", "state",
                  "by_job", "created_at"]
        read_only_fields = ["id", "entry", "item", "feedback", "text", "state", "by_job", "created_at"]


class RectificationNoticeSerializer(serializers.Serializer):
    requirement = serializers.CharField()
    deadline = serializers.DateField()


class DisclosureRectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = ["id", "finding", "organization", "requirement", "deadline", "state", "report", "reported_at",
                  "check_note", "closed_on", "issued_at"]
        read_only_fields = fields


class RectificationRoundSerializer(serializers.Serializer):
    """One report of the organisation and the office's answer to it (selectors.rectification_exchange)."""

    n = serializers.IntegerField()
    report = serializers.CharField()
    reported_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.ChoiceField(choices=["returned", "closed"], allow_null=True,
                                      help_text="null while the office has not re-checked it")
    note = serializers.CharField(allow_blank=True, help_text="the send-back reason or the closing note")
    checked_at = serializers.DateTimeField(allow_null=True)


class DisclosureRectificationDetailSerializer(DisclosureRectificationSerializer):
    """One notice with every report sent and every send-back reason, oldest first (R20)."""

    exchange = serializers.SerializerMethodField()

    class Meta(DisclosureRectificationSerializer.Meta):
        fields = [*DisclosureRectificationSerializer.Meta.fields, "exchange"]
        read_only_fields = fields

    @extend_schema_field(RectificationRoundSerializer(many=True))
    def get_exchange(self, obj):
        return RectificationRoundSerializer(rectification_exchange(obj, list(history_for(obj))), many=True).data


class RectificationReportSerializer(serializers.Serializer):
    report = serializers.CharField()


class RectificationCheckSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DisclosureReminderSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    message = serializers.CharField(source="text", read_only=True, help_text="in the request's language")

    class Meta:
        model = Reminder
        fields = ["id", "organization", "kind", "kind_display", "period", "message", "created_at"]
        read_only_fields = fields


# --- compliance (R20), read-only: the shape of /disclosure/compliance/ -----------------------
class SatisfactionFiguresSerializer(serializers.Serializer):
    satisfied = serializers.IntegerField()
    basic = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()
    total = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="(satisfied + basic) / total, 0–1 (R19)")


class InspectionRecordSerializer(serializers.Serializer):
    """selectors.inspection_record_for: one organisation's figures over the period."""

    published = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text="published within the 1st–10th window (R16)")
    late = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    missed = serializers.IntegerField(help_text="findings: due catalogue entries with nothing published")
    display_breaches = serializers.IntegerField(help_text="findings: shown less than 15 days (R17)")
    findings = serializers.IntegerField()
    entries = serializers.IntegerField()
    entries_covered = serializers.IntegerField()
    coverage_rate = serializers.FloatField(allow_null=True)
    feedback = serializers.IntegerField()
    feedback_answered_in_time = serializers.IntegerField()
    feedback_overdue = serializers.IntegerField(help_text="answered late, or open past the deadline (R18)")
    rectifications = serializers.IntegerField()
    rectifications_open = serializers.IntegerField()
    rectifications_overdue = serializers.IntegerField(help_text="open past the deadline, or closed after it (R20)")
    satisfaction = SatisfactionFiguresSerializer()


class ComplianceMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    mark = serializers.ChoiceField(choices=ComplianceMark.choices)


class OrganizationComplianceSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    name = serializers.CharField()
    record = InspectionRecordSerializer()
    calendar = ComplianceMonthSerializer(many=True, help_text="the last 12 months, oldest first")


# --- public -------------------------------------------------------------------------------
class PublicDisclosureItemSerializer(serializers.ModelSerializer):
    """Only what the public page shows: no reviewers, no evidence, no internal fields."""

    category = serializers.CharField(source="entry.category.name", read_only=True)
    attachments = DisclosureAttachmentSerializer(many=True, read_only=True)
    display_until = serializers.DateField(
        source="display_end", read_only=True, allow_null=True,
        help_text="last day on display (China time): never fewer than 15 days after publication (R17), "
                  "as the archive job applies it; null for long-term items (on display until replaced)",
    )

    class Meta:
        model = Item
        fields = ["id", "organization", "category", "title", "content", "field", "time_type", "published_on",
                  "display_until", "attachments"]
        read_only_fields = fields


class PublicCarrierSerializer(serializers.ModelSerializer):
    """Where the public can find an organisation's disclosure (R12): name and what locates it."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Carrier
        fields = ["id", "kind", "kind_display", "name", "location", "url", "handle"]
        read_only_fields = fields


class PublicDisclosureEntrySerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    field_display = serializers.CharField(source="get_field_display", read_only=True)
    carriers = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueEntry
        fields = ["id", "organization", "category", "title", "field", "field_display", "carriers", "time_type",
                  "cadence"]
        read_only_fields = fields

    @extend_schema_field(PublicCarrierSerializer(many=True))
    def get_carriers(self, obj):
        # Carriers in use only (prefetched by the view); a retired board is not where to look.
        return PublicCarrierSerializer([c for c in obj.carriers.all() if c.is_active], many=True).data


class PublicDisclosureFeedbackCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    item = serializers.IntegerField(required=False, allow_null=True, default=None)
    content = serializers.CharField(max_length=2000)
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    website = serializers.CharField(required=False, allow_blank=True, default="", help_text="honeypot: leave empty")


class PublicDisclosureFeedbackSerializer(serializers.ModelSerializer):
    """What the writer reads by receipt code (R18): their words and the answer, nothing about others."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Feedback
        fields = ["code", "organization", "organization_name", "content", "state", "received_on", "answer", "answered_on"]
        read_only_fields = fields


class PublicSatisfactionRatingSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    rating = serializers.ChoiceField(choices=Satisfaction.choices)
    phone = serializers.CharField(max_length=20, write_only=True)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    website = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
