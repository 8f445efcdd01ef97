import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MUNICIPAL = "municipal", _("市党务公开办")
    LEADING_GROUP = "leading_group", _("领导小组成员")
    EVALUATOR = "evaluator", _("考评组成员")
    COUNTY = "county", _("县级党务公开办/派出纪工委")
    ORGANIZATION = "organization", _("党组织用户")


class User(AbstractUser):
    """A person who signs in. Their role and binding decide what they may see (see access.py).

    A county-office user is bound to a jurisdiction; an organisation user to an
    organisation. An evaluator may also carry a jurisdiction/organisation: the
    place they work, which their conflict-of-interest rule (R5) keeps them off.
    """

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.ORGANIZATION)
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("所属辖区"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("所属党组织"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="county_user_has_jurisdiction",
                condition=~Q(role="county") | Q(jurisdiction__isnull=False),
            ),
            models.CheckConstraint(
                name="organization_user_has_organization",
                condition=~Q(role="organization") | Q(organization__isnull=False),
            ),
        ]

    def has_perm(self, perm, obj=None):
        """Permissions our rules declare are always asked of the rules, superusers included.

        Django answers True for an active superuser before any backend is asked; for our own
        permissions (`sites.screen_application`, `evaluation.score`, …) that would let the
        demo `admin` screen for every county and score for every evaluator. A superuser is the
        municipal office (core.access.role_of), so the rules give it exactly the office's rights.
        Django's model permissions (admin add/change/delete/view) keep the superuser shortcut."""
        import rules

        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def __str__(self):
        from django.utils.translation import gettext

        full = self.get_full_name()
        return gettext("%(name)s（%(username)s）") % {"name": full, "username": self.username} if full else self.username


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """An immutable record of one state change: who, when, what, from, to, why.

    Written by the service that made the change, in the same transaction. Entries
    written by one user action share a batch id. `actor` is empty for scheduled jobs.
    """

    batch = models.UUIDField(_("批次"), default=uuid.uuid4, db_index=True, editable=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40, db_index=True)
    target = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.from_state}→{self.to_state}"


class CalendarDay(models.Model):
    """A staff correction to China's official working-day calendar.

    The base calendar (holidays and make-up working days) comes from the `holidays`
    package; each year's schedule is announced late, so staff add or correct days here.
    Deadlines are computed from the calendar when read, so a correction moves open deadlines.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=60, help_text=_("如：春节、国庆节调休上班"))
    note = models.CharField(_("依据/备注"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
