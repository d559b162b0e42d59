from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shop.apps.core.roles import INSTITUTIONAL_BUYER
from shop.institutions import selectors, services
from shop.institutions.models import Organisation, npwp_validator


@pytest.mark.parametrize(
    "value, digits",
    [
        ("01.234.567.8-901.000", "012345678901000"),
        ("012345678901000", "012345678901000"),
        ("0012 3456 7890 1000", "0012345678901000"),
    ],
)
def test_npwp_in_its_15_and_16_digit_forms_is_accepted(value, digits):
    from shop.institutions.models import npwp_normalise

    npwp_validator(value)
    assert npwp_normalise(value) == digits


@pytest.mark.parametrize(
    "value", ["01.234.567.8-901", "12345678901234567", "01.234.567.X-901.000", ""]
)
def test_a_wrong_npwp_is_refused(value):
    with pytest.raises(ValidationError):
        npwp_validator(value)


def _apply(user, **overrides):
    data = {
        "user": user,
        "name": "SMK Negeri 2 Tangerang",
        "npwp": "01.234.567.8-901.000",
        "address": "Jl. Veteran 2",
        "kind": "school",
    }
    return services.organisation_apply(**{**data, **overrides})


def test_a_buyer_applies_and_waits_for_approval(buyer):
    organisation = _apply(buyer)
    assert organisation.status == Organisation.Status.REQUESTED
    assert organisation.npwp == "012345678901000"
    assert organisation.npwp_display == "01.234.567.8-901.000"
    assert not organisation.is_internal
    assert selectors.organisation_for_user(buyer) == organisation
    assert selectors.approved_organisation_for_user(buyer) is None
    with pytest.raises(ValidationError):
        _apply(buyer, name="Second")
    assert Organisation.objects.count() == 1


def test_a_correctional_unit_is_an_internal_buyer(buyer):
    assert _apply(buyer, kind="correctional").is_internal


def test_approval_grants_the_role_and_emails_the_buyer(
    buyer, central_admin, django_capture_on_commit_callbacks
):
    organisation = _apply(buyer, email="tu@smkn2.sch.id")
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_approve(
            organisation_id=organisation.pk,
            user=central_admin,
            payment_terms="invoice",
            payment_days=30,
            credit_limit=Decimal("50000000"),
        )
    organisation.refresh_from_db()
    assert organisation.is_approved and organisation.decided_by == central_admin
    assert organisation.credit_limit == Decimal("50000000")
    assert buyer.groups.filter(name=INSTITUTIONAL_BUYER.group_name).exists()
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {buyer.email, "tu@smkn2.sch.id"}
    with pytest.raises(ValidationError):
        services.organisation_approve(
            organisation_id=organisation.pk, user=central_admin, payment_terms="upfront"
        )


def test_invoice_terms_need_a_credit_limit_and_only_staff_decide(buyer, central_admin):
    organisation = _apply(buyer)
    with pytest.raises(ValidationError):
        services.organisation_approve(
            organisation_id=organisation.pk, user=central_admin, payment_terms="invoice"
        )
    with pytest.raises(PermissionDenied):
        services.organisation_approve(
            organisation_id=organisation.pk, user=buyer, payment_terms="upfront"
        )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REQUESTED


def test_rejection_needs_a_reason_and_is_emailed(
    buyer, central_admin, django_capture_on_commit_callbacks
):
    organisation = _apply(buyer, language="en")
    with pytest.raises(ValidationError):
        services.organisation_reject(organisation_id=organisation.pk, user=central_admin, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reject(
            organisation_id=organisation.pk, user=central_admin, reason="NPWP does not match."
        )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REJECTED
    assert "not approved" in mail.outbox[0].subject  # in the applicant's language
    assert "NPWP does not match." in mail.outbox[0].body
    assert not buyer.groups.filter(name=INSTITUTIONAL_BUYER.group_name).exists()


def test_the_application_page_applies(client, buyer):
    client.force_login(buyer)
    url = reverse("institutions:account")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"name": "Kanwil", "kind": "ministry", "npwp": "123", "address": "Jl. A"},
    )
    assert response.status_code == 200 and not Organisation.objects.exists()
    response = client.post(
        url,
        {"name": "Kanwil", "kind": "ministry", "npwp": "0012345678901000", "address": "Jl. A"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get().requested_by == buyer
    assert "Kanwil" in client.get(url).content.decode()


def test_central_staff_approve_on_their_page(client, buyer, central_admin, workshop_staff):
    organisation = _apply(buyer)
    detail = reverse("institutions_dashboard:organisation-detail", kwargs={"pk": organisation.pk})
    client.force_login(workshop_staff)
    assert client.get(reverse("institutions_dashboard:organisation-list")).status_code == 403
    assert client.post(detail, {"action": "approve"}).status_code == 403
    client.force_login(central_admin)
    listing = client.get(reverse("institutions_dashboard:organisation-list"))
    assert organisation.name in listing.content.decode()
    response = client.post(
        detail,
        {"action": "approve", "payment_terms": "upfront", "payment_days": 30, "credit_limit": 0},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_approved


def test_the_pages_speak_indonesian_and_english(client, org_buyer):
    client.force_login(org_buyer)
    indonesian = client.get("/accounts/institution/").content.decode()
    english = client.get("/en/accounts/institution/").content.decode()
    assert "Minta penawaran" in indonesian and "Syarat pembayaran" in indonesian
    assert "Ask for a quote" in english and "Payment terms" in english


def test_central_staff_add_a_second_buyer(client, org_buyer, central_admin):
    from tests.factories import UserFactory

    colleague = UserFactory(username="bendahara.dinas", email="bendahara@dinas.go.id")
    organisation = selectors.organisation_for_user(org_buyer)
    url = reverse("institutions_dashboard:organisation-detail", kwargs={"pk": organisation.pk})
    client.force_login(central_admin)
    response = client.post(url, {"action": "member", "email": "BENDAHARA@dinas.go.id"})
    assert response.status_code == 302
    assert selectors.approved_organisation_for_user(colleague) == organisation
    assert colleague.groups.filter(name=INSTITUTIONAL_BUYER.group_name).exists()
    again = client.post(url, {"action": "member", "email": "bendahara@dinas.go.id"})
    assert again.status_code == 400 and organisation.members.count() == 2
    unknown = client.post(url, {"action": "member", "email": "nobody@example.test"})
    assert unknown.status_code == 400
