"""The roles of Karya (see ARCHITECTURE.md), as Django groups with their permissions.

Which Lapas a person may act for is not a permission: it is their membership of
that Lapas (Oscar's ``Partner.users``), checked on the server in selectors and services.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str
    description: str
    scoped_to_lapas: bool
    permissions: tuple[str, ...] = field(default_factory=tuple)


WORKSHOP_STAFF = Role(
    code="workshop_staff",
    group_name="Staf bengkel kerja",
    description=_("Lists products and batches of their own Lapas in the dashboard."),
    scoped_to_lapas=True,
    # What each permission opens is the policy's table (shop.apps.core.policy); Oscar's
    # pages then show only the products and orders of the user's own Lapas. No deletes:
    # a product is deleted by a central admin, or by someone granted delete_product.
    permissions=(
        "catalogue.view_product",
        "catalogue.add_product",
        "catalogue.change_product",
        "catalogue.add_productimage",
        "catalogue.change_productimage",
        "catalogue.delete_productimage",
        "partner.view_stockrecord",
        "partner.add_stockrecord",
        "partner.change_stockrecord",
        "production_link.view_workshop",
        "production_link.view_batch",
        "production_link.add_batch",
        "production_link.change_batch",
        # Training and certification figures of their workshops (counts, no names).
        "training.view_trainingcourse",
        "training.add_trainingcourse",
        "training.delete_trainingcourse",
        # Packs and ships the orders of their Lapas; recording a payment is not theirs.
        "order.view_order",
        "order.change_order",
        # Services booked by date: the days' bookings and the workshop's daily capacity;
        # commissions made to order (their batches are planned for them).
        "commissions.view_servicebooking",
        "commissions.change_servicecapacity",
        "commissions.view_commission",
        # Institutional quotes of their Lapas (shop.institutions): prices and sends
        # them; reserves products for internal needs.
        "institutions.view_quote",
        "institutions.change_quote",
        "institutions.change_productreservation",
    ),
)
CASHIER = Role(
    code="cashier",
    group_name="Kasir galeri",
    description=_("Sells at the galleries and exhibitions assigned to them."),
    scoped_to_lapas=True,
    # The POS app and its API (shop.pos.selectors.user_may_use_pos), nothing of the
    # dashboard: no permission at all.
    permissions=(),
)
TREASURER = Role(
    code="treasurer",
    group_name="Bendahara penerimaan",
    description=_("Deposits the PNBP of their own Lapas and files its reports."),
    scoped_to_lapas=True,
    # payment.change_source: records that a bank transfer has arrived ("Paid"), refunds,
    # supervises the POS. Reads orders; does not edit the catalogue or batches.
    permissions=(
        "order.view_order",
        "order.change_order",
        "payment.change_source",
        # PNBP: the ledger (read-only), deposits with billing code and NTPN, the split.
        "production_link.view_ledgerentry",
        "production_link.view_deposit",
        "production_link.add_deposit",
        "production_link.change_deposit",
        "production_link.delete_deposit",
        "production_link.view_revenuesplit",
        "production_link.view_pnbpreport",
        # Bookings and commissions (their deposits are invoice payments, shop.invoicing).
        "commissions.view_servicebooking",
        "commissions.view_commission",
        # Institutional quotes of their Lapas (shop.institutions): reads them.
        "institutions.view_quote",
    ),
)
KALAPAS = Role(
    code="kalapas",
    group_name="Kepala Lapas",
    description=_("Approves the reports of their own Lapas and recalls batches."),
    scoped_to_lapas=True,
    # Reads products, orders and batches; recalls; approves reports. Plans no batch.
    permissions=(
        "order.view_order",
        "order.change_order",
        "catalogue.view_product",
        "payment.change_source",
        "production_link.view_batch",
        "production_link.recall_batch",
        "training.view_trainingcourse",
        # PNBP: sees the ledger and deposits; sets how the Lapas splits its proceeds.
        "production_link.view_ledgerentry",
        "production_link.view_deposit",
        "production_link.view_revenuesplit",
        "production_link.add_revenuesplit",
        "production_link.view_pnbpreport",
        "production_link.approve_pnbpreport",
        "commissions.view_servicebooking",
        "commissions.view_commission",
        # The yearly work programme and the monev of their Lapas; sending approved
        # reports to the region (production_link.programme).
        "programme.view_programme",
        "programme.add_programme",
        "programme.change_programme",
        "programme.view_monevassessment",
        "programme.change_monevassessment",
        "programme.view_reportsubmission",
        "programme.submit_reportsubmission",
        # Institutional quotes of their Lapas (shop.institutions): prices them;
        # reserves products for internal needs.
        "institutions.view_quote",
        "institutions.change_quote",
        "institutions.change_productreservation",
    ),
)
EDITOR = Role(
    code="editor",
    group_name="Editor konten",
    description=_("Edits the marketing pages in the CMS."),
    scoped_to_lapas=False,
    permissions=(
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        # The "Translate" action (copy a page into the other language), and the contact
        # inquiries and newsletter list of the marketing site (cms).
        "simple_translation.submit_translation",
        "cms.view_inquiry",
        "cms.delete_inquiry",
        "cms.view_subscriber",
        "cms.delete_subscriber",
        # Which campaign and channel sold what (shop.marketing), no buyer's data.
        "marketing.view_orderattribution",
        # Newsletter issues: compose, try on themselves, send once (cms.newsletter).
        "cms.view_newsletterissue",
        "cms.add_newsletterissue",
        "cms.change_newsletterissue",
        "cms.delete_newsletterissue",
        "cms.send_newsletterissue",
    ),
)

INSTITUTIONAL_BUYER = Role(
    code="institutional_buyer",
    group_name="Pembeli instansi",
    description=_(
        "Buys for an office, agency or school; pays the institutional tier prices. "
        "Central staff add buyers to this group."
    ),
    scoped_to_lapas=False,
)

REGIONAL_OFFICER = Role(
    code="regional_officer",
    group_name="Petugas Kanwil",
    description=_(
        "Reads and compares the Lapas of their region (Kanwil), acknowledges or returns "
        "their reports and consolidates them; changes nothing of a Lapas."
    ),
    # Not a member of any Lapas: the region is their scope (RegionalOfficer), and every
    # write of a Lapas checks membership, which they never have.
    scoped_to_lapas=False,
    permissions=(
        "production_link.view_pnbpreport",
        "programme.view_region",
        "programme.view_programme",
        "programme.view_monevassessment",
        "programme.view_reportsubmission",
        "programme.review_reportsubmission",
    ),
)

ROLES = (
    WORKSHOP_STAFF,
    CASHIER,
    TREASURER,
    KALAPAS,
    EDITOR,
    INSTITUTIONAL_BUYER,
    REGIONAL_OFFICER,
)
ROLES_BY_CODE = {role.code: role for role in ROLES}
# Central admins are Django superusers with staff status: they see every Lapas.

# What a page calls each role, in the reader's language. The group names above stay as
# they are: they are the groups' rows in the database (and Indonesian there).
ROLE_NAMES = {
    "workshop_staff": _("Workshop staff"),
    "cashier": _("Gallery cashier"),
    "treasurer": _("Receiving treasurer"),
    "kalapas": _("Head of the Lapas (Kalapas)"),
    "editor": _("Content editor"),
    "institutional_buyer": _("Institutional buyer"),
    "regional_officer": _("Regional officer (Kanwil)"),
}


def role_name(code: str) -> str:
    """The role's name in the active language; its group's name for a role not listed."""
    if code in ROLE_NAMES:
        return str(ROLE_NAMES[code])
    role = ROLES_BY_CODE.get(code)
    return role.group_name if role is not None else code
