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
from django.utils.translation import get_language
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
    DecisionTemplate,
    ExchangeRate,
    Investment,
    Investor,
    InvestorDay,
    Mentor,
    Milestone,
    MonthlyReport,
    OfficeHourBooking,
    OfficeHourSlot,
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
    Status.SUBMITTED: {
        Status.UNDER_REVIEW,
        Status.SHORTLISTED,
        Status.ACCEPTED,
        Status.WAITLISTED,
        Status.REJECTED,
        Status.WITHDRAWN,
    },
    Status.UNDER_REVIEW: {Status.SHORTLISTED, Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN},
    Status.SHORTLISTED: {Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN},
    # On the waiting list: a place may free up (accepted), or not (rejected); the team may withdraw.
    Status.WAITLISTED: {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
    Status.ACCEPTED: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}
DECISIONS = (Status.SHORTLISTED, Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED)
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


def review_submit(
    *, application: Application, reviewer, scores: dict[int, int], comment: str = "", shareable: bool = False
) -> Review:
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
                review = Review.objects.create(
                    application=application,
                    reviewer=reviewer,
                    comment=comment.strip(),
                    shareable=bool(shareable) and bool(comment.strip()),
                )
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
        # The season's wording of this decision when staff wrote one, the default message otherwise.
        template = DecisionTemplate.objects.filter(season=application.season, decision=decision).first()
        notify(
            application.applicant,
            topic="incubator",
            kind="incubator.decision",
            template="incubator/messages/decision_templated" if template else "incubator/messages/decision",
            context={
                "application": application,
                "applicant": application.applicant,
                "season": application.season,
                "templated": TemplatedDecision(template, application) if template else None,
            },
            link=application,
        )
    return application


class TemplatedDecision:
    """A season's decision template filled in for one application, in the language active when it
    is read (the messages app renders each message in its recipient's language)."""

    def __init__(self, template: DecisionTemplate, application: Application):
        self.template = template
        self.application = application

    def _rendered(self) -> dict:
        return self.template.render(self.application, get_language() or "uz", decision_feedback(self.application))

    @property
    def subject(self) -> str:
        return self._rendered()["subject"]

    @property
    def body(self) -> str:
        return self._rendered()["body"]


def decision_feedback(application: Application) -> str:
    """What ``{feedback}`` stands for: the message staff wrote with the decision and, for a rejected
    team whose reviewers shared feedback, where to read it (in the active language)."""
    parts = [application.decision_message.strip()] if application.decision_message.strip() else []
    if application.status == Status.REJECTED and (
        application.share_feedback or application.reviews.filter(shareable=True).exists()
    ):
        parts.append(str(_("The reviewers' feedback is on your application page.")))
    return "\n\n".join(parts)


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


#: How far back a rate may be when the bank published none on the day (weekends, the Navruz and
#: New Year holidays): older than this, the rate is missing rather than silently stale.
RATE_LOOKBACK_DAYS = 10


def rate_on(*, currency: str, date: datetime.date) -> tuple[Decimal, datetime.date | None]:
    """The Central Bank rate that applies on ``date``: that day's, or the last one published before
    it (within ``RATE_LOOKBACK_DAYS``). Returns (rate, the date of that rate); (1, None) for UZS."""
    if currency == Currency.UZS:
        return Decimal(1), None
    found = (
        ExchangeRate.objects.filter(
            currency=currency, date__lte=date, date__gte=date - datetime.timedelta(days=RATE_LOOKBACK_DAYS)
        )
        .order_by("-date")
        .values_list("rate_to_uzs", "date")
        .first()
    )
    if found is None:
        raise ValidationError(
            _(
                "There is no %(currency)s exchange rate for %(date)s or the %(days)d days before it. Add it under "
                "Exchange rates (or load the Central Bank's file with load_exchange_rates) and try again."
            ),
            code="no_rate",
            params={"currency": currency, "date": date.strftime("%d.%m.%Y"), "days": RATE_LOOKBACK_DAYS},
        )
    return found


