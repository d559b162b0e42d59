from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    """The buyer confirms an erasure with their password (re-authentication) and a tick."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased for good."),
        required=True,
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through the login backends, so a wrong password counts towards the same lockout
        # as a failed login (django-axes) and cannot be guessed here at leisure.
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("That is not your password. Nothing was erased."))
        return password
