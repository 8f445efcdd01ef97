"""What this app adds to shared places — portal menu and dashboard, public page blocks, media
downloads, audit labels — and its signal hookups. Called once from EvaluationConfig.ready()."""
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.access import is_county, is_evaluator, is_municipal, sees_everything
from qujing_disclosure.core.audit import register_action_label
from qujing_disclosure.core.caching import bump_public_version
from qujing_disclosure.core.media import register_media_prefix
from qujing_disclosure.core.portal import register_dashboard_block, register_portal_link
from sites.enums import RoundStatus
from sites.models import Round
from sites.wiring import register_home_block, register_public_action, register_site_detail_block

from . import selectors, services
from .enums import ASSIGNMENT_ACTIVE_STATES, OBJECTION_OPEN_STATES, ScorecardState
from .models import CaseStory, Publicity, PublicityEntry


def evaluator_dashboard(request):
    user = request.user
    if not is_evaluator(user):
        return None
    qs = selectors.assignment_list_for(user, own=True).filter(state__in=ASSIGNMENT_ACTIVE_STATES)
    total = qs.count()
    done = qs.filter(scorecard__state=ScorecardState.SUBMITTED).count()
    return "evaluation/blocks/dashboard_evaluator.html", {"total": total, "done": done}


def staff_dashboard(request):
    if not is_municipal(request.user):
        return None
    open_items = selectors.objections_with_deadlines(selectors.objection_list_for(request.user).filter(state__in=OBJECTION_OPEN_STATES))
    return "evaluation/blocks/dashboard_staff.html", {"open": len(open_items), "overdue": sum(1 for o in open_items if o.overdue)}


def county_dashboard(request):
    """R8: a county office sees its candidates' results once the publicity opens."""
    user = request.user
    if not is_county(user):
        return None
    published = selectors.candidate_results_list_for(user).count()
    return "evaluation/blocks/dashboard_county.html", {"published": published}


def home_publicity(request):
    """R8: the running publicity on the home page."""
    items = list(selectors.publicity_current())
    if not items:
        return None
    return "evaluation/blocks/home_publicity.html", {"publicities": items}


def home_stories(request):
    """R8a: the latest good-practice case stories on the home page."""
    stories = list(selectors.stories_published(limit=3, active_sites_only=True))  # never a revoked site's story on the home page
    return ("evaluation/blocks/stories.html", {"stories": stories, "heading": _("典型经验")}) if stories else None


def site_stories(request, designation):
    stories = list(selectors.stories_published(designation=designation))
    return ("evaluation/blocks/stories.html", {"stories": stories, "heading": _("典型经验")}) if stories else None


def _queue_reevaluations(sender, instance, **kwargs):
    """R10: when a round enters evaluation, every active site of its level joins its re-evaluation
    queue automatically (after the commit, by the idempotent candidates_sync, as a job)."""
    if instance.status != RoundStatus.EVALUATING:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields:
        return

    def sync(round_id=instance.pk):
        # The round may have moved on before the commit (e.g. the demo loader); then there is nothing to do.
        if Round.objects.filter(pk=round_id, status=RoundStatus.EVALUATING).exists():
            services.candidates_sync(actor=None, round_id=round_id)

    transaction.on_commit(sync)


def _public_pages_changed(**kwargs):
    """The home and site pages (cached for anonymous readers by core.caching) show our blocks."""
    bump_public_version("sites")


def register():
    for model in (Publicity, PublicityEntry, CaseStory):
        post_save.connect(_public_pages_changed, sender=model, dispatch_uid=f"evaluation-public-{model.__name__}")
    post_save.connect(_queue_reevaluations, sender=Round, dispatch_uid="evaluation.queue_reevaluations")

    register_portal_link(_("我的考评"), "evaluation_portal:tasks", visible=lambda u: is_evaluator(u), order=30)
    register_portal_link(_("考评与授牌"), "evaluation_portal:rounds", visible=lambda u: sees_everything(u), order=40)
    register_portal_link(_("公示异议"), "evaluation_portal:objections", visible=lambda u: is_municipal(u), order=41)
    register_portal_link(_("补助经费"), "evaluation_portal:subsidies", visible=lambda u: is_municipal(u), order=42)
    register_portal_link(_("检查督查"), "evaluation_portal:inspections", visible=lambda u: u.has_perm("evaluation.view_inspections"), order=43)
    register_portal_link(_("考评结果"), "evaluation_portal:county_results", visible=lambda u: u.has_perm("evaluation.view_county_results"),
                         order=44)
    register_portal_link(_("本组评分表"), "evaluation_portal:teams", visible=selectors.team_led_exists, order=31)
    register_dashboard_block(evaluator_dashboard, order=30)
    register_dashboard_block(staff_dashboard, order=31)
    register_dashboard_block(county_dashboard, order=32)

    # Evaluation steps also appear in an application's history (portal and admin).
    register_action_label("evaluation.shortlist.add", _("列入初选名单"))
    register_action_label("evaluation.shortlist.remove", _("移出初选名单"))
    register_action_label("evaluation.application.award", _("授予称号"))
    register_action_label("evaluation.application.not_award", _("未通过"))

    register_media_prefix("evaluation/evidence/", selectors.evidence_download_allowed)
    register_media_prefix("evaluation/minutes/", selectors.staff_file_download_allowed)
    register_media_prefix("evaluation/revocations/", selectors.staff_file_download_allowed)
    register_media_prefix("evaluation/stories/", selectors.story_photo_download_allowed)

    register_home_block(home_publicity, order=20)
    register_home_block(home_stories, order=60)
    register_site_detail_block(site_stories, order=50)
    # A site's page shows its award and (R10) its revocation. The award is written by sites' door under
    # sites' own action (public through sites.wiring, like the demo's seeded awards); awards recorded
    # before under evaluation's name, and revocations carrying the re-evaluation's decision, read the same.
    register_public_action("evaluation.designation.award", _("授予“党务公开工作示范点”称号，颁发牌匾"))
    register_public_action("evaluation.designation.revoke", _("撤销称号，收回牌匾"))
