import pytest
from django.test import Client

from uptake.evaluations.demo import DEMO_TITLE, load_demo
from uptake.evaluations.models import Action, Recommendation, Response, SubPoint
from uptake.publishing.selectors import live_publications

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_its_main_evaluation_in_english_and_french(client: Client) -> None:
    load_demo()
    publication = live_publications().get()
    assert publication.title_en == DEMO_TITLE
    assert publication.languages == ["en", "fr"]
    assert publication.status_as_of is not None
    everything = [
        *Recommendation.objects.filter(evaluation=publication.evaluation).values_list("statement_fr", flat=True),
        *SubPoint.objects.filter(recommendation__evaluation=publication.evaluation).values_list("text_fr", flat=True),
        *Response.objects.filter(recommendation__evaluation=publication.evaluation).values_list("commitment_fr", flat=True),
        *Action.objects.filter(response__recommendation__evaluation=publication.evaluation).values_list("text_fr", flat=True),
    ]  # fmt: skip
    assert all(everything), "every content field of the demo has its French version"
    page = client.get(f"/fr/public/{publication.slug}/").content.decode()
    assert "Axer le soutien sur l'exploitation et l'entretien" in page.replace("&#x27;", "'")
    assert "Traduction non disponible" not in page
    assert "Translation not available" not in page