def uzs_value(*, amount: Decimal, currency: str, date: datetime.date) -> Decimal:
    """The UZS value of ``amount`` on ``date`` (see :func:`rate_on` for the rate used)."""
    rate, _rate_date = rate_on(currency=currency, date=date)
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
        rate, rate_date = rate_on(currency=currency, date=date)
        investment = Investment.objects.create(
            rate_to_uzs=None if rate_date is None else rate,
            rate_date=rate_date,
            startup=startup,
            investor=investor,
            amount=amount,
            currency=currency,
            date=date,
            kind=kind,
            investor_day=investor_day,
            uzs_value=convert_to_uzs(amount, rate),
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


# --- Review phases: reassigning overdue reviews -----------------------------------------------


def review_reassign(*, assignment: ReviewAssignment, reviewer, actor, now=None) -> ReviewAssignment:
    """After the season's review deadline, give an overdue review (assigned, not written) to another
    reviewer. The new assignment goes through :func:`reviewer_assign`, so the same rules hold
    (a reviewer, not the applicant, no conflict of interest, not already assigned); if any refuses,
    the old assignment stays."""
    now = now or timezone.now()
    if not actor.has_perm("incubator.decide_application"):
        raise ValidationError(_("Only the incubator manager assigns reviewers."), code="not_manager")
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update()
            .select_related("application__season", "reviewer")
            .filter(pk=assignment.pk)
            .first()
        )
        if assignment is None:
            raise ValidationError(_("This assignment no longer exists."), code="gone")
        application = assignment.application
        deadline = application.season.review_deadline
        if deadline is None or now <= deadline:
            raise ValidationError(
                _("Reviews can be reassigned only after the season's review deadline."), code="not_overdue"
            )
        if Review.objects.filter(application=application, reviewer=assignment.reviewer).exists():
            raise ValidationError(_("This review has been written: it is not overdue."), code="done")
        if reviewer.pk == assignment.reviewer_id:
            raise ValidationError(_("Choose another reviewer."), code="same")
        assignment.delete()
        return reviewer_assign(application=application, reviewer=reviewer, assigned_by=actor)


# --- Carrying an application over to the next season ------------------------------------------


def _copy_private_file(field_file) -> ContentFile | None:
    """A new file with the same content (a new server-chosen name): two drafts never share a file,
    so deleting or replacing one never removes the other's."""
    if not field_file:
        return None
    with field_file.open("rb") as source:
        return ContentFile(source.read(), name=os.path.basename(field_file.name))


