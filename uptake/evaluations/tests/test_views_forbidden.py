"""A refused page says why, in words, instead of a bare error."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_it_gives_the_reason_for_a_role(client, viewer):
    client.force_login(viewer)

    response = client.get(reverse("evaluations:create"))

    assert response.status_code == 403
    assert "You cannot do this" in page(response)
    assert "Only the evaluation unit can do this." in page(response)


def test_it_gives_the_state_when_the_response_is_no_longer_editable(
    client, evaluator, approved_evaluation
):
    client.force_login(evaluator)

    response = client.get(
        reverse("evaluations:recommendation_create", args=[approved_evaluation.pk])
    )

    assert response.status_code == 403
    assert "This response is “Response approved”: it can no longer be edited." in page(response)


def test_it_tells_a_focal_point_whose_actions_they_may_update(client, outsider, action):
    client.force_login(outsider)

    response = client.get(reverse("followup:update_create", args=[action.pk]))

    assert response.status_code == 403
    assert "You can update only the actions of your own units." in page(response)
