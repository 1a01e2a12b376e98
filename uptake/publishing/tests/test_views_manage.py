from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import field_errors
from uptake.publishing.models import Publication
from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db


def test_the_evaluation_unit_publishes_from_the_evaluation(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    detail = client.get(reverse("evaluations:detail", args=[bilingual_evaluation.pk]))
    manage = reverse("publishing:manage", args=[bilingual_evaluation.pk])
    assert manage in detail.content.decode()
    response = client.post(manage, {"languages": ["en", "fr"], "show_status": "on"})
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.show_status and publication.languages == ["en", "fr"]
    page = client.get(manage).content.decode()
    assert "Version 1 is public since" in page
    assert reverse("public:response", args=[publication.slug]) in page


def test_the_page_says_why_a_draft_cannot_be_published(
    client: Client, draft_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    manage = reverse("publishing:manage", args=[draft_evaluation.pk])
    page = client.get(manage).content.decode()
    assert "it can be published once the committee has approved it" in page
    response = client.post(manage, {"languages": ["en"]})
    assert response.status_code == 200
    assert "only a response approved by the committee can be published" in response.content.decode()
    assert not Publication.objects.exists()


def test_withdrawing_keeps_the_version_in_the_list(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    publication = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    client.force_login(evaluator)
    response = client.post(
        reverse("publishing:unpublish", args=[publication.pk]), {"reason": "A wrong date."}
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.unpublished_by == evaluator
    page = client.get(reverse("publishing:manage", args=[bilingual_evaluation.pk])).content.decode()
    assert "Nothing about this evaluation is public." in page
    assert "A wrong date." in page


def test_others_cannot_publish(client: Client, bilingual_evaluation, committee) -> None:
    client.force_login(committee)
    manage = reverse("publishing:manage", args=[bilingual_evaluation.pk])
    assert client.post(manage, {"languages": ["en"]}).status_code == 403
    assert not Publication.objects.exists()


def test_the_languages_are_a_group_named_by_a_legend_that_carries_help_and_errors(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    manage = reverse("publishing:manage", args=[bilingual_evaluation.pk])

    page = client.post(manage, {"show_status": "on"}).content.decode()

    group = re.search(r"<fieldset class=\"field has-error\"([^>]*)>\s*<legend>([^<]*)", page)
    assert group, "the checkboxes are not in a fieldset"
    assert group.group(2).strip() == "Languages"
    described = re.search(r'aria-describedby="([^"]+)"', group.group(1)).group(1).split()
    assert described == ["id_languages_helptext", "id_languages_error"]
    for element in described:
        assert page.count(f'id="{element}"') == 1
    assert "This field is required." in field_errors(page, "languages")
    assert '<label for="">' not in page
    assert not Publication.objects.exists()
