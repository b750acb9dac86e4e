"""The agreement template pages as people use them, through the test client.

Ann is Riverside's admin: she sees the built-in templates, copies one and edits the copy. Sue,
Sam and Mia are not admins. Olga is the admin of Hillside, another organisation. The built-in
school template's sections, in order: "Agreement between" (s0), "Practical Arrangements" (s1:
frequency, location, duration, cancellation, ad-hoc availability), "Content" (s2), "Making it
work" (s3), the eight standard terms with no heading (s4), ...
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from tandem.agreements import services
from tandem.agreements.models import (
    Agreement,
    AgreementTemplate,
    AgreementTemplateVersion,
)
from tandem.agreements.tests.pages import form_data, shows, text
from tandem.organisations.models import SupervisionRelationship

SCHOOL = "school-staff-supervision-agreement"
COUNCIL = "council-supervision-contract"
COPY_NAME = "Riverside staff supervision"


# Reading pages


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Templates and agreements


def builtin(slug: str) -> AgreementTemplate:
    return AgreementTemplate.objects.get(organisation__isnull=True, slug=slug)


def latest(template: AgreementTemplate) -> AgreementTemplateVersion:
    return services.template_latest_version(template)


def copy_of_school(cast: Any) -> AgreementTemplate:
    return services.template_copy(
        template=builtin(SCHOOL), organisation=cast.organisation, by=cast.admin, name=COPY_NAME
    )


def edit(client: Any, template: AgreementTemplate, **changes: str) -> Any:
    """Open the edit page, change what is given and save, as the admin would."""
    url = reverse("agreement-template-edit", args=[template.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**form_data(page), **changes})


def line_of(person: Any) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=person, kind="line", ends_on=None)


# The list


def test_admin_sees_the_built_in_templates(cast):
    page = cast.client_for(cast.admin).get(reverse("agreement-templates"))
    assert page.status_code == 200
    for slug in (SCHOOL, COUNCIL):
        assert shows(page, builtin(slug).name)
        assert f'href="{reverse("agreement-template", args=[builtin(slug).pk])}"' in text(page)
    assert text(page).count("Built in") == 2
    assert "Yours" not in text(page)


@pytest.mark.parametrize("who", ["supervisee", "supervisor", "manager"])
def test_only_admins_list_the_templates(cast, who):
    response = cast.client_for(getattr(cast, who)).get(reverse("agreement-templates"))
    assert response.status_code == 403


def test_another_organisations_admin_sees_the_built_ins_not_our_copies(cast):
    ours = copy_of_school(cast)
    page = cast.client_for(cast.outsider).get(reverse("agreement-templates"))
    assert page.status_code == 200
    assert shows(page, builtin(SCHOOL).name) and shows(page, builtin(COUNCIL).name)
    assert COPY_NAME not in text(page)
    assert f'href="{reverse("agreement-template", args=[ours.pk])}"' not in text(page)


# Copying


def test_admin_copies_the_school_template(cast):
    ann = cast.client_for(cast.admin)
    school = builtin(SCHOOL)
    page = ann.get(reverse("agreement-template", args=[school.pk]))
    assert page.status_code == 200
    assert "Copy this template" in text(page)
    assert "Edit this template" not in text(page)

    response = ann.post(reverse("agreement-template-copy", args=[school.pk]), {"name": COPY_NAME})
    copy = AgreementTemplate.objects.get(organisation=cast.organisation)
    assert response.status_code == 302
    assert response.url == reverse("agreement-template-edit", args=[copy.pk])
    assert copy.name == COPY_NAME
    assert copy.copied_from == school
    assert latest(copy).number == 1
    assert latest(copy).content == latest(school).content
    # The built-in template is left as it was.
    assert school.versions.count() == 1

    page = ann.get(response.url)
    assert page.status_code == 200
    assert any(COPY_NAME in message for message in messages_of(page))

    page = ann.get(reverse("agreement-templates"))
    row = text(page).split(COPY_NAME, 1)[1].split("</tr>", 1)[0]
    assert "Yours" in row
    assert text(page).count("Built in") == 2


def test_a_copy_needs_a_name(cast):
    ann = cast.client_for(cast.admin)
    school = builtin(SCHOOL)
    response = ann.post(reverse("agreement-template-copy", args=[school.pk]), {"name": ""})
    assert response.status_code == 302
    assert response.url == reverse("agreement-template", args=[school.pk])
    assert "Give your copy a name." in messages_of(ann.get(response.url))
    assert not AgreementTemplate.objects.filter(organisation=cast.organisation).exists()


def test_non_admins_cannot_copy_or_edit(cast):
    ours = copy_of_school(cast)
    sue = cast.client_for(cast.supervisee)
    copy_url = reverse("agreement-template-copy", args=[builtin(SCHOOL).pk])
    assert sue.post(copy_url, {"name": "Mine"}).status_code == 403
    assert sue.get(reverse("agreement-template-edit", args=[ours.pk])).status_code == 403
    response = sue.post(reverse("agreement-template-edit", args=[ours.pk]), {"title": "Mine"})
    assert response.status_code == 403
    assert AgreementTemplate.objects.filter(organisation=cast.organisation).count() == 1
    assert latest(ours).number == 1


# Editing


def test_editing_the_copy_makes_version_2_and_agreements_keep_their_version(cast):
    ours = copy_of_school(cast)
    ann = cast.client_for(cast.admin)
    v1 = latest(ours)
    old_wording = v1.content["sections"][4]["terms"][0]["text"]
    # Sue's agreement is made from version 1.
    sues = services.agreement_start(
        relationship=line_of(cast.supervisee), template_version=v1, by=cast.supervisee
    )

    response = edit(
        ann,
        ours,
        **{
            "s1-heading": "How we meet",
            "s4-t0-text": "What we say stays between us two.",
            "s0-new-label": "Staff number",
            "s0-new-type": "text",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("agreement-template", args=[ours.pk])
    page = ann.get(response.url)
    assert any("Template saved as version 2" in message for message in messages_of(page))
    assert "How we meet" in text(page)
    assert "What we say stays between us two." in text(page)
    assert "Staff number" in text(page)
    v2 = latest(ours)
    assert v2.number == 2
    assert v2.content["sections"][1]["heading"] == "How we meet"
    assert v2.content["sections"][0]["fields"][-1] == {
        "key": "staff_number",
        "label": "Staff number",
        "type": "text",
        "required": False,
    }
    # Nothing else changed.
    v1.refresh_from_db()
    assert v1.content["sections"][1]["heading"] == "Practical Arrangements"
    assert v2.content["sections"][2:4] == v1.content["sections"][2:4]

    # Sue's agreement still reads as version 1.
    page = cast.client_for(cast.supervisee).get(reverse("agreement", args=[sues.pk]))
    assert "Practical Arrangements" in text(page)
    assert shows(page, old_wording)
    assert "How we meet" not in text(page)
    assert "Staff number" not in text(page)
    edit_page = cast.client_for(cast.supervisee).get(reverse("agreement-edit", args=[sues.pk]))
    assert "Staff number" not in text(edit_page)

    # A new agreement (Sam's, with Mia) is made from version 2.
    sam = cast.client_for(cast.supervisor)
    start_url = reverse("agreement-start", args=[line_of(cast.supervisor).pk])
    page = sam.get(start_url)
    assert f'value="{v2.pk}"' in text(page)
    assert f'value="{v1.pk}"' not in text(page)
    response = sam.post(start_url, {"template_version": v2.pk})
    sams = Agreement.objects.get(supervisee=cast.supervisor)
    assert response.url == reverse("agreement-edit", args=[sams.pk])
    assert sams.template_version == v2
    edit_page = sam.get(response.url)
    assert "How we meet" in text(edit_page)
    assert "Staff number" in text(edit_page)
    page = sam.get(reverse("agreement", args=[sams.pk]))
    assert "What we say stays between us two." in text(page)
    assert "Practical Arrangements" not in text(page)


@pytest.mark.parametrize("slug", [SCHOOL, COUNCIL])
def test_a_copy_saved_unchanged_stays_as_it_was(cast, slug):
    """The edit page shows all of a copy, so saving it as it is changes nothing, even where the
    built-in template has a section without a heading."""
    ours = services.template_copy(
        template=builtin(slug), organisation=cast.organisation, by=cast.admin, name=COPY_NAME
    )
    response = edit(cast.client_for(cast.admin), ours)
    assert response.status_code == 302
    assert latest(ours).number == 1
    assert latest(ours).content == latest(builtin(slug)).content


@pytest.mark.parametrize(
    ("cleared", "message"),
    [
        ("title", "Enter the document’s title."),
        ("s1-heading", "Enter a heading for section 2."),
        ("name", "Enter the template’s name."),
    ],
)
def test_clearing_the_title_or_a_heading_is_refused(cast, cleared, message):
    ours = copy_of_school(cast)
    ann = cast.client_for(cast.admin)
    response = edit(ann, ours, **{cleared: "", "s2-heading": "What we talk about"})
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    body = html.unescape(text(response)).replace("'", "’")
    assert message in body
    assert f'href="#{cleared}"' in text(response)
    # Nothing typed is lost, and nothing is saved.
    assert form_data(response)["s2-heading"] == "What we talk about"
    assert latest(ours).number == 1
    ours.refresh_from_db()
    assert ours.name == COPY_NAME


def test_the_fields_the_schedule_reads_cannot_be_removed(cast):
    ours = copy_of_school(cast)
    ann = cast.client_for(cast.admin)
    page = ann.get(reverse("agreement-template-edit", args=[ours.pk]))
    fields = latest(ours).content["sections"][1]["fields"]
    assert [field["key"] for field in fields[:3]] == ["frequency", "location", "duration"]
    for index in range(3):
        assert f'name="s1-f{index}-remove"' not in text(page)
    assert 'name="s1-f3-remove"' in text(page)
    assert 'name="s1-f4-remove"' in text(page)

    # Even if asked, they stay; another field goes.
    response = edit(ann, ours, **{"s1-f0-remove": "1", "s1-f2-remove": "1", "s1-f4-remove": "1"})
    assert response.status_code == 302
    keys = [field["key"] for field in latest(ours).content["sections"][1]["fields"]]
    assert keys == ["frequency", "location", "duration", "cancellation"]
    assert latest(ours).number == 2


def test_built_in_templates_cannot_be_edited(cast):
    ann = cast.client_for(cast.admin)
    school = builtin(SCHOOL)
    url = reverse("agreement-template-edit", args=[school.pk])
    assert ann.get(url).status_code == 403
    assert ann.post(url, {"title": "Ours now", "name": "Ours now"}).status_code == 403
    assert school.versions.count() == 1


def test_another_organisation_cannot_reach_our_copy(cast):
    ours = copy_of_school(cast)
    olga = cast.client_for(cast.outsider)
    assert olga.get(reverse("agreement-template", args=[ours.pk])).status_code == 404
    response = olga.post(reverse("agreement-template-copy", args=[ours.pk]), {"name": "Taken"})
    assert response.status_code == 404
    assert olga.get(reverse("agreement-template-edit", args=[ours.pk])).status_code == 404
    response = olga.post(
        reverse("agreement-template-edit", args=[ours.pk]), {"title": "Taken", "name": "Taken"}
    )
    assert response.status_code == 404
    assert not AgreementTemplate.objects.filter(organisation=cast.other_organisation).exists()
    assert latest(ours).number == 1
    # She may copy a built-in template for Hillside.
    response = olga.post(
        reverse("agreement-template-copy", args=[builtin(COUNCIL).pk]), {"name": "Hillside's"}
    )
    assert response.status_code == 302
    assert AgreementTemplate.objects.get(organisation=cast.other_organisation).name == "Hillside's"