def application_carry_over(*, application: Application, actor, now=None) -> Application:
    """A rejected team copies its application into the season open now, as a new draft with its
    team (who are invited again) and copies of its files. The old application is untouched."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock(application)
        if application.applicant_id != actor.pk:
            raise ValidationError(_("This is not your application."), code="not_owner")
        if application.status != Status.REJECTED:
            raise ValidationError(_("Only a rejected application can be carried over."), code="not_rejected")
        season = next_open_season(application, now)
        if season is None:
            raise ValidationError(_("No later season is open for applications right now."), code="no_season")
        if Application.objects.filter(season=season, applicant=actor).exists():
            raise ValidationError(
                _("You already have an application in %(season)s."), code="duplicate", params={"season": season.title}
            )
        copy = Application(
            season=season,
            applicant=actor,
            created_at=now,
            **{field: getattr(application, field) for field in APPLICATION_FIELDS},
        )
        # The copies get their own names (the upload_to functions), so the old files stay the old draft's.
        if application.pitch_deck:
            copy.pitch_deck = _copy_private_file(application.pitch_deck)
        if application.logo:
            copy.logo = _copy_private_file(application.logo)
        try:
            with transaction.atomic():
                copy.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("You already have an application in %(season)s."), code="duplicate", params={"season": season.title}
            ) from exc
        members = [{"name": m.name, "role": m.role, "email": m.email} for m in application.members.all()]
        _replace_members(copy, members, now=now)
        StatusChange.objects.create(
            application=copy,
            actor=actor,
            from_status="",
            to_status=Status.DRAFT,
            note=f"Carried over from application {application.pk} ({application.season.title})",
        )
    return copy


def next_open_season(application: Application, now=None) -> Season | None:
    """The later season open for applications now, where a rejected application can be carried."""
    now = now or timezone.now()
    return (
        Season.objects.open_for_applications(now)
        .filter(number__gt=application.season.number)
        .order_by("application_closes")
        .first()
    )


# --- Mentors and office hours -------------------------------------------------------------------

#: Founders can cancel a booking up to this many hours before the session.
CANCEL_HOURS_BEFORE = 24


def _is_founder(user, startup: Startup) -> bool:
    return startup.founders.filter(user=user).exists()


def office_hours_publish(
    *, mentor: Mentor, start: datetime.datetime, minutes: int, place: str = "", now=None
) -> OfficeHourSlot:
    """A mentor publishes a slot in the future that does not overlap one of their own."""
    now = now or timezone.now()
    if not mentor.is_active:
        raise ValidationError(_("Your mentor profile is not active."), code="inactive")
    if start <= now:
        raise ValidationError(_("A slot must start in the future."), code="past")
    if not 15 <= minutes <= 240:
        raise ValidationError(_("A slot lasts from 15 minutes to 4 hours."), code="length")
    end = start + datetime.timedelta(minutes=minutes)
    with transaction.atomic():
        Mentor.objects.select_for_update().get(pk=mentor.pk)  # one mentor's slots are published one at a time
        if OfficeHourSlot.objects.filter(mentor=mentor, start__lt=end, end__gt=start).exists():
            raise ValidationError(_("This slot overlaps one you have already published."), code="overlap")
        return OfficeHourSlot.objects.create(mentor=mentor, start=start, end=end, place=place.strip())


def _office_hour_notice(booking: OfficeHourBooking, *, kind: str, template: str) -> None:
    """Tell the mentor and the founder who booked, each in their language, with the .ics file."""
    from .ics import office_hour_calendar

    slot = booking.slot
    mentor_user = slot.mentor.user
    for person, is_mentor in ((booking.booked_by, False), (mentor_user, True)):
        notify(
            person,
            topic="incubator",
            kind=kind,
            template=template,
            context={"booking": booking, "slot": slot, "mentor": slot.mentor, "is_mentor": is_mentor},
            link=("incubator:mentor_hours", {}) if is_mentor else ("incubator:my_office_hours", {}),
            attachments=[
                {
                    "filename": "office-hour.ics",
                    "content": office_hour_calendar(booking, language=language_of(person)),
                    "mimetype": "text/calendar",
                }
            ],
        )


def office_hour_book(*, slot: OfficeHourSlot, startup: Startup, user, topic: str, now=None) -> OfficeHourBooking:
    """A founder of an active startup books a free future slot. Two people clicking at once: the
    database's partial unique constraint lets one booking in, the other gets a clear message."""
    now = now or timezone.now()
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError(_("Say briefly what you would like to discuss."), code="no_topic")
    if not _is_founder(user, startup):
        raise ValidationError(_("Only the founders of a startup book office hours for it."), code="not_founder")
    if startup.closed_on is not None:
        raise ValidationError(_("This startup is no longer active."), code="closed")
    with transaction.atomic():
        slot = OfficeHourSlot.objects.select_related("mentor__user").get(pk=slot.pk)
        if slot.start <= now:
            raise ValidationError(_("This slot has already started."), code="past")
        if slot.mentor.user_id == user.pk:
            raise ValidationError(_("You cannot book your own office hours."), code="own")
        if not slot.mentor.is_active:
            raise ValidationError(_("This mentor is not taking bookings at the moment."), code="inactive")
        try:
            with transaction.atomic():
                booking = OfficeHourBooking.objects.create(
                    slot=slot, startup=startup, booked_by=user, topic=topic[:300], created_at=now
                )
        except IntegrityError as exc:
            raise ValidationError(_("Someone has just booked this slot. Choose another one."), code="taken") from exc
        _office_hour_notice(
            booking, kind="incubator.office_hour_booked", template="incubator/messages/office_hour_booked"
        )
    return booking


