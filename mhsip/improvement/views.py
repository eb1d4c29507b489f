"""Improvement pages: thin views over `queries` (reads, scoped to the person), `services`
(writes, checked and audited) and `presenters` (diagrams and charts).

Anything a person may not see is a 404, so that a page does not confirm what it will not show;
something they may see but not change is a 403 when they try.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from mhsip.accounts.two_factor import qr_code_data_uri
from mhsip.authorization.checks import has_permission
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.charts.spc import build_spc_chart_spec
from mhsip.improvement import queries, services
from mhsip.improvement.effects import NotAdopted, did_it_work, judgeable, measures_to_judge
from mhsip.improvement.forms import (
    AdoptPostForm,
    ChangeIdeaForm,
    ChangeMoveForm,
    CommentForm,
    CycleActForm,
    CycleDoForm,
    CyclePlanForm,
    CycleStudyForm,
    MeasurePlanForm,
    MemberForm,
    ModerateForm,
    PostForm,
    PrimaryDriverForm,
    ProjectChangeForm,
    ProjectForm,
    SecondaryDriverForm,
    ShareIdeaForm,
    show_errors,
)
from mhsip.improvement.models import (
    ChangeStatus,
    CycleStage,
    Decision,
    ImprovementProject,
    PdsaCycle,
    PostStatus,
    ProjectStatus,
    ShareLink,
    Theme,
)
from mhsip.improvement.presenters import (
    make_driver_diagram,
    make_measure_chart,
    sees_exact_figures,
)
from mhsip.organisations.models import Ward
from mhsip.web.forms import form_errors

P = Permission


def _may(request: HttpRequest, permission: Permission, ward: Ward) -> bool:
    return has_permission(request.user, permission, ward=ward)


def _data(request: HttpRequest):
    """The posted data, or None on GET (an empty POST is still a submission to check)."""
    return request.POST if request.method == "POST" else None


def _posted(request: HttpRequest, action: str) -> bool:
    return request.method == "POST" and request.POST.get("action") == action


# --- Overview -----------------------------------------------------------------------------------


@login_required
@require_GET
def improvement_index(request: HttpRequest) -> HttpResponse:
    wards = list(queries.participating_wards(request.user))
    projects = queries.projects_visible_to(request.user).filter(ward__in=wards)
    by_ward: dict[int, list[ImprovementProject]] = {}
    for project in projects.order_by("status", "title"):
        by_ward.setdefault(project.ward_id, []).append(project)
    return render(
        request,
        "improvement/index.html",
        {
            "wards": [(ward, by_ward.get(ward.pk, [])) for ward in wards],
            "may_coach": has_permission(request.user, P.IMPROVEMENT_COACH),
        },
    )


@login_required
@require_GET
def coach(request: HttpRequest) -> HttpResponse:
    """Improvement work across the wards a QI or network lead coaches: no patient data."""
    require_permission(request.user, P.IMPROVEMENT_COACH)
    return render(
        request,
        "improvement/coach.html",
        {
            "overview": queries.coach_overview(request.user),
            "recent_days": queries.RECENT_CYCLE_DAYS,
        },
    )


# --- Change ideas -------------------------------------------------------------------------------


@login_required
@require_GET
def idea_list(request: HttpRequest) -> HttpResponse:
    ideas = queries.change_ideas_visible_to(request.user).order_by("title")
    groups = {label: [] for _, label in Theme.choices}
    for idea in ideas:
        groups[idea.get_theme_display()].append(idea)
    return render(
        request,
        "improvement/idea_list.html",
        {"groups": [(label, found) for label, found in groups.items() if found]},
    )


@login_required
@require_GET
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = queries.change_idea_for(request.user, pk)
    return render(
        request,
        "improvement/idea_detail.html",
        {
            "idea": idea,
            "credits": list(idea.credits.all()),
            "posts": list(idea.codesign_posts.filter(status=PostStatus.PUBLISHED)),
            "testing": queries.projects_testing(request.user, idea),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest, code: str) -> HttpResponse:
    ward = queries.ward_for_improvement(request.user, code)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=ward)
    form = ChangeIdeaForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.change_idea_create(by=request.user, ward=ward, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"“{idea}” has been added to {ward.name}'s change ideas.")
            return redirect("improvement:idea-detail", idea.pk)
    return render(
        request,
        "improvement/idea_form.html",
        {"ward": ward, "form": form, "errors": form_errors(form)},
    )


# --- A ward's improvement work ------------------------------------------------------------------


@login_required
@require_GET
def ward_improvement(request: HttpRequest, code: str) -> HttpResponse:
    ward = queries.ward_for_improvement(request.user, code)
    projects = list(ward.improvement_projects.order_by("status", "title"))
    posts = queries.posts_for_ward(request.user, ward)
    return render(
        request,
        "improvement/ward.html",
        {
            "ward": ward,
            "projects": projects,
            "published": posts.filter(status=PostStatus.PUBLISHED).count(),
            "pending": posts.filter(status=PostStatus.PENDING).count(),
            "may_manage": _may(request, P.IMPROVEMENT_MANAGE, ward),
            "may_moderate": _may(request, P.CODESIGN_MODERATE, ward),
            "own_ideas": ward.change_ideas.order_by("title"),
        },
    )


# --- Co-design ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def codesign(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's problems and ideas, and a form to share one; waiting posts for moderators."""
    ward = queries.ward_for_improvement(request.user, code)
    form = PostForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            post = services.codesign_post_create(by=request.user, ward=ward, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Thank you: your post is on the ward's board.")
            return redirect("improvement:post-detail", post.pk)
    posts = queries.posts_for_ward(request.user, ward)
    published = posts.filter(status=PostStatus.PUBLISHED).order_by("-support_count", "-id")
    return render(
        request,
        "improvement/codesign.html",
        {
            "ward": ward,
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "published": published,
            "pending": posts.filter(status=PostStatus.PENDING).order_by("created_at"),
            "rejected": posts.filter(status=PostStatus.REJECTED).order_by("-moderated_at")[:10],
            "may_moderate": _may(request, P.CODESIGN_MODERATE, ward),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A post with its comments: comment, support, and (moderators) publish or turn down."""
    post = queries.post_for(request.user, pk)
    ward = post.ward
    comment_form = CommentForm(request.POST if _posted(request, "comment") else None)
    moderate_form = ModerateForm(request.POST if _posted(request, "moderate") else None)
    try:
        if _posted(request, "support"):
            supported = services.codesign_support_toggle(by=request.user, post=post)
            messages.success(
                request, "You support this." if supported else "You no longer support this."
            )
            return redirect("improvement:post-detail", post.pk)
        if _posted(request, "comment") and comment_form.is_valid():
            services.codesign_comment_add(by=request.user, post=post, **comment_form.cleaned_data)
            messages.success(request, "Your comment has been added.")
            return redirect("improvement:post-detail", post.pk)
        if _posted(request, "moderate") and moderate_form.is_valid():
            publish = moderate_form.cleaned_data["decision"] == "publish"
            services.codesign_post_moderate(
                by=request.user, post=post, publish=publish, note=moderate_form.cleaned_data["note"]
            )
            messages.success(request, "Published." if publish else "The post was not published.")
            return redirect("improvement:codesign", ward.code)
    except ValidationError as error:
        show_errors(moderate_form if _posted(request, "moderate") else comment_form, error)
    errors = []
    for form in (comment_form, moderate_form):
        if form.is_bound:
            errors += form_errors(form)
    return render(
        request,
        "improvement/post_detail.html",
        {
            "post": post,
            "ward": ward,
            "comments": list(post.comments.all()),
            "support_count": post.supports.count(),
            "supported": post.supports.filter(user=request.user).exists(),
            "comment_form": comment_form,
            "moderate_form": moderate_form,
            "errors": errors,
            "may_moderate": _may(request, P.CODESIGN_MODERATE, ward),
            "may_adopt": _may(request, P.IMPROVEMENT_MANAGE, ward)
            and post.status == PostStatus.PUBLISHED
            and post.change_idea_id is None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a post into a change idea the team will test, crediting who shaped it."""
    post = queries.post_for(request.user, pk)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=post.ward)
    projects = list(post.ward.improvement_projects.filter(status=ProjectStatus.ACTIVE))
    form = AdoptPostForm(
        _data(request),
        initial={"title": post.title, "summary": post.body},
        projects=projects,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = next((p for p in projects if str(p.pk) == data["project"]), None)
        try:
            idea = services.codesign_post_adopt(
                by=request.user,
                post=post,
                title=data["title"],
                summary=data["summary"],
                project=project,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if project is not None:
                messages.success(
                    request, f"“{idea}” is now a change idea in {project.title}. Plan a cycle to test it."
                )  # fmt: skip
                return redirect("improvement:project", project.pk)
            messages.success(request, f"“{idea}” is now one of {post.ward.name}'s change ideas.")
            return redirect("improvement:idea-detail", idea.pk)
    return render(
        request,
        "improvement/post_adopt.html",
        {"post": post, "ward": post.ward, "form": form, "errors": form_errors(form)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_link(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's share-an-idea link and QR code to print; a new link retires the old one."""
    ward = queries.ward_for_improvement(request.user, code)
    require_permission(request.user, P.CODESIGN_MODERATE, ward=ward)
    if request.method == "POST":
        services.share_link_rotate(by=request.user, ward=ward)
        messages.success(request, "There is a new link. The old link and its posters no longer work.")  # fmt: skip
        return redirect("improvement:share-link", ward.code)
    link = services.share_link_for(by=request.user, ward=ward)
    url = request.build_absolute_uri(reverse("improvement:share-idea", args=[link.token]))
    return render(
        request,
        "improvement/share_link.html",
        {"ward": ward, "link": link, "url": url, "qr_code": qr_code_data_uri(url)},
    )


@require_http_methods(["GET", "POST"])
def share_idea(request: HttpRequest, token: str) -> HttpResponse:
    """The public page behind a ward's link or QR code: no account needed, no name needed.
    Posts wait for a moderator; nothing already posted is shown here."""
    link = ShareLink.objects.select_related("ward__site__parent").filter(token=token).first()
    if link is None:
        raise Http404("This link is no longer in use")
    form = ShareIdeaForm(_data(request))
    too_many = False
    if request.method == "POST" and form.is_valid():
        try:
            services.codesign_post_share(token=token, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        except services.TooManyShared:
            too_many = True
        except services.ShareLinkClosed:
            raise Http404("This link is no longer in use") from None
        else:
            return redirect(reverse("improvement:share-idea", args=[token]) + "?sent=1")
    return render(
        request,
        "improvement/share_idea.html",
        {
            "ward": link.ward,
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "sent": request.GET.get("sent") == "1",
            "too_many": too_many,
        },
    )


# --- Projects -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, code: str) -> HttpResponse:
    ward = queries.ward_for_improvement(request.user, code)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=ward)
    form = ProjectForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, ward=ward, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The project has been started. Next, build its driver diagram.")  # fmt: skip
            return redirect("improvement:project", project.pk)
    return render(
        request,
        "improvement/project_form.html",
        {"ward": ward, "form": form, "errors": form_errors(form), "project": None},
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = queries.project_for(request.user, pk)
    tree = queries.driver_tree(project)
    ramps = queries.project_ramps(project)
    return render(
        request,
        "improvement/project.html",
        {
            "project": project,
            "ward": project.ward,
            "members": list(project.members.all()),
            "tree": tree,
            "diagram": make_driver_diagram(tree),
            "plan": queries.planned_measures(project),
            "ramps": ramps,
            "changes": list(project.changes.select_related("change_idea", "driver")),
            "may_manage": _may(request, P.IMPROVEMENT_MANAGE, project.ward),
            "sees_figures": sees_exact_figures(request.user, project.ward) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_aim(request: HttpRequest, pk: int) -> HttpResponse:
    project = queries.project_for(request.user, pk)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=project.ward)
    initial = {
        name: getattr(project, name)
        for name in ("title", "aim_what", "aim_how_much", "aim_by", "status")
    }
    form = ProjectForm(_data(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["status"] = data.get("status") or ProjectStatus.ACTIVE
        try:
            services.project_aim_update(by=request.user, project=project, **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The aim has been saved.")
            return redirect("improvement:project", project.pk)
    return render(
        request,
        "improvement/project_form.html",
        {"ward": project.ward, "form": form, "errors": form_errors(form), "project": project},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_team(request: HttpRequest, pk: int) -> HttpResponse:
    project = queries.project_for(request.user, pk)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=project.ward)
    people = queries.people_on_ward(project.ward)
    form = MemberForm(request.POST if _posted(request, "add") else None, people=people)
    if _posted(request, "remove"):
        member = project.members.filter(pk=request.POST.get("member") or 0).first()
        if member is not None:
            services.project_member_remove(by=request.user, member=member)
            messages.success(request, f"{member.name} has left the team.")
        return redirect("improvement:project-team", project.pk)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        user = get_user_model().objects.filter(pk=data["user"]).first() if data["user"] else None
        if user is not None and user not in people:
            user = None
        try:
            member = services.project_member_add(
                by=request.user,
                project=project,
                team_role=data["team_role"],
                user=user,
                name=data["name"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{member.name} has joined the team.")
            return redirect("improvement:project-team", project.pk)
    return render(
        request,
        "improvement/project_team.html",
        {
            "project": project,
            "ward": project.ward,
            "members": list(project.members.all()),
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_drivers(request: HttpRequest, pk: int) -> HttpResponse:
    """Build the driver diagram: add and remove drivers, add change ideas under them."""
    project = queries.project_for(request.user, pk)
    ward = project.ward
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=ward)
    drivers = list(project.drivers.all())
    primaries = [d for d in drivers if d.is_primary]
    secondaries = [d for d in drivers if not d.is_primary]
    ideas = queries.change_ideas_for_ward(ward)
    action = request.POST.get("action") if request.method == "POST" else None
    primary_form = PrimaryDriverForm(request.POST if action == "primary" else None)
    secondary_form = SecondaryDriverForm(
        request.POST if action == "secondary" else None, primaries=primaries
    )
    change_form = ProjectChangeForm(
        request.POST if action == "change" else None, ideas=ideas, secondaries=secondaries
    )
    by_pk = {str(d.pk): d for d in drivers}
    forms = {"primary": primary_form, "secondary": secondary_form, "change": change_form}
    try:
        if action == "remove" and request.POST.get("driver") in by_pk:
            driver = by_pk[request.POST["driver"]]
            services.driver_remove(by=request.user, driver=driver)
            messages.success(request, f"“{driver}” has been removed.")
            return redirect("improvement:project-drivers", project.pk)
        if action == "move":
            change = project.changes.filter(pk=request.POST.get("change") or 0).first()
            move = ChangeMoveForm(request.POST, secondaries=secondaries)
            if change is not None and move.is_valid():
                driver = by_pk.get(move.cleaned_data["driver"])
                services.project_change_move(by=request.user, change=change, driver=driver)
                messages.success(request, f"“{change}” has been moved.")
            return redirect("improvement:project-drivers", project.pk)
        if action == "primary" and primary_form.is_valid():
            services.driver_add(
                by=request.user, project=project, text=primary_form.cleaned_data["primary_text"]
            )
            return redirect("improvement:project-drivers", project.pk)
        if action == "secondary" and secondary_form.is_valid():
            parent = by_pk.get(secondary_form.cleaned_data["parent"])
            if parent is None:
                raise ValidationError({"parent": "Choose the primary driver it comes under"})
            services.driver_add(
                by=request.user,
                project=project,
                text=secondary_form.cleaned_data["secondary_text"],
                parent=parent,
            )
            return redirect("improvement:project-drivers", project.pk)
        if action == "change" and change_form.is_valid():
            idea = ideas.filter(pk=change_form.cleaned_data["change_idea"] or 0).first()
            if idea is None:
                raise ValidationError({"change_idea": "Choose a change idea to test"})
            services.project_change_add(
                by=request.user,
                project=project,
                change_idea=idea,
                driver=by_pk.get(change_form.cleaned_data["driver"]),
            )
            return redirect("improvement:project-drivers", project.pk)
    except ValidationError as error:
        show_errors(forms[action], error)
    tree = queries.driver_tree(project)
    errors = []
    for form in forms.values():
        if form.is_bound:
            errors += form_errors(form)
    changes = list(project.changes.select_related("change_idea", "driver"))
    return render(
        request,
        "improvement/project_drivers.html",
        {
            "project": project,
            "ward": ward,
            "tree": tree,
            "diagram": make_driver_diagram(tree),
            "primary_form": primary_form,
            "secondary_form": secondary_form,
            "change_form": change_form,
            "moves": [
                (
                    c,
                    ChangeMoveForm(
                        initial={"driver": c.driver_id}, secondaries=secondaries, prefix=f"c{c.pk}"
                    ),
                )
                for c in changes
            ],  # fmt: skip
            "errors": errors,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_measures(request: HttpRequest, pk: int) -> HttpResponse:
    project = queries.project_for(request.user, pk)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=project.ward)
    initial: dict[str, list[str]] = {}
    for planned in project.planned_measures.all():
        initial.setdefault(planned.role, []).append(planned.measure)
    form = MeasurePlanForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_plan_update(
                by=request.user, project=project, measures=form.measures()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The measurement plan has been saved.")
            return redirect("improvement:project", project.pk)
    return render(
        request,
        "improvement/project_measures.html",
        {"project": project, "ward": project.ward, "form": form, "errors": form_errors(form)},
    )


# --- PDSA cycles --------------------------------------------------------------------------------


def _plan_form(request: HttpRequest, project: ImprovementProject, **kwargs) -> CyclePlanForm:
    changes = list(
        project.changes.exclude(status=ChangeStatus.ABANDONED).select_related("change_idea")
    )
    plan = queries.planned_measures(project)
    measures = [m for role in ("outcome", "process", "balancing") for m in plan[role]]
    return CyclePlanForm(
        request.POST if request.method == "POST" else None,
        changes=changes,
        measures=measures,
        **kwargs,
    )  # fmt: skip


def _save_plan(request, form, project, *, previous=None, cycle=None) -> PdsaCycle | None:
    if not form.is_valid():
        return None
    change = project.changes.filter(pk=form.cleaned_data["change"] or 0).first()
    try:
        if change is None:
            raise ValidationError({"change": "Choose the change idea this cycle tests"})
        return services.cycle_plan(
            by=request.user,
            project=project,
            change=change,
            previous=previous,
            cycle=cycle,
            study_measure=form.cleaned_data["study_measure"],
            **form.plan(),
        )
    except ValidationError as error:
        show_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a cycle; `?after=<cycle>` plans the next cycle of that cycle's ramp."""
    project = queries.project_for(request.user, pk)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=project.ward)
    previous = None
    after = request.GET.get("after") or request.POST.get("after")
    if after:
        previous = project.cycles.filter(pk=after if after.isdigit() else 0).first()
        if previous is None:
            raise Http404("No such cycle in this project")
    initial = {}
    if previous is not None:
        initial = {
            "change": previous.change_id,
            "study_measure": previous.study_measure,
            "plan_who": previous.plan_who,
            "plan_where": previous.plan_where,
            "data_to_collect": previous.data_to_collect,
        }
    elif request.GET.get("change"):
        initial = {"change": request.GET["change"]}
    elif project.changes.count() == 1:
        initial = {"change": project.changes.get().pk}
    form = _plan_form(request, project, initial=initial)
    if request.method == "POST":
        cycle = _save_plan(request, form, project, previous=previous)
        if cycle is not None:
            messages.success(request, "The cycle is planned. Record the Do when the test starts.")
            return redirect("improvement:cycle", cycle.pk)
    return render(
        request,
        "improvement/cycle_plan.html",
        {
            "project": project,
            "ward": project.ward,
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "previous": previous,
            "cycle": None,
        },
    )


@login_required
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, pk)
    project = cycle.project
    chart = None
    if cycle.study_measure and cycle.stage in {CycleStage.DO, CycleStage.STUDY, CycleStage.ACT}:
        chart = make_measure_chart(request.user, project.ward, cycle.study_measure)
    next_cycle = PdsaCycle.objects.filter(previous=cycle).first()
    return render(
        request,
        "improvement/cycle.html",
        {
            "cycle": cycle,
            "project": project,
            "ward": project.ward,
            "number": queries.cycle_number(cycle),
            "chart": chart,
            "next_cycle": next_cycle,
            "may_manage": _may(request, P.IMPROVEMENT_MANAGE, project.ward),
            "may_continue": cycle.stage == CycleStage.ACT
            and cycle.decision != Decision.ABANDON
            and next_cycle is None,
        },
    )


def _cycle_for_edit(request: HttpRequest, pk: int) -> PdsaCycle:
    cycle = queries.cycle_for(request.user, pk)
    require_permission(request.user, P.IMPROVEMENT_MANAGE, ward=cycle.project.ward)
    return cycle


def _stage_page(request, cycle, form, template, save, **extra) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("improvement:cycle", cycle.pk)
    return render(
        request,
        template,
        {
            "cycle": cycle,
            "project": cycle.project,
            "ward": cycle.project.ward,
            "number": queries.cycle_number(cycle),
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            **extra,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_edit(request, pk)
    names = [
        "question",
        "prediction",
        "plan_who",
        "plan_what",
        "plan_where",
        "planned_start",
        "planned_end",
        "data_to_collect",
        "study_measure",
    ]
    initial = {name: getattr(cycle, name) for name in names} | {"change": cycle.change_id}
    form = _plan_form(request, cycle.project, initial=initial)
    if request.method == "POST":
        saved = _save_plan(request, form, cycle.project, previous=cycle.previous, cycle=cycle)
        if saved is not None:
            messages.success(request, "The plan has been saved.")
            return redirect("improvement:cycle", cycle.pk)
    return render(
        request,
        "improvement/cycle_plan.html",
        {
            "project": cycle.project,
            "ward": cycle.project.ward,
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "previous": cycle.previous,
            "cycle": cycle,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_do(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_edit(request, pk)
    initial = {
        "started_on": cycle.started_on or cycle.planned_start,
        "ended_on": cycle.ended_on,
        "what_happened": cycle.what_happened,
    }
    form = CycleDoForm(_data(request), initial=initial)
    return _stage_page(
        request,
        cycle,
        form,
        "improvement/cycle_do.html",
        lambda data: services.cycle_do(by=request.user, cycle=cycle, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_study(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_edit(request, pk)
    form = CycleStudyForm(
        _data(request), initial={"result": cycle.result, "learning": cycle.learning}
    )
    # The Study looks at the chart: it is drawn beside the form.
    chart = None
    if cycle.study_measure:
        chart = make_measure_chart(request.user, cycle.project.ward, cycle.study_measure)
    return _stage_page(
        request,
        cycle,
        form,
        "improvement/cycle_study.html",
        lambda data: services.cycle_study(by=request.user, cycle=cycle, **data),
        chart=chart,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_act(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_edit(request, pk)
    initial = {
        "decision": cycle.decision,
        "decided_on": cycle.decided_on or cycle.ended_on,
        "next_steps": cycle.next_steps,
    }
    form = CycleActForm(_data(request), initial=initial)
    return _stage_page(
        request,
        cycle,
        form,
        "improvement/cycle_act.html",
        lambda data: services.cycle_act(by=request.user, cycle=cycle, **data),
    )


# --- Did it work? -------------------------------------------------------------------------------


def _month_words(label: str) -> str:
    return date.fromisoformat(label + "-01").strftime("%B %Y")


@login_required
@require_GET
def change_did_it_work(request: HttpRequest, pk: int) -> HttpResponse:
    change = queries.change_for(request.user, pk)
    ward = change.project.ward
    exact = sees_exact_figures(request.user, ward)
    if exact is None:
        raise PermissionDenied("You cannot see this ward's figures.")
    wanted = request.GET.get("measure")
    choices = measures_to_judge(change)
    if wanted and wanted not in {m.id for m in choices}:
        wanted = None
    try:
        judgement = did_it_work(change, wanted, exact=exact)
    except NotAdopted:
        raise Http404(
            "This change has not been adopted, so there is no date to judge it from"
        ) from None
    spec = build_spc_chart_spec(
        judgement.chart,
        title=f"{judgement.measure.name}: {ward.name}",
        annotations=judgement.annotations,
        width=680,
        height=300,
    )
    return render(
        request,
        "improvement/did_it_work.html",
        {
            "change": change,
            "project": change.project,
            "ward": ward,
            "judgement": judgement,
            "effect": judgement.effect,
            "spec": spec,
            "choices": [m for m in choices if judgeable(m)],
            "after_from": _month_words(judgement.span.labels[judgement.change_index])
            if judgement.change_index < len(judgement.span)
            else None,
        },
    )
