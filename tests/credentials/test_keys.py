"""The issuer keys: made once, kept encrypted, never in an export, a page or a log."""

import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from credentials import keys
from credentials import services as credential_services
from credentials.models import Credential, IssuerKey
from workshops.records.exports import export_data

pytestmark = pytest.mark.django_db


def private_hex(key: IssuerKey) -> str:
    return keys.private_key(key).private_bytes_raw().hex()


def test_a_key_is_made_on_first_use_and_then_reused():
    assert not IssuerKey.objects.exists()
    first = keys.current_key()
    assert keys.current_key().pk == first.pk
    assert first.public_multibase.startswith("z6Mk")


def test_the_private_key_is_stored_encrypted():
    key = keys.current_key()
    raw = keys.private_key(key).private_bytes_raw()
    stored = IssuerKey.objects.filter(pk=key.pk).values_list("private_encrypted", flat=True)[0]
    assert raw.hex() not in stored and raw not in stored.encode()


def test_another_secret_key_cannot_read_it(settings):
    key = keys.current_key()
    settings.SECRET_KEY = "another-instance-entirely"
    with pytest.raises(Exception):  # noqa: B017 - Fernet's InvalidToken
        keys.private_key(key)


def test_a_key_file_encrypts_instead_of_the_secret_key(settings, tmp_path):
    key_file = tmp_path / "credential.key"
    key_file.write_bytes(b"a long random secret kept apart from the database")
    settings.CREDENTIAL_KEY_FILE = str(key_file)
    key = keys.current_key()
    settings.SECRET_KEY = "rotated-secret-key"  # no matter: the file is what encrypts
    assert keys.private_key(key).public_key() is not None


def test_rotation_signs_with_a_new_key_and_still_serves_the_old(client):
    old = keys.current_key()
    new = keys.key_rotate()
    assert new.pk != old.pk and keys.current_key().pk == new.pk
    issuer = client.get(reverse("credentials:issuer")).json()
    assert len(issuer["assertionMethod"]) == 2
    assert client.get(reverse("credentials:key", args=[old.pk])).status_code == 200


def test_the_rotate_command_prints_the_new_key_and_no_secret(capsys):
    old = keys.current_key()
    call_command("rotate_credential_key")
    out = capsys.readouterr().out
    new = keys.current_key()
    assert new.pk != old.pk
    assert new.public_multibase in out and private_hex(new) not in out


def test_the_key_is_in_no_export_page_or_log(lineage, client, caplog):
    caplog.set_level(logging.DEBUG)
    credential_services.credential_claim(participant=lineage.ada, name="Ada")
    credential = Credential.objects.get()
    key = keys.current_key()
    secret = private_hex(key)
    served = [
        client.get(reverse(name, args=args)).content.decode()
        for name, args in [
            ("credentials:issuer", []),
            ("credentials:key", [key.pk]),
            ("credentials:status_list", []),
            ("credentials:document", [credential.uuid]),
        ]
    ]
    exported = json.dumps(export_data(lineage.workshop))
    for text in [*served, exported, caplog.text]:
        assert secret not in text and key.private_encrypted not in text
