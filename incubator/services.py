"""Every state change of InnoX. Views, admin actions and commands call these functions.

Each runs in one transaction, checks its rules and raises ``ValidationError`` with a message
the person can act on; on error nothing changes. Allowed status transitions are written here
once (``TRANSITIONS``) and every change is logged in :class:`StatusChange`.
"""

import datetime
import os
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from notifications.services import language_of, notify
from technopark.accounts import require_confirmed_email
from technopark.storage import private_storage
from technopark.uploads import delete_on_commit_if_unused

from .models import (
    MAX_TEAM_MEMBERS,
    MIN_TEAM_MEMBERS,
    SCORE_MAX,
    SCORE_MIN,
    Application,
    ConflictOfInterest,
    Currency,
    ExchangeRate,
    Investment,
    Investor,
    InvestorDay,
    Participant,
    Review,
    ReviewAssignment,
    ReviewScore,
    Season,
    Startup,
    StatusChange,
    TeamMember,
)
from .validators import validate_image, validate_pdf

Status = Application.Status

# from status -> statuses it may move to
TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.UNDER_REVIEW, Status.SHORTLISTED, Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
    Status.UNDER_REVIEW: {Status.SHORTLISTED, Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
    Status.SHORTLISTED: {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
    Status.ACCEPTED: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}
DECISIONS = (Status.SHORTLISTED, Status.ACCEPTED, Status.REJECTED)
REVIEWABLE = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.SHORTLISTED)
POOL = (Status.SUBMITTED, Status.UNDER_REVIEW)

APPLICATION_FIELDS = ("team_name", "project_title", "problem", "solution", "industry", "stage")


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("season", "applicant").get(pk=application.pk)


def _move(application: Application, *, to_status: str, actor, note: str = "") -> None:
    from_status = application.status
    if to_status not in TRANSITIONS[from_status]:
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”."),
            code="bad_transition",
            params={"from": Status(from_status).label, "to": Status(to_status).label},
        )
    application.status = to_status
    StatusChange.objects.create(
        application=application, actor=actor, from_status=from_status, to_status=to_status, note=note
    )


# --- Applicants -------------------------------------------------------------------------------


def _clean_members(members: list[dict], *, require_one: bool) -> list[dict]:
    members = [m for m in members if (m.get("name") or "").strip() or (m.get("email") or "").strip()]
    if len(members) > MAX_TEAM_MEMBERS:
        raise ValidationError(
            _("A team has at most %(max)d members (you listed %(count)d)."),
            code="too_many_members",
            params={"max": MAX_TEAM_MEMBERS, "count": len(members)},
        )
    if require_one and len(members) < MIN_TEAM_MEMBERS:
        raise ValidationError(_("List at least one team member (usually yourself)."), code="no_members")
    emails = [m["email"].strip().lower() for m in members]
    if len(set(emails)) != len(emails):
        raise ValidationError(_("Each team member needs a different e-mail address."), code="duplicate_member")
    return members


def application_save_draft(
    *,
    applicant,
    season: Season,
    data: dict,
    members: list[dict],
    pitch_deck: UploadedFile | None = None,
    logo: UploadedFile | None = None,
    application: Application | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Create or update the applicant's draft for an open season; replaces its team list."""
    now = now or timezone.now()
    members = _clean_members(members, require_one=False)
    if pitch_deck is not None:
        validate_pdf(pitch_deck)
    if logo is not None:
        validate_image(logo)
    with transaction.atomic():
        if application is None:
            if not season.is_open(now):
                raise ValidationError(_("Applications to this season are closed."), code="closed")
            if Application.objects.filter(season=season, applicant=applicant).exists():
                raise ValidationError(
                    _("You already have an application in this season: edit that one."), code="duplicate"
                )
            application = Application(season=season, applicant=applicant, created_at=now)
        else:
            application = _lock(application)
            if application.applicant_id != applicant.pk:
                raise ValidationError(_("This is not your application."), code="not_owner")
            if application.status != Status.DRAFT:
                raise ValidationError(_("A submitted application can no longer be changed."), code="read_only")
        for field in APPLICATION_FIELDS:
            if field in data:
                setattr(application, field, data[field])
        # A replaced file is deleted once the new one is committed (unless another row uses it).
        if pitch_deck is not None:
            delete_on_commit_if_unused(private_storage(), application.pitch_deck.name, Application, "pitch_deck")
            application.pitch_deck = pitch_deck
        if logo is not None:
            delete_on_commit_if_unused(private_storage(), application.logo.name, Application, "logo")
            application.logo = logo
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("You already have an application in this season: edit that one."), code="duplicate"
            ) from exc
        _replace_members(application, members, now=now)
    return application


