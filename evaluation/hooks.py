"""What this app adds to shared places: portal menu and dashboard, public pages, media downloads."""
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.access import is_county, is_evaluator, is_municipal, sees_everything
from qujing_disclosure.core.media import register_media_prefix
from qujing_disclosure.core.portal import register_dashboard_block, register_portal_link


def _evidence_visible(user, path):
    """Evidence files: staff, and the evaluator who uploaded them."""
    from .models import Evidence

    if sees_everything(user):
        return True
    return bool(user and user.is_authenticated) and Evidence.objects.filter(file=path, scorecard__assignment__evaluator=user).exists()


def _staff_files(user, path):
    return sees_everything(user)


def _story_photo(user, path):
    """Case-story photos are public once the story is published (R8a)."""
    from .enums import StoryStatus
    from .models import CaseStory

    return sees_everything(user) or CaseStory.objects.filter(photo=path, status=StoryStatus.PUBLISHED).exists()


def evaluator_dashboard(request):
    user = request.user
    if not is_evaluator(user):
        return None
    from .enums import ASSIGNMENT_ACTIVE_STATES, ScorecardState
    from .models import Assignment

    qs = Assignment.objects.filter(evaluator=user, state__in=ASSIGNMENT_ACTIVE_STATES)
    total = qs.count()
    done = qs.filter(scorecard__state=ScorecardState.SUBMITTED).count()
    return "evaluation/blocks/dashboard_evaluator.html", {"total": total, "done": done}


def staff_dashboard(request):
    if not is_municipal(request.user):
        return None
    from .enums import OBJECTION_OPEN_STATES
    from .models import Objection
    from .selectors import objections_with_deadlines

    open_items = objections_with_deadlines(Objection.objects.filter(state__in=OBJECTION_OPEN_STATES))
    return "evaluation/blocks/dashboard_staff.html", {"open": len(open_items), "overdue": sum(1 for o in open_items if o.overdue)}


def county_dashboard(request):
    """R8: a county office sees its candidates' results once the publicity opens."""
    user = request.user
    if not is_county(user):
        return None
    from .selectors import candidate_list_for

    published = candidate_list_for(user).count()
    return "evaluation/blocks/dashboard_county.html", {"published": published}


def _leads_a_team(user):
    from .models import Team

    return is_evaluator(user) and Team.objects.filter(leader=user).exists()


def home_publicity(request):
    """R8: the running publicity on the home page."""
    from .selectors import publicity_current

    items = list(publicity_current())
    if not items:
        return None
    return "evaluation/blocks/home_publicity.html", {"publicities": items}


def home_stories(request):
    """R8a: the latest good-practice case stories on the home page."""
    from .selectors import stories_published

    stories = list(stories_published(limit=3, active_sites_only=True))  # never a revoked site's story on the home page
    return ("evaluation/blocks/stories.html", {"stories": stories, "heading": _("典型经验")}) if stories else None


def site_stories(request, designation):
    from .selectors import stories_published

    stories = list(stories_published(designation=designation))
    return ("evaluation/blocks/stories.html", {"stories": stories, "heading": _("典型经验")}) if stories else None


def _queue_reevaluations(sender, instance, **kwargs):
    """R10: when a round enters evaluation, every active site of its level joins its re-evaluation
    queue automatically (after the commit, by the idempotent candidates_sync)."""
    from django.db import transaction

    from sites.enums import RoundStatus
    from sites.models import Round

    if instance.status != RoundStatus.EVALUATING:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields:
        return

    def sync(round_id=instance.pk):
        from .services import candidates_sync

        # The round may have moved on before the commit (e.g. the demo loader); then there is nothing to do.
        if Round.objects.filter(pk=round_id, status=RoundStatus.EVALUATING).exists():
            candidates_sync(actor=None, round_id=round_id)

    transaction.on_commit(sync)


def _public_pages_changed(**kwargs):
    """The home and site pages (cached for anonymous readers by core.caching) show our blocks."""
    try:
        from qujing_disclosure.core.caching import bump_public_version
    except ImportError:
        return
    bump_public_version("sites")


def register():
    from django.db.models.signals import post_save

    from sites.models import Round

    from .models import CaseStory, Publicity, PublicityEntry

    for model in (Publicity, PublicityEntry, CaseStory):
        post_save.connect(_public_pages_changed, sender=model, dispatch_uid=f"evaluation-public-{model.__name__}")

    post_save.connect(_queue_reevaluations, sender=Round, dispatch_uid="evaluation.queue_reevaluations")
    register_portal_link(_("我的考评"), "evaluation_portal:tasks", visible=lambda u: is_evaluator(u), order=30)
    register_portal_link(_("考评与授牌"), "evaluation_portal:rounds", visible=lambda u: sees_everything(u), order=40)
    register_portal_link(_("公示异议"), "evaluation_portal:objections", visible=lambda u: is_municipal(u), order=41)
    register_portal_link(_("补助经费"), "evaluation_portal:subsidies", visible=lambda u: is_municipal(u), order=42)
    register_portal_link(_("检查督查"), "evaluation_portal:inspections", visible=lambda u: u.has_perm("evaluation.view_inspections"), order=43)
    register_portal_link(_("考评结果"), "evaluation_portal:county_results", visible=lambda u: is_county(u), order=44)
    register_portal_link(_("本组评分表"), "evaluation_portal:teams", visible=_leads_a_team, order=31)
    register_dashboard_block(evaluator_dashboard, order=30)
    register_dashboard_block(staff_dashboard, order=31)
    register_dashboard_block(county_dashboard, order=32)
    # Evaluation steps also appear in an application's history (portal and admin).
    from qujing_disclosure.core.audit import register_action_label

    register_action_label("evaluation.shortlist.add", _("列入初选名单"))
    register_action_label("evaluation.shortlist.remove", _("移出初选名单"))
    register_action_label("evaluation.application.award", _("授予称号"))
    register_action_label("evaluation.application.not_award", _("未通过"))
    register_media_prefix("evaluation/evidence/", _evidence_visible)
    register_media_prefix("evaluation/minutes/", _staff_files)
    register_media_prefix("evaluation/revocations/", _staff_files)
    register_media_prefix("evaluation/stories/", _story_photo)
    try:
        from sites.public_blocks import register_home_block, register_public_action, register_site_detail_block
    except ImportError:  # the public pages are not there yet
        return
    register_home_block(home_publicity, order=20)
    register_home_block(home_stories, order=60)
    register_site_detail_block(site_stories, order=50)
    register_public_action("evaluation.designation.award", _("授予“党务公开工作示范点”称号，颁发牌匾"))
