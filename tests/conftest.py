"""The cast every test can use, and the rules for tests that need a service.

A test that needs PostgreSQL, Redis or Chromium calls `needs(...)`: without the service
it is skipped with the reason; in CI (`STRICT_SERVICES=1`) it fails instead, so a green
CI run has really exercised them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from tests.deploy.shipped import nginx_binary
from workshops import services
from workshops.live import hub as fanout
from workshops.models import Participant, Workshop

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def vnu_jar() -> Path | None:
    """The Nu Html Checker's jar: VNU_JAR, or where .ci/run installs npm's vnu-jar."""
    for candidate in (
        os.environ.get("VNU_JAR", ""),
        Path(__file__).resolve().parents[1] / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def needs(*services_: str) -> None:
    missing = []
    for service in services_:
        if service == "postgres" and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            missing.append("PostgreSQL (set DATABASE_URL=postgres://...)")
        elif service == "redis" and not settings.REDIS_URL:
            missing.append("Redis (set REDIS_URL=redis://...)")
        elif service == "chromium" and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
            missing.append(f"Chromium (not found at {CHROMIUM}; set CHROMIUM=path)")
        elif service == "nginx" and not nginx_binary():
            missing.append("nginx (apt-get install nginx)")
        elif service == "node" and not shutil.which("node"):
            missing.append("Node.js (apt-get install nodejs npm)")
        elif service == "vnu" and not (vnu_jar() and shutil.which("java")):
            missing.append("the Nu Html Checker (java, and npm's vnu-jar: set VNU_JAR=path)")
    if missing:
        reason = "needs " + ", ".join(missing)
        if os.environ.get("STRICT_SERVICES") == "1":
            pytest.fail(f"{reason}, and STRICT_SERVICES=1 forbids skipping it")
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def static_files_collected() -> None:
    """Pages link fingerprinted static files, whose names only collectstatic knows (the
    manifest): collect them once, as a deployment does, so every page test and server
    subprocess renders and serves what production does. About a second; incremental."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def django_db_teardown_terminates_stray_sessions(django_db_setup, django_db_blocker):
    """Server subprocesses and worker threads may still hold a PostgreSQL session when
    the suite ends; end them so the test database can be dropped."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Participant ids repeat between tests (SQLite reuses them): start every test with
    no throttling counts."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
async def fresh_live_engine():
    """Each test gets its own channel layer and hubs: both are bound to its event loop,
    and are stopped in that loop, so no task or connection outlives the test."""
    channel_layers.backends.clear()
    fanout._hubs.clear()
    yield
    await fanout.stop_all()
    for layer in channel_layers.backends.values():
        close_pools = getattr(layer, "close_pools", None)
        if close_pools is not None:
            await close_pools()
    channel_layers.backends.clear()


FACILITATOR_PASSWORD = "alice-pass-123"


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("alice", password=FACILITATOR_PASSWORD)


@pytest.fixture
def organiser(django_user_model, workshop: Workshop):
    """Sees the workshop, its log and its exports, and controls nothing."""
    user = django_user_model.objects.create_user("olga", password="olga-pass-123")
    workshop.organisers.add(user)
    return user


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("charlie", password="charlie-pass-123")


@pytest.fixture
def workshop(facilitator) -> Workshop:
    return services.workshop_create(
        title="Open Futures for Micro-credentialing", facilitator=facilitator
    )


@pytest.fixture
def ada(workshop) -> Participant:
    participant, _token = services.participant_join(workshop=workshop, name="Ada")
    return participant


@pytest.fixture
def bob(workshop) -> Participant:
    participant, _token = services.participant_join(workshop=workshop, name="Bob")
    return participant


@pytest.fixture
def host(workshop, facilitator) -> Participant:
    """The facilitator, as a participant row of the workshop (as their socket is)."""
    participant, _token = services.participant_join(workshop=workshop, user=facilitator)
    return participant
