from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from . import spam
from .models import Inquiry


class ImageForm(BaseImageForm):
    """Wagtail's image form with the description (the alt text) required.

    Set as WAGTAILIMAGES_IMAGE_FORM_BASE, so every upload path (the images area, the
    multiple uploader and the chooser's upload tab) asks editors for it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = _("Alt text (description)")
            field.help_text = _(
                "Describe what the picture shows for people who cannot see it, e.g. "
                '"Loaves of wholemeal bread cooling on a rack". Never name or describe '
                "an inmate."
            )


class SpamProtectedForm(forms.Form):
    """A honeypot field, a signed render time and a per-client rate limit.

    A filled honeypot marks the form as spam (``is_spam``): the view answers as if all
    went well and stores nothing, so a bot learns nothing. A form sent too fast, too old
    or too often gets a message a person can act on.
    """

    rate_limit_scope = "form"
    rate_limit = 5
    rate_limit_window_seconds = 60 * 60

    # Hidden from people with CSS and from screen readers (see the template); bots fill it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    rendered_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.is_spam = False
        if not self.is_bound:
            self.initial["rendered_at"] = spam.form_timestamp()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.is_spam = True
            return cleaned
        try:
            spam.form_timestamp_check(cleaned.get("rendered_at", ""))
        except spam.FormTimestampError as exc:
            self.data = self.data.copy()
            self.data["rendered_at"] = spam.form_timestamp()
            if exc.reason == "too_fast":
                raise forms.ValidationError(
                    _("That was very quick. Please check the form and send it again."),
                    code="too_fast",
                ) from exc
            raise forms.ValidationError(
                _("This form has expired. Please send it again."), code="expired"
            ) from exc
        if self.request is not None and spam.rate_limit_exceeded(
            scope=self.rate_limit_scope,
            key=spam.client_key(self.request),
            limit=self.rate_limit,
            window_seconds=self.rate_limit_window_seconds,
        ):
            raise forms.ValidationError(
                _("Too many messages from your connection. Please try again in an hour."),
                code="rate_limited",
            )
        return cleaned


class InquiryForm(SpamProtectedForm):
    rate_limit_scope = "inquiry"

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The office, school, company or institution you buy for."),
    )
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    topic = forms.ChoiceField(label=_("What do you need?"), choices=Inquiry.Topic.choices)
    quantity = forms.CharField(
        label=_("Quantity or budget"),
        max_length=120,
        required=False,
        help_text=_('For example "200 uniform shirts" or "catering for 50 people a week".'),
    )
    message = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea)


class NewsletterSignupForm(SpamProtectedForm):
    rate_limit_scope = "newsletter"
    rate_limit = 10

    email = forms.EmailField(label=_("E-mail"))
