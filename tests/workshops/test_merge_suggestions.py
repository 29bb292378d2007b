import pytest

from workshops import services
from workshops.suggestions import merge_suggestions

pytestmark = pytest.mark.django_db


def suggested_pairs(workshop):
    return {
        (suggestion["into"]["text"], value["text"])
        for suggestion in merge_suggestions(workshop)
        for value in suggestion["merge"]
    }


def test_it_suggests_values_that_share_a_stem(workshop, ada, bob):
    for author, text in [
        (ada, "care"),
        (bob, "care"),
        (ada, "caring"),
        (bob, "transparency"),
        (ada, "transparent"),
        (bob, "equity"),
    ]:
        services.value_add(participant=author, text=text)
    pairs = suggested_pairs(workshop)
    assert ("care", "caring") in pairs  # the bigger group is kept
    assert ("transparency", "transparent") in pairs or ("transparent", "transparency") in pairs
    assert not any("equity" in pair for pair in pairs)


def test_it_suggests_french_duplicates(workshop, ada, bob):
    services.value_add(participant=ada, text="équité")
    services.value_add(participant=bob, text="équitable")
    services.value_add(participant=bob, text="ouverture")
    assert len(suggested_pairs(workshop)) == 1


def test_values_already_merged_or_hidden_are_not_suggested(workshop, ada, bob, host):
    care = services.value_add(participant=ada, text="care").data["id"]
    caring = services.value_add(participant=bob, text="caring").data["id"]
    services.value_merge(participant=host, id=caring, into=care)
    assert suggested_pairs(workshop) == set()


def test_the_control_room_fetches_them_as_json(client, workshop, facilitator, ada, bob):
    services.value_add(participant=ada, text="care")
    services.value_add(participant=bob, text="caring")
    client.force_login(facilitator)
    response = client.get(f"/facilitate/{workshop.code}/suggestions.json")
    assert response.status_code == 200
    assert len(response.json()["suggestions"]) == 1


def test_outsiders_get_nothing(client, workshop, outsider):
    client.force_login(outsider)
    assert client.get(f"/facilitate/{workshop.code}/suggestions.json").status_code == 404
