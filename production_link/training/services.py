"""Writes of training figures: workshop staff of the Lapas enter and correct them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from production_link.selectors import user_may_manage_lapas

from .models import TrainingCourse


def _check_workshop(*, user, workshop) -> None:
    if not user.has_perm("training.add_trainingcourse"):
        raise PermissionDenied(_("Your role may not enter training figures."))
    if not user_may_manage_lapas(user=user, lapas=workshop.lapas):
        raise PermissionDenied(_("You may enter training figures for your own Lapas only."))


@transaction.atomic
def training_course_create(
    *,
    user,
    workshop,
    title: str,
    issuer_kind: str,
    started_on: datetime.date,
    ended_on: datetime.date,
    participants: int,
    certified: int = 0,
    scheme: str = "",
    issuer_name: str = "",
) -> TrainingCourse:
    """Record one course run by a workshop of the user's own Lapas.

    Raises PermissionDenied for another Lapas's workshop and ValidationError (by field)
    for figures that cannot be true: more certificates than participants, a course that
    ends before it starts or in the future, the same course entered twice."""
    _check_workshop(user=user, workshop=workshop)
    course = TrainingCourse(
        workshop=workshop,
        title=" ".join((title or "").split()),
        scheme=" ".join((scheme or "").split()),
        issuer_kind=issuer_kind,
        issuer_name=" ".join((issuer_name or "").split()),
        started_on=started_on,
        ended_on=ended_on,
        participants=participants,
        certified=certified,
        created_by=user,
    )
    errors = {}
    if participants is not None and certified is not None and certified > participants:
        errors["certified"] = _("There cannot be more certificates than participants.")
    if started_on and ended_on and ended_on < started_on:
        errors["ended_on"] = _("A course cannot end before it starts.")
    if ended_on and ended_on > timezone.localdate():
        errors["ended_on"] = _("Enter a course once it has ended.")
    try:
        course.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    if TrainingCourse.objects.filter(
        workshop=workshop, title=course.title, started_on=started_on, ended_on=ended_on
    ).exists():
        raise ValidationError({"title": _("This course is already recorded for this workshop.")})
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError:
        # Two submits at once: the other one recorded it.
        raise ValidationError(
            {"title": _("This course is already recorded for this workshop.")}
        ) from None
    return course


@transaction.atomic
def training_course_delete(*, user, course_id: int) -> None:
    """Remove a course entered by mistake (own Lapas only). Deleting a missing one is a
    no-op, so a repeated click changes nothing."""
    course = (
        TrainingCourse.objects.select_for_update()
        .select_related("workshop__lapas")
        .filter(pk=course_id)
        .first()
    )
    if course is None:
        return
    if not user.has_perm("training.delete_trainingcourse"):
        raise PermissionDenied(_("Your role may not remove training figures."))
    if not user_may_manage_lapas(user=user, lapas=course.workshop.lapas):
        raise PermissionDenied(_("You may change the training figures of your own Lapas only."))
    course.delete()
