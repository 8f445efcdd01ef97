"""factory_boy factories shared by every app's tests."""
import datetime
import itertools

import factory
from django.utils import timezone

from qujing_disclosure.core.models import Role, User
from sites.enums import JurisdictionKind, Level, RoundStatus
from sites.models import Application, Designation, Jurisdiction, Organization, Quota, Round

_seq = itertools.count(1)


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试县{n}")
    code = factory.Sequence(lambda n: f"county-{n}")
    kind = JurisdictionKind.COUNTY
    sort_order = factory.Sequence(lambda n: n + 1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试党支部{n}")
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    sector = "机关"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")
    role = Role.MUNICIPAL

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def municipal_user(**kw):
    return UserFactory(role=Role.MUNICIPAL, is_staff=True, **kw)


def county_user(jurisdiction, **kw):
    return UserFactory(role=Role.COUNTY, jurisdiction=jurisdiction, **kw)


def organization_user(organization, **kw):
    return UserFactory(role=Role.ORGANIZATION, organization=organization, jurisdiction=organization.jurisdiction, **kw)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    name = factory.Sequence(lambda n: f"测试轮次{n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    level = Level.COUNTY
    organizer = factory.SubFactory(JurisdictionFactory, name="曲靖市", code="city", kind=JurisdictionKind.CITY, sort_order=0)
    ratio = 2
    applications_open_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    applications_close_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    screening_close_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    status = RoundStatus.OPEN


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    round = factory.SubFactory(RoundFactory)
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    slots = 3


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application in a given state, created directly (tests of services create via services)."""

    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory)
    organization = factory.SubFactory(OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    summary = "创建工作情况介绍"
    contact_name = "张三"
    contact_phone = "0874-1234567"
    created_by = factory.SubFactory(UserFactory)


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Designation

    organization = factory.SubFactory(OrganizationFactory)
    jurisdiction = factory.SelfAttribute("organization.jurisdiction")
    round = factory.SubFactory(RoundFactory, status=RoundStatus.FINISHED)
    level = Level.COUNTY
    plaque_number = factory.Sequence(lambda n: f"QJ-T-{n:05d}")
    awarded_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
