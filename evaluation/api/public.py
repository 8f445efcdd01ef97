"""API of what the public reads and writes (R8, R8a): the running publicity, objections (anyone creates
one, rate-limited; the municipal office reads and handles them) and the good-practice case stories."""
from django.conf import settings
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from qujing_disclosure.core.access import require
from sites.selectors import designation_list_for

from .. import selectors, services
from ..enums import StoryStatus
from ..serializers import (
    InvestigateSerializer,
    ObjectionAnswerSerializer,
    ObjectionCreateSerializer,
    ObjectionReceiptSerializer,
    ObjectionStaffSerializer,
    PublicitySerializer,
    StoryInputSerializer,
    StorySerializer,
    StoryUpdateSerializer,
)
from .common import TAG


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

    def _fresh(self, pk):
        [item] = selectors.objections_with_deadlines([self.get_queryset().get(pk=pk)])
        return Response(ObjectionStaffSerializer(item).data)

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
        return self._fresh(objection.pk)

    @extend_schema(request=ObjectionAnswerSerializer, responses=ObjectionStaffSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        objection = self.get_object()
        data = ObjectionAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.objection_answer(actor=request.user, objection_id=objection.pk, **data.validated_data)
        return self._fresh(objection.pk)


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

    @extend_schema(request={"multipart/form-data": StoryInputSerializer, "application/json": StoryInputSerializer}, responses={201: StorySerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "evaluation.manage")
        data = StoryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if not designation_list_for(request.user).filter(pk=v["designation"]).exists():
            raise serializers.ValidationError({"designation": [_("示范点不存在。")]})
        story = services.story_save(actor=request.user, designation_id=v["designation"], title=v["title"], body=v["body"], photo=v.get("photo"))
        return Response(StorySerializer(story).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": StoryUpdateSerializer, "application/json": StoryUpdateSerializer}, responses=StorySerializer)
    def update(self, request, *args, **kwargs):
        require(request.user, "evaluation.manage")
        story = self.get_object()
        data = StoryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        story = services.story_save(actor=request.user, designation_id=story.designation_id, title=v["title"], body=v["body"],
                                    photo=v.get("photo"), story_id=story.pk)
        return Response(StorySerializer(story).data)

    def _set_status(self, status_):
        require(self.request.user, "evaluation.manage")
        story = services.story_set_status(actor=self.request.user, story_id=self.get_object().pk, status=status_)
        return Response(StorySerializer(story).data)

    @extend_schema(request=None, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._set_status(StoryStatus.PUBLISHED)

    @extend_schema(request=None, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._set_status(StoryStatus.WITHDRAWN)
