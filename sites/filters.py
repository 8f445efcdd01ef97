"""Filters of the public site directory, shared by `/sites/` and the API's `/api/v1/sites/`.

`year` is the calendar year of `awarded_on` (the day the title and plaque were awarded,
R9), not the round's year: a round's awards can fall in the next calendar year, and the
plaque shows the award date, which is what a reader of the directory looks for.
"""
import django_filters
from django.utils.translation import gettext_lazy as _

from .enums import DesignationStatus, Level
from .models import Designation, Jurisdiction

# Longest search text accepted; longer input is cut (a unit name is at most 120 characters).
Q_MAX_LENGTH = 120


class DesignationFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    jurisdiction = django_filters.ModelChoiceFilter(label=_("辖区"), queryset=Jurisdiction.objects.all())
    year = django_filters.NumberFilter(
        label=_("授牌年度"), field_name="awarded_on", lookup_expr="year", min_value=1949, max_value=9999
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DesignationStatus.choices)
    q = django_filters.CharFilter(label=_("单位名称"), method="filter_name", max_length=Q_MAX_LENGTH)

    class Meta:
        model = Designation
        fields = ("level", "jurisdiction", "year", "status", "q")

    def filter_name(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(organization__name__icontains=value)
