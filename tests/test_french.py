# French typography writes its apostrophe as U+2019, which ruff takes for a look-alike.
# ruff: noqa: RUF001
"""The interface in French: catalogs complete and compiled, the language chosen from the
browser or the switcher, and what the server says (prompts, errors) in French.

`catalog_entries()` reads the .po files; the browser test of the French pages uses it to
list the English strings that must not be left on a French page.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from principles import services as principle_services
from workshops import services
from workshops.services import Refused

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@dataclass
class Entry:
    msgid: str
    plural: str | None
    context: str | None
    translations: list[str]


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(line: str) -> str:
    quoted = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), quoted)


def catalog_entries(domain: str) -> list[Entry]:
    """The entries of locale/fr/LC_MESSAGES/<domain>.po (header and obsolete ones left out)."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    current = ""

    def flush() -> None:
        if fields.get("msgid"):
            translations = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append(
                Entry(
                    fields["msgid"], fields.get("msgid_plural"), fields.get("msgctxt"), translations
                )
            )
        fields.clear()

    for raw in (MESSAGES / f"{domain}.po").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                flush()
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            fields[current] += _unquote(line)
            continue
        keyword = line.split(" ", 1)[0]
        if keyword == "msgctxt" or (keyword == "msgid" and "msgid" in fields):
            flush()
        current = keyword
        fields[current] = _unquote(line)
    flush()
    return entries


