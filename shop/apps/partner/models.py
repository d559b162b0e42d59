from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner

satker_code_validator = RegexValidator(
    r"^\d{6}$", _("A satker code is exactly 6 digits, e.g. 413201.")
)
# Stripe's connected account ids: "acct_" and letters and digits (acct_1032D82eZvKYlo2C).
stripe_account_validator = RegexValidator(
    r"^acct_[A-Za-z0-9]{6,64}$",
    _("A Stripe connected account id starts with acct_ followed by letters and digits."),
)


class Partner(AbstractPartner):
    """A Lapas, Rutan or LPKA: a satker (state work unit) that makes and sells goods.

    Oscar's partner is the unit that owns stock and fulfils orders, which is exactly
    what a Lapas is in Karya; its users (``Partner.users``) are the staff scoped to it.
    The postal address lives in Oscar's PartnerAddress.
    """

    class Kind(models.TextChoices):
        LAPAS = "lapas", _("Lapas (correctional institution)")
        RUTAN = "rutan", _("Rutan (remand centre)")
        LPKA = "lpka", _("LPKA (juvenile institution)")

    satker_code = models.CharField(
        _("satker code"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[satker_code_validator],
        help_text=_("The 6-digit code of this state work unit (kode satker)."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.LAPAS)
    short_code = models.CharField(
        _("short code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", _("Use 2 to 5 capital letters, e.g. TNG."))],
        help_text=_("Short letters used in batch codes and receipts, e.g. TNG."),
    )
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    bank_name = models.CharField(_("bank name"), max_length=64, blank=True)
    bank_account_number = models.CharField(
        _("bank account number"),
        max_length=32,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{6,20}$", _("Digits only, 6 to 20 of them."))],
    )
    bank_account_holder = models.CharField(_("account holder"), max_length=128, blank=True)
    # Card money reaches the Lapas through Stripe Connect ("separate charges and
    # transfers"): the buyer pays the platform once per checkout and each order's amount
    # is transferred to its Lapas's connected account. Set by central admins only; a Lapas
    # without one is not offered card payment for its goods.
    stripe_account_id = models.CharField(
        _("Stripe connected account"),
        max_length=70,
        blank=True,
        validators=[stripe_account_validator],
        help_text=_(
            "The id of this Lapas's Stripe connected account (acct_…), where its card "
            "payments are transferred. Empty: its goods cannot be paid by card."
        ),
    )
    # The revenue account (akun pendapatan) this Lapas books its sales under; a 6-digit
    # code of the state chart of accounts, set per Lapas because practice differs.
    pnbp_account_code = models.CharField(
        _("PNBP revenue account"),
        max_length=6,
        default="425131",
        validators=[RegexValidator(r"^\d{6}$", _("A revenue account code is exactly 6 digits."))],
        help_text=_("The 6-digit revenue account (akun pendapatan) for proceeds of sales."),
    )

    class Meta(AbstractPartner.Meta):
        verbose_name = _("Lapas")
        verbose_name_plural = _("Lapas")

    def __str__(self):
        return self.display_name

    @property
    def accepts_card(self):
        return bool(self.stripe_account_id)

    @property
    def accepts_bank_transfer(self):
        return bool(self.bank_name and self.bank_account_number and self.bank_account_holder)


class RevenueAccount(models.Model):
    """A PNBP revenue account (akun pendapatan) of the state's chart of accounts that a
    Lapas may book its proceeds under (``Partner.pnbp_account_code``). Reference data:
    loaded by ``manage.py load_reference_data`` from data/reference/revenue_accounts.yaml."""

    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("A revenue account code is exactly 6 digits."))],
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("revenue account")
        verbose_name_plural = _("revenue accounts")
        ordering = ("code",)

    def __str__(self):
        return f"{self.code} {self.name}"


from oscar.apps.partner.models import *  # noqa: E402,F403
