from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataEvent(models.Model):
    """The audit line of one data download, account erasure or retention run.

    It records whose account (by id: the account itself is anonymised by an erasure) and
    how much was handed out or removed, never the personal data itself.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Data downloaded by the buyer")
        ERASURE = "erasure", _("Account erased at the buyer's request")
        RETENTION = "retention", _("Guest orders' contact data anonymised (retention)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    # "user #42": still says whose it was if the account row is ever deleted.
    account_ref = models.CharField(_("account reference"), max_length=64, blank=True)
    # Counts of what was exported or anonymised, per kind of record.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data event")
        verbose_name_plural = _("personal data events")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.get_kind_display()} {self.account_ref} {self.created_at:%Y-%m-%d %H:%M}"
