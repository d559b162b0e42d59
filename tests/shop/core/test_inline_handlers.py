"""The Content-Security-Policy refuses inline event handlers: no template of ours (or of
Oscar's that a Lapas user sees through our overrides) may rely on one."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
HANDLER = re.compile(r"\son(click|change|submit|load|input|keyup|keydown)\s*=", re.I)


def test_no_template_of_ours_has_an_inline_event_handler():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HANDLER.search(line)
    ]
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "dashboard:partner-create",
        "dashboard:catalogue-class-create",
        "dashboard:catalogue-attribute-option-group-create",
        "dashboard:catalogue-option-create",
    ],
)
def test_a_dashboard_form_cancels_without_an_inline_handler(client, central_admin, name):
    client.force_login(central_admin)

    page = client.get(reverse(name)).content.decode()

    assert "data-history-back" in page
    assert "onclick" not in page
    assert "history.go(-1)" not in page
    assert "js/history-back.js" in page
