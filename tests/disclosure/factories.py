"""Factories of the disclosure app (rows created directly; service tests go through services)."""
import datetime

import factory
from django.utils import timezone

from disclosure import dates
from disclosure.enums import Cadence, CarrierKind, Form, ItemState, Scope, TimeType
from disclosure.models import (
    Carrier,
    CatalogueEntry,
    Category,
    Exemption,
    Feedback,
    Finding,
    Item,
    Rectification,
)
from tests import factories as f


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "sanzhong-yida"
    name = "“三重一大”事项"
    sort_order = 1


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carrier

    organization = factory.SubFactory(f.OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    kind = CarrierKind.BOARD
    name = factory.Sequence(lambda n: f"党务公开栏{n}")
    location = "办公楼一楼大厅"


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueEntry

    organization = factory.SubFactory(f.OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"党费收缴情况{n}")
    scope = Scope.EXTERNAL
    forms = [Form.BOARD]
    time_type = TimeType.STAGED
    cadence = Cadence.MONTHLY
    created_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=800))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        created_at = kwargs.pop("created_at", None)
        obj = super()._create(model_class, *args, **kwargs)
        if created_at is not None:  # auto_now_add ignores the value given: set it afterwards
            model_class.objects.filter(pk=obj.pk).update(created_at=created_at)
            obj.created_at = created_at
        return obj


class ItemFactory(factory.django.DjangoModelFactory):
    """An item in a given state. Pass publish_on/published_on for published ones."""

    class Meta:
        model = Item
        skip_postgeneration_save = True

    entry = factory.SubFactory(EntryFactory)
    organization = factory.SelfAttribute("entry.organization")
    jurisdiction = factory.SelfAttribute("entry.organization.jurisdiction")
    title = factory.Sequence(lambda n: f"公开事项{n}")
    content = "本月党费收缴情况如下。"
    scope = factory.SelfAttribute("entry.scope")
    forms = factory.SelfAttribute("entry.forms")
    time_type = TimeType.STAGED
    publish_on = factory.LazyFunction(lambda: dates.next_valid_publish_date(timezone.localdate()))
    display_until = factory.LazyAttribute(lambda o: o.publish_on + datetime.timedelta(days=20))
    due_by = factory.LazyAttribute(lambda o: dates.due_by(o.publish_on, prompt=o.time_type == TimeType.PROMPT))
    state = ItemState.DRAFT
    created_by = factory.SubFactory(f.UserFactory)

    @factory.post_generation
    def carriers(obj, create, extracted, **kwargs):
        """An external item names its entry's carriers (like item_create), unless given `carriers=[…]`."""
        if not create:
            return
        if extracted is not None:
            obj.carriers.set(extracted)
        elif obj.scope == Scope.EXTERNAL:
            obj.carriers.set(obj.entry.carriers.all())


def published_item(published_on, **kw):
    kw.setdefault("publish_on", published_on)
    kw.setdefault("display_until", published_on + datetime.timedelta(days=20))
    return ItemFactory(
        state=ItemState.PUBLISHED, published_on=published_on,
        published_at=timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(9))), **kw,
    )


class ExemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exemption

    organization = factory.SubFactory(f.OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    title = "涉及个人隐私的信访件处理情况"
    reason = "涉及个人隐私"
    basis = "《中国共产党党务公开条例（试行）》第十条"
    approver = "李书记"
    approved_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    review_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    created_by = factory.SubFactory(f.UserFactory)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    code = factory.Sequence(lambda n: f"TESTCODE{n:04d}")
    organization = factory.SubFactory(f.OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    content = "建议公开栏字体再大一些。"
    received_on = factory.LazyFunction(timezone.localdate)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    organization = factory.SubFactory(f.OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    kind = "evidence"
    period = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    description = "公开栏未张贴本月党费收缴情况。"


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    finding = factory.SubFactory(FindingFactory, state="notice_issued")
    organization = factory.SelfAttribute("finding.organization")
    jurisdiction = factory.SelfAttribute("finding.jurisdiction")
    requirement = "立即补充张贴并报告。"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    issued_by = factory.SubFactory(f.UserFactory)
