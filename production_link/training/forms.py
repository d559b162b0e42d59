import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import TrainingCourse

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingCourseForm(forms.Form):
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=None)
    title = forms.CharField(
        label=_("Course"),
        max_length=160,
        help_text=_("E.g. “Basic bread baking”. No names of participants."),
    )
    scheme = forms.CharField(
        label=_("Certification scheme"),
        max_length=160,
        required=False,
        help_text=_("The competence scheme or unit certified, e.g. “Pembuat Roti (Baker)”."),
    )
    issuer_kind = forms.ChoiceField(label=_("Issued by"), choices=TrainingCourse.Issuer.choices)
    issuer_name = forms.CharField(
        label=_("Issuer"),
        max_length=160,
        required=False,
        help_text=_("The body that certifies, e.g. “LSP Pariwisata Indonesia”, “BLK Tangerang”."),
    )
    started_on = forms.DateField(label=_("Started on"), widget=DATE_INPUT)
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT)
    participants = forms.IntegerField(label=_("Participants"), min_value=1, max_value=10000)
    certified = forms.IntegerField(
        label=_("Certificates issued"), min_value=0, max_value=10000, initial=0
    )

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("Whole year")), *[(q, f"Q{q}") for q in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def period(self):
        from .selectors import period_of

        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        return period_of(year=year, quarter=data.get("quarter"))


def default_dates():
    today = timezone.localdate()
    return {"started_on": today - datetime.timedelta(days=30), "ended_on": today}
