import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from technopark import page_cache
from technopark.exports import safe_writer
from technopark.files import serve_private_file

from . import selectors, services
from .forms import (
    ApplicationForm,
    BulkDecisionForm,
    ConflictForm,
    MentorNoteForm,
    MilestoneForm,
    MonthlyReportForm,
    OfficeHourBookingForm,
    OfficeHourSlotForm,
    PortfolioFilterForm,
    PreviewApplicationForm,
    ReassignForm,
    ReviewForm,
    StartupFromApplicationForm,
    TeamInvitationSignUpForm,
    TeamMemberFormSet,
)
from .models import (
    Application,
    DecisionTemplate,
    Mentor,
    OfficeHourBooking,
    OfficeHourSlot,
    Review,
    ReviewAssignment,
    ReviewScore,
    Season,
    Startup,
)

PER_PAGE = 12
RANKING_PER_PAGE = 50
MY_APPLICATION_SECONDS = 300  # bounds what moves with the clock (the next open season)
REVIEW_PER_PAGE = 20


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _page(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# --- Public ---------------------------------------------------------------------------------


def index(request):
    now = timezone.now()
    season = selectors.current_season(now)
    past = list(selectors.seasons_with_figures(Season.objects.filter(application_closes__lte=now)).order_by("number"))
    totals = {
        key: sum(getattr(s, key) for s in past)
        for key in (
            "applications_count",
            "participants_count",
            "startups_count",
            "funded_startups_count",
            "investment_uzs",
        )
    }
    countdown = selectors.countdown(season, now)
    context = {
        "season": season,
        "countdown": countdown,
        "past_seasons": past,
        "totals": totals,
        "countdown_data": {"target": countdown["target"].isoformat() if "target" in countdown else ""},
    }
    response = render(request, "incubator/index.html", context)
    # Anonymous pages are cached whole for PAGE_CACHE_SECONDS: close to the moment applications
    # open or close, the page must not be served from the cache with the old state.
    if "target" in countdown and countdown["target"] - now <= datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS):
        patch_cache_control(response, no_cache=True)
    return response


def portfolio(request):
    def startups():
        seasons = list(Season.objects.filter(startups__isnull=False).distinct().order_by("number"))
        form = PortfolioFilterForm(request.GET or None, seasons=seasons)
        # A bad value in one filter (?season=abc) drops that filter only and shows its error.
        filters = {}
        if form.is_bound:
            form.is_valid()  # cleaned_data keeps the valid filters
            filters = form.cleaned_data
        found = selectors.portfolio(
            season=filters.get("season"), industry=filters.get("industry", ""), stage=filters.get("stage", "")
        )
        return {
            "form": form,
            "page_obj": _page(request, found, PER_PAGE),
            "query_string": urlencode({k: v for k, v in filters.items() if v}),
            "seasons": seasons,
            "figures": selectors.startup_aggregates(selectors.public_startups()),
        }

    # The same for everyone: read only when its fragment is stale (push=), like the programme list.
    return render(request, "incubator/portfolio.html", {"startups": startups})


def startup_detail(request, slug):
    startup = selectors.portfolio().filter(slug=slug).first()
    if startup is None and request.user.is_authenticated:
        # A startup that is not public: its founders and the incubator staff still open its page.
        startup = selectors.portfolio(include_private=True).filter(slug=slug).first()
        if startup is not None and not selectors.can_see_startup_figures(request.user, startup):
            startup = None
    if startup is None:
        raise Http404
    context = {"startup": startup}
    if selectors.can_see_startup_figures(request.user, startup):
        context.update(selectors.startup_private_context(startup, request.user))
        context["private"] = True
        context["milestone_form"] = MilestoneForm()
    return render(request, "incubator/startup_detail.html", context)


def investor_day_list(request):
    page = _page(request, selectors.investor_days(), PER_PAGE)
    return render(request, "incubator/investor_day_list.html", {"page_obj": page})


def investor_day_detail(request, pk):
    day = get_object_or_404(selectors.investor_day_detail_queryset(), pk=pk)
    return render(request, "incubator/investor_day_detail.html", {"day": day})


# --- Applicants -----------------------------------------------------------------------------