def _replace_members(application: Application, members: list[dict], *, now) -> None:
    """Make the team list ``members``. A member kept (same e-mail) keeps their invitation and
    confirmation; a new member is invited; the applicant's own row is confirmed at once."""
    existing = {m.email: m for m in application.members.all()}
    wanted = {m["email"].strip().lower(): m for m in members}
    application.members.exclude(email__in=list(wanted)).delete()
    applicant = application.applicant
    for email, m in wanted.items():
        member = existing.get(email) or TeamMember(application=application, email=email)
        member.name = m["name"].strip()
        member.role = (m.get("role") or "").strip()
        if member.confirmed_at is None and email == applicant.email.lower():
            member.user, member.confirmed_at = applicant, now
        member.save()
        if member.confirmed_at is None and (member.invited_at is None or member.invited_at <= now - INVITE_MAX_AGE):
            team_member_invite(member=member, application=application, now=now)  # new, or the last link expired


# --- Team invitations --------------------------------------------------------------------------

INVITE_SALT = "incubator.team-invitation"
INVITE_MAX_AGE = datetime.timedelta(days=14)


def team_invite_token(member: TeamMember) -> str:
    return signing.dumps({"m": member.pk, "n": member.invite_nonce}, salt=INVITE_SALT, compress=True)


def team_member_invite(*, member: TeamMember, application: Application, now=None) -> None:
    """Send ``member`` a link to confirm their place; a new link makes an older one useless."""
    User = get_user_model()
    member.invite_nonce = get_random_string(32)
    member.invited_at = now or timezone.now()
    member.save(update_fields=["invite_nonce", "invited_at"])
    account = User.objects.filter(email__iexact=member.email, is_active=True).first()
    notify(
        account,
        email="" if account else member.email,
        language=language_of(account or application.applicant),
        topic="incubator",
        kind="incubator.team_invitation",
        template="incubator/messages/team_invitation",
        context={
            "member": member,
            "application": application,
            "applicant": application.applicant,
            "season": application.season,
            "valid_days": INVITE_MAX_AGE.days,
        },
        link=("incubator:team_confirm", {"token": team_invite_token(member)}),
    )