def office_hour_cancel(*, booking: OfficeHourBooking, user, now=None) -> OfficeHourBooking:
    """A founder of the startup cancels up to ``CANCEL_HOURS_BEFORE`` hours before the session."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            OfficeHourBooking.objects.select_for_update()
            .select_related("slot__mentor__user", "startup", "booked_by")
            .get(pk=booking.pk)
        )
        if not _is_founder(user, booking.startup):
            raise ValidationError(_("Only the startup's founders cancel its bookings."), code="not_founder")
        if booking.status != OfficeHourBooking.Status.BOOKED:
            raise ValidationError(_("This booking is already cancelled."), code="cancelled")
        if booking.slot.start - now < datetime.timedelta(hours=CANCEL_HOURS_BEFORE):
            raise ValidationError(
                _("A booking can be cancelled up to %(hours)d hours before it starts; write to the mentor instead."),
                code="too_late",
                params={"hours": CANCEL_HOURS_BEFORE},
            )
        booking.status = OfficeHourBooking.Status.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        _office_hour_notice(
            booking, kind="incubator.office_hour_cancelled", template="incubator/messages/office_hour_cancelled"
        )
    return booking


def office_hour_note(*, booking: OfficeHourBooking, user, note: str, now=None) -> OfficeHourBooking:
    """The mentor records a short note after the session (incubator staff read it, founders do not)."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write a short note about the session."), code="empty")
    with transaction.atomic():
        booking = OfficeHourBooking.objects.select_for_update().select_related("slot__mentor").get(pk=booking.pk)
        if booking.slot.mentor.user_id != user.pk:
            raise ValidationError(_("Only the session's mentor writes its note."), code="not_mentor")
        if booking.status != OfficeHourBooking.Status.BOOKED:
            raise ValidationError(_("This booking was cancelled."), code="cancelled")
        if booking.slot.end > now:
            raise ValidationError(_("A note is written after the session."), code="early")
        booking.mentor_note = note[:2000]
        booking.noted_at = now
        booking.save(update_fields=["mentor_note", "noted_at"])
    return booking


# --- Milestones and monthly reports -------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) - datetime.timedelta(days=1))


def monthly_report_submit(*, startup: Startup, user, month: datetime.date, data: dict, today=None) -> MonthlyReport:
    """A founder fills in (or corrects) the figures of a finished month."""
    today = today or timezone.localdate()
    month = month_start(month)
    if not _is_founder(user, startup):
        raise ValidationError(_("Only the startup's founders fill in its reports."), code="not_founder")
    if month >= month_start(today):
        raise ValidationError(_("A month is reported once it has ended."), code="future")
    if month < month_start(startup.season.programme_start):
        raise ValidationError(_("This month is before the startup's InnoX programme began."), code="too_early")
    fields = (
        "revenue_uzs",
        "active_users",
        "employees",
        "jobs_created",
        "money_raised_uzs",
        "money_raised_from",
    )
    values = {f: data[f] for f in fields if f in data}
    for name in ("revenue_uzs", "money_raised_uzs", "active_users", "employees", "jobs_created"):
        if values.get(name) is not None and values[name] < 0:
            raise ValidationError(_("Figures cannot be negative."), code="negative")
    if values.get("money_raised_uzs") and not (values.get("money_raised_from") or "").strip():
        raise ValidationError(_("Say from whom the money was raised."), code="no_source")
    with transaction.atomic():
        report, _created = MonthlyReport.objects.update_or_create(
            startup=startup,
            month=month,
            defaults={**values, "submitted_by": user, "submitted_at": timezone.now()},
        )
    return report


def milestone_add(*, startup: Startup, user, title: str, due_on: datetime.date) -> Milestone:
    if not (_is_founder(user, startup) or user.has_perm("incubator.add_milestone")):
        raise ValidationError(_("Only the startup's founders and the incubator staff add milestones."), code="denied")
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the milestone a title."), code="no_title")
    return Milestone.objects.create(startup=startup, title=title[:200], due_on=due_on)


def milestone_done(*, milestone: Milestone, user, done_on: datetime.date | None = None) -> Milestone:
    if not (_is_founder(user, milestone.startup) or user.has_perm("incubator.change_milestone")):
        raise ValidationError(
            _("Only the startup's founders and the incubator staff update milestones."), code="denied"
        )
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return milestone
