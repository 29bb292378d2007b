"""The library of designs: what `--list-templates` prints, what each design creates, and
how the workshop list offers them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from workshops import services
from workshops.designs import DESIGNS
from workshops.models import Phase, Workshop
from workshops.text import MINUTES_MAX, NOTES_MAX

pytestmark = pytest.mark.django_db

# The keys the contract promises (CONTRACT.md, "Designs").
PROMISED = [
    "open-values",
    "blank",
    "1-2-4-all",
    "min-specs",
    "what-so-what-now-what",
    "three-horizons",
    "futures-wheel",
    "backcasting",
    "questions",
]


def list_templates() -> list[str]:
    out = io.StringIO()
    call_command("create_workshop", "--list-templates", stdout=out)
    return out.getvalue().splitlines()


def test_list_templates_prints_one_design_a_line_as_key_tab_title():
    lines = list_templates()
    assert [line.split("\t") for line in lines] == [
        [key, str(design.name)] for key, design in DESIGNS.items()
    ]
    assert "1-2-4-all\t1-2-4-All" in lines


def test_list_templates_lists_every_promised_design():
    assert {line.split("\t")[0] for line in list_templates()} >= set(PROMISED)


def test_create_workshop_starts_from_the_design_it_is_given():
    out = io.StringIO()
    call_command("create_workshop", "Horizons", "--template", "three-horizons", stdout=out)
    code = out.getvalue().splitlines()[-1]
    phases = Workshop.objects.get(code=code).phases.order_by("position")
    assert [phase.key for phase in phases] == ["horizons", "pathway"]


@pytest.mark.parametrize("key", PROMISED)
def test_each_design_creates_its_phases_in_order_with_the_first_open(key):
    design = DESIGNS[key]
    workshop = services.workshop_create(title="A session", template=key)
    phases = list(workshop.phases.order_by("position"))
    assert [(p.key, p.kind, p.title) for p in phases] == [
        (each.key, each.kind, str(each.title)) for each in design.phases
    ]
    assert [p.minutes for p in phases] == [each.minutes for each in design.phases]
    assert [p.tables for p in phases] == [each.tables for each in design.phases]
    assert [p.columns for p in phases] == [
        [{"key": k, "title": str(t)} for k, t in each.columns] for each in design.phases
    ]
    assert phases[0].status == Phase.Status.OPEN
    assert {p.status for p in phases[1:]} <= {Phase.Status.PENDING}
    for phase in phases:
        assert len(phase.notes) <= NOTES_MAX
        assert phase.minutes is None or 1 <= phase.minutes <= MINUTES_MAX
        assert phase.columns == [] or phase.kind == Phase.Kind.IDEAS
    if key != "blank":
        assert all(phase.notes for phase in phases), "every step has its script"
        assert design.description


@pytest.mark.parametrize("key", ["1-2-4-all", "min-specs", "what-so-what-now-what"])
def test_a_liberating_structure_credits_its_source_and_licence_in_the_first_notes(key):
    workshop = services.workshop_create(title="A session", template=key)
    first = workshop.phases.order_by("position").first()
    assert "Liberating Structures" in first.notes
    assert "CC BY-SA 4.0" in first.notes


@pytest.mark.parametrize(
    ("key", "source"),
    [
        ("three-horizons", "Policy Horizons Canada"),
        ("futures-wheel", "Futures Toolkit"),
        ("backcasting", "Futures Toolkit"),
    ],
)
def test_a_futures_method_credits_its_source_in_the_first_notes(key, source):
    first = services.workshop_create(title="A session", template=key).phases.first()
    assert source in first.notes


def test_the_methods_that_rank_take_votes_and_the_others_do_not():
    workshop = services.workshop_create(title="Questions", template="questions")
    questions = workshop.phases.get()
    assert (questions.kind, questions.vote_budget > 0) == (Phase.Kind.IDEAS, True)
    wheel = services.workshop_create(title="Wheel", template="futures-wheel")
    assert wheel.phases.get(key="wheel").vote_budget == 0
    assert wheel.phases.get(key="implications").vote_budget > 0


def test_a_workshop_created_in_french_gets_the_design_in_french():
    with translation.override("fr"):
        workshop = services.workshop_create(title="Horizons", template="three-horizons")
    horizons = workshop.phases.get(key="horizons")
    assert horizons.title == "Les trois horizons"
    assert horizons.columns[0]["title"] == "H1\u00a0: aujourd\u2019hui, qui s\u2019efface"
    assert horizons.notes.startswith("Nommez le système")
    assert "Policy Horizons Canada" in horizons.notes


SAME_IN_FRENCH = {"Questions"}


def test_every_design_string_has_its_french_translation():
    """A design is shown and created in French: no prompt or note is left in English."""
    untranslated = []
    for key, design in DESIGNS.items():
        texts = [design.name, design.description, design.credit]
        for phase in design.phases:
            texts += [phase.title, phase.prompt, phase.notes, *(t for _k, t in phase.columns)]
        for text in texts:
            if not str(text):
                continue
            with translation.override("fr"):
                french = str(text)
            with translation.override("en"):
                english = str(text)
            if french == english and english not in SAME_IN_FRENCH:
                untranslated.append(f"{key}: {english[:50]}")
    assert untranslated == []


def test_the_workshop_list_offers_each_design_with_its_description(client, facilitator):
    client.force_login(facilitator)
    page = client.get("/facilitate/").content.decode()
    for key, design in DESIGNS.items():
        assert f'value="{key}"' in page
        assert str(design.description) in page.replace("&#x27;", "'")


def test_a_facilitator_creates_a_workshop_from_a_design_on_the_list(client, facilitator):
    client.force_login(facilitator)
    response = client.post("/facilitate/", {"title": "Wheel", "template": "futures-wheel"})
    assert response.status_code == 302
    workshop = facilitator.facilitated_workshops.get()
    assert list(workshop.phases.values_list("key", flat=True)) == ["wheel", "implications"]