class InvitationError(Exception):
    """Why an invitation link cannot be used: ``code`` is invalid, expired or used."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _invitation_data(token: str) -> dict:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvitationError("expired") from exc
    except signing.BadSignature as exc:
        raise InvitationError("invalid") from exc
    return data if isinstance(data, dict) else {}


def _check_invitation(member: TeamMember | None, data: dict) -> TeamMember:
    if member is None:
        raise InvitationError("invalid")
    if member.confirmed_at is not None or not member.invite_nonce or member.invite_nonce != data.get("n"):
        raise InvitationError("used")
    return member


def team_invitation(token: str) -> TeamMember:
    """The team member a link was sent to, or InvitationError (invalid, expired, used)."""
    data = _invitation_data(token)
    queryset = TeamMember.objects.select_related("application__season", "application__applicant")
    return _check_invitation(queryset.filter(pk=data.get("m")).first(), data)


def team_member_confirm(*, token: str, user) -> TeamMember:
    """The person signed in as the invited address confirms their place; the link is used up."""
    data = _invitation_data(token)
    with transaction.atomic():
        member = _check_invitation(TeamMember.objects.select_for_update().filter(pk=data.get("m")).first(), data)
        if user.email.lower() != member.email.lower():
            raise ValidationError(
                _("This invitation is for %(email)s: sign in with that address to confirm."),
                code="other_email",
                params={"email": member.email},
            )
        member.user = user
        member.confirmed_at = timezone.now()
        member.invite_nonce = ""
        member.save(update_fields=["user", "confirmed_at", "invite_nonce"])
        # The link reached this address, so the address is the person's.
        if getattr(user, "email_confirmed_at", False) is None:
            user.email_confirmed_at = member.confirmed_at
            user.save(update_fields=["email_confirmed_at"])
    return member


def team_member_sign_up_and_confirm(*, token: str, form):
    """A team member without an account creates it (with the invited address) from a valid
    ``TeamInvitationSignUpForm`` and confirms their place, in one transaction. Returns the user."""
    User = get_user_model()
    member = team_invitation(token)
    with transaction.atomic():
        if User.objects.filter(email__iexact=member.email).exists():
            raise ValidationError(
                _("An account with %(email)s exists already: sign in to confirm your place."),
                code="has_account",
                params={"email": member.email},
            )
        user = form.save(commit=False)
        user.email = member.email.lower()
        user.save()
        team_member_confirm(token=token, user=user)
    return user


def application_submit(*, application: Application, actor, now: datetime.datetime | None = None) -> Application:
    """Submit a complete draft before the season's deadline. After this it is read-only."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock(application)
        if application.applicant_id != actor.pk:
            raise ValidationError(_("Only the applicant can submit this application."), code="not_owner")
        require_confirmed_email(actor)
        if application.status != Status.DRAFT:
            raise ValidationError(_("This application has already been submitted."), code="already_submitted")
        season = application.season
        if now >= season.application_closes:
            raise ValidationError(
                _("The deadline has passed: applications to %(season)s closed on %(date)s."),
                code="late",
                params={
                    "season": season.title,
                    "date": date_format(timezone.localtime(season.application_closes), "DATETIME_FORMAT"),
                },
            )
        if now < season.application_opens:
            raise ValidationError(_("Applications to this season are not open yet."), code="not_open")
        missing = [
            str(Application._meta.get_field(f).verbose_name)
            for f in ("team_name", "project_title", "problem", "solution", "pitch_deck")
            if not getattr(application, f)
        ]
        if missing:
            raise ValidationError(
                _("Fill in before submitting: %(fields)s."), code="incomplete", params={"fields": ", ".join(missing)}
            )
        members = list(application.members.all())
        _clean_members([{"name": m.name, "role": m.role, "email": m.email} for m in members], require_one=True)
        waiting = [m.name for m in members if m.confirmed_at is None]
        if season.team_must_confirm and waiting:
            raise ValidationError(
                _(
                    "Every team member must confirm their place before you submit. "
                    "Not confirmed yet: %(names)s. They have an invitation by e-mail."
                ),
                code="team_not_confirmed",
                params={"names": ", ".join(waiting)},
            )
        _move(application, to_status=Status.SUBMITTED, actor=actor)
        application.submitted_at = now
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        notify(
            application.applicant,
            topic="incubator",
            kind="incubator.application_submitted",
            template="incubator/messages/application_submitted",
            context={
                "application": application,
                "applicant": application.applicant,
                "season": season,
                "members": members,
                "files": _file_names(application),
            },
            link=application,
        )
    return application


def _file_names(application: Application) -> list[str]:
    """The files sent with an application, named in the recipient's language (rendered lazily)."""
    names = []
    if application.pitch_deck:
        names.append(Application._meta.get_field("pitch_deck").verbose_name)
    if application.logo:
        names.append(Application._meta.get_field("logo").verbose_name)
    return names


def application_withdraw(*, application: Application, actor) -> Application:
    with transaction.atomic():
        application = _lock(application)
        if application.applicant_id != actor.pk:
            raise ValidationError(_("Only the applicant can withdraw this application."), code="not_owner")
        if application.status not in Application.UNDECIDED:
            raise ValidationError(
                _("Only a submitted application without a final decision can be withdrawn."), code="cannot_withdraw"
            )
        _move(application, to_status=Status.WITHDRAWN, actor=actor)
        application.save(update_fields=["status", "updated_at"])
    return application


# --- Review -----------------------------------------------------------------------------------


def _check_reviewer(reviewer) -> None:
    if not reviewer.has_perm("incubator.review_application"):
        raise ValidationError(_("%(name)s is not a reviewer."), code="not_reviewer", params={"name": str(reviewer)})