@login_required
def apply(request):
    now = timezone.now()
    season = Season.objects.open_for_applications(now).order_by("application_closes").first()
    if season is None:
        messages.info(request, _("No season is open for applications right now."))
        return redirect("incubator:index")
    application = Application.objects.filter(season=season, applicant=request.user).first()
    if application and not application.is_editable:
        messages.info(request, _("You have already submitted your application to this season."))
        return redirect(application)
    initial_members = (
        list(application.members.values("name", "role", "email"))
        if application
        else [{"name": request.user.full_name, "role": _("Team lead"), "email": request.user.email}]
    )
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, instance=application)
        formset = TeamMemberFormSet(request.POST, prefix="members")
        if form.is_valid() and formset.is_valid():
            try:
                application = services.application_save_draft(
                    applicant=request.user,
                    season=season,
                    data=form.data_fields(),
                    members=formset.members(),
                    application=application,
                    **form.uploads(),
                )
                if request.POST.get("action") == "submit":
                    services.application_submit(application=application, actor=request.user)
                    messages.success(request, _("Your application has been submitted. Good luck!"))
                    return redirect(application)
                messages.success(request, _("Your draft has been saved. You can come back and finish it."))
                return redirect("incubator:apply")
            except ValidationError as exc:
                _errors(request, exc)
                if application and application.pk:
                    return redirect("incubator:apply")
    else:
        form = ApplicationForm(instance=application)
        formset = TeamMemberFormSet(initial=initial_members, prefix="members")
    return render(
        request,
        "incubator/apply.html",
        {"form": form, "formset": formset, "season": season, "application": application},
    )


@login_required
def my_applications(request):
    page = _page(request, selectors.my_applications(request.user), PER_PAGE)
    return render(request, "incubator/my_applications.html", {"page_obj": page})


@login_required
def my_application(request, pk):
    def read():
        application = get_object_or_404(
            Application.objects.for_applicant(request.user)
            .select_related("season")
            .prefetch_related("members", "history"),
            pk=pk,
        )
        rejected = application.status == Application.Status.REJECTED
        return {
            "application": application,
            "feedback": selectors.anonymised_feedback(application),
            "rubric": selectors.rubric_averages(application) if rejected else [],
            "next_season": services.next_open_season(application) if rejected else None,
        }

    # Kept for its applicant while nothing they see changes: the InnoX rows (a decision, a season),
    # the reviews (feedback) and their own (a draft, team members' confirmations, the history).
    # Someone else's application is never read from here: 404 before anything is stored.
    context = page_cache.cached(
        f"incubator:my-application:{pk}:{request.user.pk}",
        ["incubator", "incubator-reviews", page_cache.person_namespace(request.user.pk)],
        read,
        MY_APPLICATION_SECONDS,
    )
    return render(request, "incubator/my_application.html", context)