def english_fragments(min_words: int = 2) -> set[str]:
    """The English text of every message, cut at its placeholders, keeping the pieces of
    at least `min_words` words: none of them may show on a page in French."""
    fragments = set()
    for domain in ("django", "djangojs"):
        for entry in catalog_entries(domain):
            for source in filter(None, (entry.msgid, entry.plural)):
                for piece in PLACEHOLDER.split(source):
                    piece = piece.strip(" .,:;!?()“”\"'·→…")
                    if len(re.findall(r"[A-Za-z]+(?:'[a-z]+)?", piece)) >= min_words:
                        fragments.add(piece)
    return fragments


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request through the test client activates its language in this thread and
    leaves it there: later tests would create their workshops in French."""
    yield
    translation.deactivate()


# ---------------------------------------------------------------------------- catalogs


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_has_a_french_translation(domain):
    entries = catalog_entries(domain)
    assert len(entries) > 100
    missing = [e.msgid for e in entries if not all(e.translations)]
    assert missing == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_translations_keep_every_placeholder(domain):
    wrong = []
    for entry in catalog_entries(domain):
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.plural or "")))
        for text in entry.translations:
            if set(PLACEHOLDER.findall(text)) != wanted and not (
                # A singular may say "one" instead of %(n)s.
                entry.plural and set(PLACEHOLDER.findall(text)) <= wanted
            ):
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalog_is_up_to_date_with_the_po_file(domain):
    # The .mo files are committed, so a fresh machine needs no gettext: they must match.
    with open(MESSAGES / f"{domain}.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in catalog_entries(domain):
        if entry.plural:
            got = (
                compiled.npgettext(entry.context, entry.msgid, entry.plural, 1)
                if entry.context
                else compiled.ngettext(entry.msgid, entry.plural, 1)
            )
            assert got == entry.translations[0], entry.msgid
            got = (
                compiled.npgettext(entry.context, entry.msgid, entry.plural, 5)
                if entry.context
                else compiled.ngettext(entry.msgid, entry.plural, 5)
            )
            assert got == entry.translations[1], entry.msgid
        else:
            got = (
                compiled.pgettext(entry.context, entry.msgid)
                if entry.context
                else compiled.gettext(entry.msgid)
            )
            assert got == entry.translations[0], entry.msgid


def test_french_typography_uses_guillemets_and_no_straight_apostrophes():
    for domain in ("django", "djangojs"):
        for entry in catalog_entries(domain):
            for text in entry.translations:
                assert "“" not in text and "”" not in text, text
                assert "'" not in text, text
                # A space before : ; ? ! is a non-breaking one, so it never starts a line.
                assert not re.search(r" [:;?!»]|« ", text), text


# ---------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_the_browser_language_chooses_french(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")
    html = page.content.decode()
    assert '<html lang="fr">' in html
    assert "Rejoindre un atelier" in html
    assert "Join a workshop" not in html


@pytest.mark.django_db
def test_english_stays_the_default(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en">' in html
    assert "Join a workshop" in html


@pytest.mark.django_db
def test_the_switcher_picks_french_over_the_browser_language(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in html
    assert "Saisissez le code à six caractères" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.django_db
def test_the_participant_page_is_french(client, workshop):
    html = client.get(f"/j/{workshop.code}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in html
    assert "Votre nom (facultatif)" in html
    assert "Your name" not in html


@pytest.mark.django_db
def test_an_unknown_join_code_is_explained_in_french(client):
    page = client.post("/", {"code": "ZZZZZZ"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Aucun atelier ne porte le code ZZZZZZ" in page.content.decode()


@pytest.mark.django_db
def test_the_javascript_catalog_is_french(client):
    js = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "En attente de l\\u2019animation\\u2026" in js  # JSON-escaped
    assert "const v = (n > 1);" in js  # French: 0 and 1 are singular
    english = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "animation" not in english


@pytest.mark.django_db
def test_django_auth_pages_are_french_too(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Connexion de l’équipe d’animation" in html
    assert "Mot de passe" in html  # Django's own form labels, from Django's catalog


# ---------------------------------------------------------------------------- workshops


@pytest.mark.django_db
def test_a_workshop_created_in_french_gets_french_prompts(facilitator):
    with translation.override("fr"):
        workshop = services.workshop_create(title="Avenirs ouverts", facilitator=facilitator)
    phases = {phase.key: phase for phase in workshop.phases.all()}
    assert phases["values"].title == "Valeurs"
    assert phases["values"].prompt == "Quelles sont vos valeurs d’ouverture\u202f?"
    assert phases["statements"].prompt.startswith("Ancrez vos valeurs dans une activité")
    assert "(ACTIVITÉ)" in phases["statements"].prompt
    assert phases["principles"].title == "Principes"
    assert "évaluation" in workshop.activity_suggestions
    assert "{activity}" in workshop.statement_template
    assert workshop.statement_template.startswith("À quoi ressemblerait")

    # Stored, not translated on the fly: the prompts stay French whoever reads them.
    host = services.participant_join(workshop=workshop, user=facilitator)[0]
    ada = services.participant_join(workshop=workshop, name="Ada")[0]
    services.phase_open(participant=host, phase="statements")
    event = services.statement_add(participant=ada, activity="évaluation", value="équité")
    assert event.data["text"] == (
        "À quoi ressemblerait l’activité évaluation au service de la valeur équité\u202f?"
    )


@pytest.mark.django_db
def test_a_workshop_created_in_english_keeps_the_english_prompts(facilitator):
    with translation.override("en"):
        workshop = services.workshop_create(title="Open futures", facilitator=facilitator)
    prompts = [phase.prompt for phase in workshop.phases.all()]
    assert prompts[0] == "What are your open values?"
    assert workshop.statement_template == (
        "What might {activity} look like as a practice of {value}?"
    )
    assert workshop.activity_suggestions[0] == "assessment"


# ---------------------------------------------------------------------------- errors


def _message(call) -> tuple[str, str]:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.code, str(refused.value)


@pytest.mark.django_db
def test_service_errors_speak_french(workshop, ada, host):
    with translation.override("fr"):
        assert _message(lambda: services.value_add(participant=ada, text="  ")) == (
            "empty",
            "Veuillez d’abord remplir le champ «\u00a0valeur\u00a0».",
        )
        code, message = _message(lambda: services.value_add(participant=ada, text="x" * 81))
        assert code == "too_long"
        assert (
            message
            == "Le champ «\u00a0valeur\u00a0» fait 81 caractères\u202f; la limite est de 80."
        )
        code, message = _message(
            lambda: services.statement_add(participant=ada, activity="a", value="b")
        )
        assert (code, message) == (
            "phase_closed",
            "Les énoncés s’ouvriront quand l’animation lancera cette phase.",
        )
        assert _message(lambda: services.phase_open(participant=ada, phase="statements")) == (
            "forbidden",
            "Seule l’équipe d’animation peut faire cela.",
        )
        assert _message(lambda: services.workshop_create(title=" ")) == (
            "empty",
            "Veuillez donner un titre à l’atelier.",
        )


@pytest.mark.django_db
def test_vote_and_removal_errors_speak_french(workshop, ada, bob, host):
    event = services.value_add(participant=bob, text="equity")
    services.phase_open(participant=host, phase="statements")
    statement = services.statement_add(participant=bob, activity="assessment", value="equity")
    target = {"kind": "statement", "id": statement.data["id"]}
    with translation.override("fr"):
        _code, message = _message(
            lambda: services.value_remove(participant=ada, id=event.data["id"])
        )
        assert message == "Vous ne pouvez retirer que ce que vous avez écrit."
        _code, message = _message(lambda: services.value_remove(participant=ada, id=999999))
        assert message == "Introuvable ici\u00a0: valeur 999999."
        for _ in range(3):
            services.vote_cast(participant=ada, target=target)
        code, message = _message(lambda: services.vote_cast(participant=ada, target=target))
        assert code == "over_budget"
        assert message == (
            "Vous avez utilisé vos 3 votes\u202f; reprenez-en un pour voter à nouveau."
        )


@pytest.mark.django_db
def test_principle_errors_speak_french(workshop, ada, host):
    with translation.override("fr"):
        code, message = _message(
            lambda: principle_services.principle_propose(participant=ada, title="Ouverture")
        )
        assert (code, message) == (
            "phase_closed",
            "Les principes s’ouvriront quand l’animation lancera cette phase.",
        )