def reviewer_assign(*, application: Application, reviewer, assigned_by) -> ReviewAssignment:
    """Assign a reviewer (by a manager), or a reviewer picks an application from the pool
    (``assigned_by == reviewer``). A submitted application moves to "under review"."""
    _check_reviewer(reviewer)
    self_pick = assigned_by.pk == reviewer.pk
    if not self_pick and not assigned_by.has_perm("incubator.decide_application"):
        raise ValidationError(_("Only the incubator manager assigns reviewers."), code="not_manager")
    with transaction.atomic():
        application = _lock(application)
        allowed = POOL if self_pick else REVIEWABLE
        if application.status not in allowed:
            raise ValidationError(
                _("This application cannot be reviewed in its current status (%(status)s)."),
                code="not_reviewable",
                params={"status": application.get_status_display()},
            )
        if application.applicant_id == reviewer.pk:
            raise ValidationError(_("Nobody reviews their own application."), code="own")
        if ConflictOfInterest.objects.filter(application=application, reviewer=reviewer).exists():
            raise ValidationError(
                _("%(name)s declared a conflict of interest with this application."),
                code="conflict",
                params={"name": str(reviewer)},
            )
        assignment, created = ReviewAssignment.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": assigned_by}
        )
        if not created:
            raise ValidationError(_("This reviewer is already assigned to this application."), code="already")
        if application.status == Status.SUBMITTED:
            _move(application, to_status=Status.UNDER_REVIEW, actor=assigned_by)
            application.save(update_fields=["status", "updated_at"])
        notify(
            reviewer,
            topic="reviews",
            kind="incubator.review_assigned",
            template="incubator/messages/review_assigned",
            context={
                "application": application,
                "reviewer": reviewer,
                "season": application.season,
                "self_pick": self_pick,
            },
            link=("incubator:review_detail", {"pk": application.pk}),
        )
    return assignment