@login_required
@require_POST
def carry_over(request, pk):
    application = get_object_or_404(Application.objects.for_applicant(request.user), pk=pk)
    try:
        services.application_carry_over(application=application, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(application)
    messages.success(request, _("Your application was copied into the new season as a draft. Check it and submit."))
    return redirect("incubator:apply")


@login_required
@require_POST
def withdraw(request, pk):
    application = get_object_or_404(Application.objects.for_applicant(request.user), pk=pk)
    try:
        services.application_withdraw(application=application, actor=request.user)
        messages.success(request, _("Your application has been withdrawn."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(application)


INVITATION_PROBLEMS = {
    # code: (HTTP status, message)
    "invalid": (
        404,
        gettext_lazy("This invitation link is not valid. Check that you opened the whole link from the e-mail."),
    ),
    "expired": (
        410,
        gettext_lazy(
            "This invitation link has expired. Ask the applicant to save the application again, which sends a new one."
        ),
    ),
    "used": (410, gettext_lazy("This invitation has been used already: the place in the team is confirmed.")),
}


def team_confirm(request, token):
    """A team member's invitation: sign in (or sign up) with the invited address, then confirm."""
    try:
        member = services.team_invitation(token)
    except services.InvitationError as exc:
        status, problem = INVITATION_PROBLEMS[exc.code]
        return render(request, "incubator/team_invitation.html", {"problem": problem}, status=status)
    application = member.application
    user = request.user
    signup_form = None
    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.team_member_confirm(token=token, user=user)
            except services.InvitationError as exc:
                status, problem = INVITATION_PROBLEMS[exc.code]
                return render(request, "incubator/team_invitation.html", {"problem": problem}, status=status)
            except ValidationError as exc:
                _errors(request, exc)
                return redirect("incubator:team_confirm", token=token)
            messages.success(
                request, _("You confirmed your place in the team “%(team)s”.") % {"team": application.team_name}
            )
            return redirect("dashboard")
    else:
        has_account = get_user_model().objects.filter(email__iexact=member.email).exists()
        if not has_account:
            signup_form = TeamInvitationSignUpForm(request.POST or None, email=member.email)
            if request.method == "POST" and signup_form.is_valid():
                try:
                    new_user = services.team_member_sign_up_and_confirm(token=token, form=signup_form)
                except services.InvitationError as exc:
                    status, problem = INVITATION_PROBLEMS[exc.code]
                    return render(request, "incubator/team_invitation.html", {"problem": problem}, status=status)
                except ValidationError as exc:
                    _errors(request, exc)
                    return redirect("incubator:team_confirm", token=token)
                login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Your account is ready and your place in the team “%(team)s” is confirmed.")
                    % {"team": application.team_name},
                )
                return redirect("dashboard")
    context = {
        "member": member,
        "application": application,
        "signup_form": signup_form,
        "email_matches": user.is_authenticated and user.email.lower() == member.email.lower(),
    }
    return render(request, "incubator/team_invitation.html", context)


def _visible_application(request, pk):
    """The application if this person may see it as staff; 404 otherwise (nothing leaks)."""
    user = request.user
    if user.has_perm("incubator.decide_application"):
        qs = Application.objects.non_draft()
    elif user.has_perm("incubator.review_application"):
        qs = Application.objects.non_draft().visible_to_reviewer(user)
    else:
        raise Http404
    return get_object_or_404(qs.select_related("season", "applicant"), pk=pk)


@login_required
def pitch_deck(request, pk):
    user = request.user
    owned = Application.objects.for_applicant(user).filter(pk=pk).first()
    application = owned or _visible_application(request, pk)
    if not application.pitch_deck:
        raise Http404
    return serve_private_file(application.pitch_deck, download_name="pitch-deck.pdf")


# --- Reviewers ------------------------------------------------------------------------------


def _require_reviewer(request):
    if not request.user.has_perm("incubator.review_application"):
        raise PermissionDenied


@login_required
def review_assignments(request):
    _require_reviewer(request)
    page = _page(request, selectors.reviewer_assignments(request.user), REVIEW_PER_PAGE)
    return render(request, "incubator/review_assignments.html", {"page_obj": page})


@login_required
def review_pool(request):
    _require_reviewer(request)
    page = _page(request, selectors.reviewer_pool(request.user), REVIEW_PER_PAGE)
    return render(request, "incubator/review_pool.html", {"page_obj": page})


@login_required
@require_POST
def review_pick(request, pk):
    _require_reviewer(request)
    application = _visible_application(request, pk)
    try:
        services.reviewer_assign(application=application, reviewer=request.user, assigned_by=request.user)
        messages.success(request, _("The application is now in your assignments."))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("incubator:review_pool")
    return redirect("incubator:review_detail", pk=application.pk)


@login_required
def review_detail(request, pk):
    application = _visible_application(request, pk)
    user = request.user
    criteria = list(application.season.criteria.all())
    own = Review.objects.filter(application=application, reviewer=user).first()
    is_manager = user.has_perm("incubator.decide_application")
    assigned = application.assignments.filter(reviewer=user).exists()
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(
                application=application,
                reviewer=user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                shareable=form.cleaned_data["shareable"],
            )
            messages.success(request, _("Your review has been saved. Thank you!"))
            return redirect("incubator:review_detail", pk=application.pk)
        except ValidationError as exc:
            _errors(request, exc)
    reviews = []
    if own or is_manager:
        reviews = list(
            application.reviews.select_related("reviewer").prefetch_related(
                Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
            )
        )
        for review in reviews:
            review.weighted = selectors.weighted_score((s.score, s.criterion.weight) for s in review.scores.all())
    context = {
        "application": application,
        "members": list(application.members.all()),
        "form": form,
        "own": own,
        "assigned": assigned,
        "is_manager": is_manager,
        "reviews": reviews,
        "review_count": application.reviews.count(),
        "conflict_form": ConflictForm(),
        "can_review": assigned and not own and application.status in services.REVIEWABLE,
    }
    return render(request, "incubator/review_detail.html", context)


@login_required
@require_POST
def declare_conflict(request, pk):
    _require_reviewer(request)
    application = _visible_application(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(
                application=application, reviewer=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Your conflict of interest is recorded; the application left your list."))
            return redirect("incubator:review_assignments")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Say briefly why you cannot review this application."))
    return redirect("incubator:review_detail", pk=application.pk)


# --- Manager --------------------------------------------------------------------------------


def _require_manager(request):
    if not request.user.has_perm("incubator.decide_application"):
        raise PermissionDenied


@login_required
def ranking(request, number):
    _require_manager(request)
    season = get_object_or_404(Season, number=number)
    if request.method == "POST":
        form = BulkDecisionForm(request.POST, season=season)
        if form.is_valid():
            count = services.bulk_action_enqueue(season=season, actor=request.user, **form.bulk_arguments())
            messages.success(
                request,
                ngettext(
                    "%(count)d application is being updated; you will get a message when it is done.",
                    "%(count)d applications are being updated; you will get a message when it is done.",
                    count,
                )
                % {"count": count},
            )
            return redirect(request.get_full_path())
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    form = BulkDecisionForm(season=season)
    order = request.GET.get("order") if request.GET.get("order") in selectors.RANKING_ORDERS else "mean"

    def rows():
        # The table and its pages, read only when their fragment is stale (push=): the same for
        # every manager while no application or review of the season changes.
        page = _page(request, selectors.cached_ranking(season, order=order), RANKING_PER_PAGE)
        return {"page_obj": page, "offset": (page.number - 1) * RANKING_PER_PAGE}

    seasons = Season.objects.order_by("number").only("number", "title")
    return render(
        request,
        "incubator/ranking.html",
        {
            "season": season,
            "rows": rows,
            "form": form,
            "seasons": seasons,
            "order": order,
            "query_string": urlencode({"order": order}),
        },
    )


@login_required
def review_progress(request, number):
    """Per reviewer: assigned, done, overdue; after the deadline, overdue reviews can be reassigned."""
    _require_manager(request)
    season = get_object_or_404(Season, number=number)
    if request.method == "POST":
        # The assignment's id from the form; anything but a number of this season's assignment is 404.
        assignment_id = request.POST.get("assignment", "")
        assignment = get_object_or_404(
            ReviewAssignment.objects.filter(application__season=season),
            pk=int(assignment_id) if assignment_id.isascii() and assignment_id.isdigit() else 0,
        )
        form = ReassignForm(request.POST)
        if form.is_valid():
            try:
                services.review_reassign(
                    assignment=assignment, reviewer=form.cleaned_data["reviewer"], actor=request.user
                )
                messages.success(request, _("The review has been reassigned."))
            except ValidationError as exc:
                _errors(request, exc)
        else:
            messages.error(request, _("Choose the reviewer to assign."))
        return redirect("incubator:review_progress", number=season.number)
    now = timezone.now()
    context = {
        "season": season,
        "progress": selectors.reviewer_progress(season, now),
        "overdue": list(selectors.overdue_assignments(season, now)),
        "past_deadline": season.review_deadline is not None and now > season.review_deadline,
        "form": ReassignForm(),
    }
    return render(request, "incubator/review_progress.html", context)


@login_required
def decision_template_preview(request, pk):
    """A season's decision template filled in with one of its real applications, in uz, ru and en."""
    _require_manager(request)
    template = get_object_or_404(DecisionTemplate.objects.select_related("season"), pk=pk)
    form = PreviewApplicationForm(request.GET or None, season=template.season)
    application = None
    if form.is_bound and form.is_valid():
        application = form.cleaned_data["application"]
    if application is None:
        application = form.fields["application"].queryset.select_related("applicant", "season").first()
    previews = []
    if application is not None:
        application = Application.objects.select_related("applicant", "season").get(pk=application.pk)
        for code, name in (("uz", _("Uzbek")), ("ru", _("Russian")), ("en", _("English"))):
            with translation.override(code):
                rendered = template.render(application, code, services.decision_feedback(application))
            previews.append({"code": code, "name": name, **rendered})
    context = {"template": template, "form": form, "application": application, "previews": previews}
    return render(request, "incubator/decision_template_preview.html", context)


# --- Mentors and office hours -----------------------------------------------------------------


@login_required
def mentors(request):
    """Mentors and their free slots; founders of an active startup book here."""
    startups = selectors.founded_startups(request.user)
    context = {
        "mentors": list(selectors.mentors_with_free_slots()),
        "startups": list(startups),
        "form": OfficeHourBookingForm(startups=startups),
    }
    return render(request, "incubator/mentors.html", context)


@login_required
@require_POST
def office_hour_book(request, pk):
    slot = get_object_or_404(OfficeHourSlot, pk=pk)
    form = OfficeHourBookingForm(request.POST, startups=selectors.founded_startups(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("incubator:mentors")
    try:
        services.office_hour_book(
            slot=slot, startup=form.cleaned_data["startup"], user=request.user, topic=form.cleaned_data["topic"]
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("incubator:mentors")
    messages.success(request, _("Your office hour is booked. The mentor and you have the details by e-mail."))
    return redirect("incubator:my_office_hours")


@login_required
def my_office_hours(request):
    bookings = list(selectors.startup_bookings(request.user))
    now = timezone.now()
    limit = datetime.timedelta(hours=services.CANCEL_HOURS_BEFORE)
    for booking in bookings:
        booking.can_cancel = booking.status == "booked" and booking.slot.start - now >= limit
    return render(
        request,
        "incubator/my_office_hours.html",
        {"bookings": bookings, "cancel_hours": services.CANCEL_HOURS_BEFORE},
    )


@login_required
@require_POST
def office_hour_cancel(request, pk):
    booking = get_object_or_404(selectors.startup_bookings(request.user), pk=pk)
    try:
        services.office_hour_cancel(booking=booking, user=request.user)
        messages.success(request, _("The booking has been cancelled."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("incubator:my_office_hours")


def _mentor_of(request):
    mentor = Mentor.objects.filter(user=request.user, is_active=True).first()
    if mentor is None:
        raise Http404
    return mentor


@login_required
def mentor_hours(request):
    """A mentor's page: publish slots, see bookings, write the note after each session."""
    mentor = _mentor_of(request)
    form = OfficeHourSlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_hours_publish(
                mentor=mentor,
                start=form.cleaned_data["start"],
                minutes=form.cleaned_data["minutes"],
                place=form.cleaned_data["place"],
            )
            messages.success(request, _("Your office hour is published."))
            return redirect("incubator:mentor_hours")
        except ValidationError as exc:
            _errors(request, exc)
    now = timezone.now()
    slots = list(
        OfficeHourSlot.objects.filter(mentor=mentor, start__gt=now - datetime.timedelta(days=1)).order_by("start")
    )
    bookings = list(selectors.mentor_bookings(mentor))
    for booking in bookings:
        booking.can_note = booking.status == "booked" and booking.slot.end <= now
    context = {"mentor": mentor, "form": form, "slots": slots, "bookings": bookings, "note_form": MentorNoteForm()}
    return render(request, "incubator/mentor_hours.html", context)


@login_required
@require_POST
def mentor_note(request, pk):
    mentor = _mentor_of(request)
    booking = get_object_or_404(OfficeHourBooking.objects.filter(slot__mentor=mentor), pk=pk)
    form = MentorNoteForm(request.POST)
    if form.is_valid():
        try:
            services.office_hour_note(booking=booking, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Your note is saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Write a short note about the session."))
    return redirect("incubator:mentor_hours")


# --- Startups' own figures ---------------------------------------------------------------------


def _founded_startup(request, slug):
    """A startup this person founded (404 for anyone else: other startups' figures are private)."""
    return get_object_or_404(Startup.objects.filter(founders__user=request.user).distinct(), slug=slug)


@login_required
def monthly_report(request, slug):
    startup = _founded_startup(request, slug)
    today = timezone.localdate()
    last = services.previous_month(today)
    first = max(
        services.month_start(startup.season.programme_start), services.month_start(last.replace(year=last.year - 1))
    )
    months = []
    month = last
    while month >= first:
        months.append(month)
        month = services.previous_month(month)
    existing = {r.month: r for r in startup.monthly_reports.filter(month__in=months)}
    chosen = request.GET.get("month") or (months[0].isoformat() if months else "")
    initial = {"month": chosen, "money_raised_uzs": 0}
    try:
        report = existing.get(datetime.date.fromisoformat(chosen)) if chosen else None
    except ValueError:
        report = None
    if report:
        initial.update({f: getattr(report, f) for f in MonthlyReport_FIELDS})
    form = MonthlyReportForm(request.POST or None, months=months, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        month = data.pop("month")
        try:
            services.monthly_report_submit(startup=startup, user=request.user, month=month, data=data)
            messages.success(request, _("Thank you: the report is saved."))
            return redirect(startup)
        except ValidationError as exc:
            _errors(request, exc)
    context = {"startup": startup, "form": form, "months": months, "reported": set(existing)}
    return render(request, "incubator/monthly_report.html", context)


MonthlyReport_FIELDS = (
    "revenue_uzs",
    "active_users",
    "employees",
    "jobs_created",
    "money_raised_uzs",
    "money_raised_from",
)


@login_required
@require_POST
def milestone_add(request, slug):
    startup = _founded_startup(request, slug)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(startup=startup, user=request.user, **form.cleaned_data)
            messages.success(request, _("The milestone is added."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Give the milestone a title and a due date."))
    return redirect(startup)


@login_required
@require_POST
def milestone_done(request, slug, pk):
    startup = _founded_startup(request, slug)
    milestone = get_object_or_404(startup.milestones, pk=pk)
    try:
        services.milestone_done(milestone=milestone, user=request.user)
        messages.success(request, _("Well done: the milestone is marked as reached."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(startup)


@login_required
def export_applications(request, number):
    _require_manager(request)
    season = get_object_or_404(Season, number=number)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="innox-season-{season.number}-applications.csv"'
    response.write("\ufeff")
    writer = safe_writer(response)
    writer.writerow(
        [
            "id",
            "team_name",
            "project_title",
            "applicant",
            "email",
            "industry",
            "stage",
            "status",
            "submitted_at",
            "reviews",
            "mean_score",
            "spread",
        ]
    )
    for a in selectors.ranking(season).iterator(chunk_size=500):
        writer.writerow(
            [
                a.pk,
                a.team_name,
                a.project_title,
                a.applicant.full_name,
                a.applicant.email,
                a.industry,
                a.stage,
                a.status,
                timezone.localtime(a.submitted_at).isoformat() if a.submitted_at else "",
                a.review_count,
                f"{a.mean_score:.2f}" if a.mean_score is not None else "",
                f"{a.spread:.2f}" if a.spread is not None else "",
            ]
        )
    return response


@login_required
def export_reviews(request, number):
    _require_manager(request)
    season = get_object_or_404(Season, number=number)
    criteria = list(season.criteria.all())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="innox-season-{season.number}-reviews.csv"'
    response.write("\ufeff")
    writer = safe_writer(response)
    writer.writerow(
        ["application_id", "team_name", "reviewer", "submitted_at", *[c.name for c in criteria], "weighted", "comment"]
    )
    reviews = (
        Review.objects.filter(application__season=season)
        .select_related("application", "reviewer")
        .prefetch_related("scores")
        .order_by("application_id", "id")
    )
    for review in reviews:
        scores = {s.criterion_id: s.score for s in review.scores.all()}
        weighted = selectors.weighted_score((scores[c.pk], c.weight) for c in criteria if c.pk in scores)
        writer.writerow(
            [
                review.application_id,
                review.application.team_name,
                review.reviewer.full_name,
                timezone.localtime(review.submitted_at).isoformat(),
                *[scores.get(c.pk, "") for c in criteria],
                "" if weighted is None else f"{weighted:.2f}",
                review.comment,
            ]
        )
    return response


@login_required
def startup_create(request, pk):
    if not request.user.has_perm("incubator.add_startup"):
        raise PermissionDenied
    application = get_object_or_404(
        Application.objects.filter(status=Application.Status.ACCEPTED).select_related("season"), pk=pk
    )
    existing = Startup.objects.filter(application=application).first()
    if existing:
        messages.info(request, _("A startup was already created from this application."))
        return redirect(existing)
    initial = {"name": application.team_name, "one_line_pitch": application.project_title, "is_public": True}
    form = StartupFromApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            startup = services.startup_create_from_application(
                application=application, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("The startup has been created."))
            return redirect(startup) if startup.is_public else redirect("admin:incubator_startup_change", startup.pk)
        except ValidationError as exc:
            _errors(request, exc)
    participants = list(application.participants.all())
    return render(
        request,
        "incubator/startup_create.html",
        {"form": form, "application": application, "participants": participants},
    )
