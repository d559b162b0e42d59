"""Dashboard pages of training figures. Thin: forms in, services out; every lookup
through the selectors, so another Lapas's course is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.apps.core.policy import policy_required, user_may_open

from . import selectors, services
from .forms import PeriodForm, TrainingCourseForm, default_dates


@policy_required
def course_list(request):
    period_form = PeriodForm(request.GET or None)
    period = period_form.period()
    courses = selectors.training_courses_for_user(request.user)
    summary = selectors.training_summary(courses=courses, period=period)
    listed = courses.filter(ended_on__gte=period.start, ended_on__lte=period.end).order_by(
        "-ended_on", "-pk"
    )[:200]
    return render(
        request,
        "training/dashboard/course_list.html",
        {
            "period_form": period_form,
            "summary": summary,
            "courses": listed,
            "may_add": user_may_open(request.user, "training_dashboard:create"),
        },
    )


@policy_required
def course_create(request):
    workshops = selectors.training_workshops_for_user(request.user)
    form = TrainingCourseForm(request.POST or None, workshops=workshops, initial=default_dates())
    if request.method == "POST" and form.is_valid():
        try:
            services.training_course_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        else:
            messages.success(request, _("The course is recorded."))
            return redirect("training_dashboard:list")
    return render(request, "training/dashboard/course_form.html", {"form": form})


@policy_required
@require_POST
def course_delete(request, pk):
    if selectors.training_course_for_user(user=request.user, course_id=pk) is None:
        raise Http404
    services.training_course_delete(user=request.user, course_id=pk)
    messages.success(request, _("The course is removed."))
    return redirect("training_dashboard:list")