def conflict_declare(*, application: Application, reviewer, reason: str) -> ConflictOfInterest:
    """A reviewer declares a conflict of interest: their assignment goes, they cannot review it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say briefly why (e.g. a relative or a colleague is in the team)."), code="no_reason")
    with transaction.atomic():
        application = _lock(application)
        if Review.objects.filter(application=application, reviewer=reviewer).exists():
            raise ValidationError(
                _("You have already reviewed this application; ask the manager to withdraw your review."),
                code="reviewed",
            )
        conflict, created = ConflictOfInterest.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"reason": reason}
        )
        if not created:
            raise ValidationError(_("You have already declared a conflict here."), code="already")
        ReviewAssignment.objects.filter(application=application, reviewer=reviewer).delete()
    return conflict


def review_submit(*, application: Application, reviewer, scores: dict[int, int], comment: str = "") -> Review:
    """One review per reviewer per application, scoring every criterion of the season 1–5."""
    _check_reviewer(reviewer)
    with transaction.atomic():
        application = _lock(application)
        if ConflictOfInterest.objects.filter(application=application, reviewer=reviewer).exists():
            raise ValidationError(
                _("You declared a conflict of interest with this application and cannot review it."),
                code="conflict",
            )
        if not ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists():
            raise ValidationError(
                _("Take this application from the pool (or ask to be assigned) before reviewing it."),
                code="not_assigned",
            )
        if application.status not in REVIEWABLE:
            raise ValidationError(
                _("This application cannot be reviewed in its current status (%(status)s)."),
                code="not_reviewable",
                params={"status": application.get_status_display()},
            )
        if Review.objects.filter(application=application, reviewer=reviewer).exists():
            raise ValidationError(_("You have already reviewed this application."), code="twice")
        criteria = list(application.season.criteria.all())
        if not criteria:
            raise ValidationError(_("This season has no score criteria yet."), code="no_criteria")
        scores = {int(k): v for k, v in scores.items()}
        errors = []
        for criterion in criteria:
            value = scores.get(criterion.pk)
            if value is None:
                errors.append(
                    ValidationError(
                        _("Give a score for “%(criterion)s”."), code="missing", params={"criterion": criterion.name}
                    )
                )
            elif not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
                errors.append(
                    ValidationError(
                        _("The score for “%(criterion)s” must be between 1 and 5."),
                        code="out_of_range",
                        params={"criterion": criterion.name},
                    )
                )
        if set(scores) - {c.pk for c in criteria}:
            errors.append(ValidationError(_("A score was given for a criterion of another season."), code="foreign"))
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                review = Review.objects.create(application=application, reviewer=reviewer, comment=comment.strip())
        except IntegrityError as exc:
            raise ValidationError(_("You have already reviewed this application."), code="twice") from exc
        ReviewScore.objects.bulk_create(ReviewScore(review=review, criterion=c, score=scores[c.pk]) for c in criteria)
        if application.status == Status.SUBMITTED:
            _move(application, to_status=Status.UNDER_REVIEW, actor=reviewer)
            application.save(update_fields=["status", "updated_at"])
    return review


# --- Decisions ------------------------------------------------------------------------------


def application_decide(
    *,
    application: Application,
    actor,
    decision: str,
    message: str = "",
    share_feedback: bool = False,
) -> Application:
    """Shortlist, accept or reject. Logs the change and tells the applicant, in their language,
    through the outbox (sent by a worker after the commit). Accepting makes the team participants."""
    if not actor.has_perm("incubator.decide_application"):
        raise ValidationError(_("Only the incubator manager decides on applications."), code="not_manager")
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."), code="bad_decision")
    with transaction.atomic():
        application = _lock(application)
        _move(application, to_status=decision, actor=actor, note=message)
        application.decision_message = message.strip()
        application.share_feedback = bool(share_feedback) and decision == Status.REJECTED
        application.save(update_fields=["status", "decision_message", "share_feedback", "updated_at"])
        if decision == Status.ACCEPTED:
            _participants_from(application)
        notify(
            application.applicant,
            topic="incubator",
            kind="incubator.decision",
            template="incubator/messages/decision",
            context={
                "application": application,
                "applicant": application.applicant,
                "season": application.season,
            },
            link=application,
        )
    return application


def bulk_action_enqueue(
    *,
    season: Season,
    actor,
    action: str,
    application_ids: list[int],
    reviewer=None,
    message: str = "",
    share_feedback: bool = False,
) -> int:
    """Queue a ranking-page bulk action (decide or assign many applications). The request writes one
    task row, whatever the count; a worker applies each application through application_decide or
    reviewer_assign (the same rules as one by one) and tells ``actor`` the result."""
    if not actor.has_perm("incubator.decide_application"):
        raise ValidationError(_("Only the incubator manager decides on applications."), code="not_manager")
    if action != "assign" and action not in DECISIONS:
        raise ValidationError(_("Unknown decision."), code="bad_decision")
    from .tasks import apply_bulk_action

    apply_bulk_action.enqueue(
        season_id=season.pk,
        action=action,
        application_ids=application_ids,
        actor_id=actor.pk,
        reviewer_id=reviewer.pk if reviewer else None,
        message=message.strip(),
        share_feedback=share_feedback,
    )
    return len(application_ids)


def _participants_from(application: Application) -> list[Participant]:
    User = get_user_model()
    people = [(m.name, m.email.lower()) for m in application.members.all()]
    applicant = application.applicant
    if applicant.email.lower() not in {email for _name, email in people}:
        people.insert(0, (applicant.full_name or applicant.email, applicant.email.lower()))
    users = {u.email.lower(): u for u in User.objects.filter(email__in=[email for _n, email in people])}
    participants = []
    for name, email in people:
        participant, created = Participant.objects.get_or_create(
            season=application.season,
            email=email,
            defaults={"name": name, "user": users.get(email), "application": application},
        )
        participants.append(participant)
    return participants


def application_accept(*, application: Application, actor, message: str = "") -> list[Participant]:
    """Accept an application; its team members become participants of the season."""
    with transaction.atomic():
        application = application_decide(
            application=application, actor=actor, decision=Status.ACCEPTED, message=message
        )
        return list(Participant.objects.filter(application=application).order_by("id"))


# --- Startups and money ---------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "startup"
    slug, n = base, 2
    while Startup.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def startup_create_from_application(
    *,
    application: Application,
    actor,
    name: str = "",
    one_line_pitch: str = "",
    description: str = "",
    is_public: bool = True,
    website: str = "",
) -> Startup:
    """Create the startup of an accepted team; its participants become the founders."""
    if not actor.has_perm("incubator.add_startup"):
        raise ValidationError(_("Only the incubator manager creates startups."), code="not_manager")
    with transaction.atomic():
        application = _lock(application)
        if application.status != Status.ACCEPTED:
            raise ValidationError(_("Only an accepted application becomes a startup."), code="not_accepted")
        if Startup.objects.filter(application=application).exists():
            raise ValidationError(_("A startup was already created from this application."), code="exists")
        founders = list(Participant.objects.filter(application=application))
        if not founders:
            raise ValidationError(_("This application has no participants yet."), code="no_participants")
        name = (name or application.team_name).strip()
        startup = Startup(
            name=name,
            slug=_unique_slug(name),
            one_line_pitch=one_line_pitch or application.project_title,
            description=description or application.solution,
            industry=application.industry,
            stage=application.stage,
            season=application.season,
            application=application,
            is_public=is_public,
            website=website,
        )
        if application.logo:
            # The application's logo is private; the startup's is public: a copy, never the same file.
            with application.logo.open("rb") as source:
                startup.logo = ContentFile(source.read(), name=os.path.basename(application.logo.name))
        startup.full_clean(exclude=["logo"])
        startup.save()
        startup.founders.set(founders)
    return startup


TWO_PLACES = Decimal("0.01")


def convert_to_uzs(amount: Decimal, rate: Decimal) -> Decimal:
    """The one money conversion: ``amount`` × ``rate`` (UZS per unit; 1 for UZS), to the tiyin,
    halves rounded up. The service and the demo data both use it."""
    return (Decimal(amount) * Decimal(rate)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def uzs_value(*, amount: Decimal, currency: str, date: datetime.date) -> Decimal:
    """The UZS value of ``amount`` on ``date`` from the stored rate of that day."""
    if currency == Currency.UZS:
        return convert_to_uzs(amount, Decimal(1))
    rate = ExchangeRate.objects.filter(currency=currency, date=date).values_list("rate_to_uzs", flat=True).first()
    if rate is None:
        raise ValidationError(
            _(
                "There is no %(currency)s exchange rate for %(date)s. Add it under Exchange rates "
                "(or load the Central Bank's file with load_exchange_rates) and try again."
            ),
            code="no_rate",
            params={"currency": currency, "date": date.strftime("%d.%m.%Y")},
        )
    return convert_to_uzs(amount, rate)


def investment_record(
    *,
    startup: Startup,
    investor: Investor,
    amount: Decimal,
    currency: str,
    date: datetime.date,
    kind: str,
    investor_day: InvestorDay | None = None,
    note: str = "",
) -> Investment:
    """Record money a startup received; its UZS value comes from the rate of that date."""
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError(_("The amount must be greater than zero."), code="not_positive")
    if currency not in Currency.values:
        raise ValidationError(_("The currency must be UZS or USD."), code="bad_currency")
    if kind not in Investment.Kind.values:
        raise ValidationError(_("Unknown kind of investment."), code="bad_kind")
    with transaction.atomic():
        value = uzs_value(amount=amount, currency=currency, date=date)
        investment = Investment.objects.create(
            startup=startup,
            investor=investor,
            amount=amount,
            currency=currency,
            date=date,
            kind=kind,
            investor_day=investor_day,
            uzs_value=value,
            note=note,
        )
    return investment


MAX_RATE = Decimal("1e10")  # ExchangeRate.rate_to_uzs holds 10 digits before the point


def exchange_rates_load(*, rows: list[dict], currencies: set[str] | None = None) -> tuple[int, int]:
    """Store rates from the Central Bank of Uzbekistan JSON (objects with "Ccy", "Rate",
    "Nominal", "Date" as dd.mm.yyyy). Returns (created, updated). One bad record stores nothing
    and names the record."""
    if not isinstance(rows, list):
        raise ValidationError(_("Expected a JSON list of rate records."), code="not_a_list")
    parsed = []
    for number, row in enumerate(rows, start=1):
        try:
            if not isinstance(row, dict):
                raise TypeError
            ccy = str(row["Ccy"]).strip().upper()
            day = datetime.datetime.strptime(str(row["Date"]).strip(), "%d.%m.%Y").date()
            rate = Decimal(str(row["Rate"]).strip().replace(",", "."))
            nominal = Decimal(str(row.get("Nominal") or "1").strip())
            if not (len(ccy) == 3 and ccy.isalpha() and rate.is_finite() and nominal.is_finite()):
                raise ValueError
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise ValidationError(
                _(
                    "Record %(number)d is not a Central Bank rate record (it needs Ccy, Rate and Date "
                    "as dd.mm.yyyy): %(row)s"
                ),
                code="bad_row",
                params={"number": number, "row": str(row)[:200]},
            ) from exc
        if currencies and ccy not in currencies:
            continue
        if rate <= 0 or nominal <= 0:
            raise ValidationError(
                _("Record %(number)d: a rate must be positive (%(row)s)."),
                code="bad_rate",
                params={"number": number, "row": str(row)[:200]},
            )
        value = (rate / nominal).quantize(Decimal("0.0001"))
        if value >= MAX_RATE:
            raise ValidationError(
                _("Record %(number)d: the rate %(rate)s is too large to be a rate in UZS."),
                code="bad_rate",
                params={"number": number, "rate": value},
            )
        parsed.append((ccy, day, value))
    created = updated = 0
    with transaction.atomic():
        for ccy, day, value in parsed:
            _obj, was_created = ExchangeRate.objects.update_or_create(
                currency=ccy, date=day, defaults={"rate_to_uzs": value}
            )
            created += was_created
            updated += not was_created
    return created, updated
