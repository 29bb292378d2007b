"""The deployment guide, run: two daphne processes behind nginx, from the shipped files.

docs/deploy/ is rendered for this machine the way an operator fills it in (loopback
ports, a self-signed certificate, this checkout instead of /srv/visioning, the test
database), and every process is started with the command its shipped file gives: the
systemd unit's ExecStart, Environment and EnvironmentFile for daphne, nginx.conf and the
site file for nginx. Then everything is checked from outside, through nginx, over TLS on
a port that is not 443: pages, fingerprinted and compressed static files and their cache
headers, a login, two websockets on different processes that see one order, a quiet
minute that leaves every error log empty, the 4009 for an oversized frame, and an
attendee whose process stops coming back through nginx on the other one.

Needs PostgreSQL, Redis and nginx (.ci/run installs Debian's nginx); about 80 s.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import os
import re
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from websockets.typing import Origin

from tests.conftest import FACILITATOR_PASSWORD, needs
from tests.deploy.shipped import (
    HOST,
    SHIPPED,
    TROUBLE,
    Nginx,
    read_env_file,
    render,
    self_signed_certificate,
    start_daphne,
    stop_processes,
)
from tests.e2e.conftest import database_url, free_port
from tests.e2e.wsclient import Attendee

pytestmark = pytest.mark.django_db(transaction=True)

QUIET_SECONDS = 60
STRONG_KEY = "k3Y-" + "x9Qv7Lm2Zp8Rt5Wn4Bc6Hd1Jf0Gs3Ty" * 2
FINGERPRINTED = re.compile(r"/static/[\w/.-]+\.[0-9a-f]{12}\.(?:js|css)")
ONE_YEAR = "public, max-age=31536000, immutable"
WS_CONNECTED = re.compile(r"\bWSCONNECT\b")  # daphne's access log (not WSCONNECTING)


@dataclass
class Deployment:
    https_port: int
    daphne_logs: list[Path]
    nginx_error_log: Path
    tls: ssl.SSLContext
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    def get(self, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
        return self.request("GET", path, headers=headers)

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPSConnection(HOST, self.https_port, context=self.tls)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        connection.close()
        return response, content

    def stop(self) -> None:
        stop_processes(self.processes)


@pytest.fixture
def deployment(transactional_db, tmp_path, facilitator, monkeypatch) -> Iterator[Deployment]:
    needs("postgres", "redis", "nginx")
    # The deployment runs the production settings, which read no MD5 hash (tests/settings.py).
    facilitator.password = make_password(FACILITATOR_PASSWORD, hasher="pbkdf2_sha256")
    facilitator.save(update_fields=["password"])
    cert, key = self_signed_certificate(tmp_path)
    # Browsers trust a real certificate; this client trusts the one made here.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    https_port, http_port, first, second = (free_port() for _ in range(4))

    env_file = tmp_path / "visioning.env"
    env = read_env_file(SHIPPED / "visioning.env")
    env_file.write_text(
        render(
            (SHIPPED / "visioning.env").read_text(),
            {
                env["DATABASE_URL"]: database_url(),
                env["REDIS_URL"]: settings.REDIS_URL,
                "SECRET_KEY=SECRET-KEY": f"SECRET_KEY={STRONG_KEY}",
                "ALLOWED_HOSTS=visioning.example.org": f"ALLOWED_HOSTS={HOST}",
            },
        )
        # Keys of its own in a Redis other test runs share (the guide keeps the default).
        + f"REDIS_PREFIX={os.environ.get('REDIS_PREFIX', 'visioning')}-deploy-test\n"
    )

    nginx_files = Nginx.render(
        tmp_path,
        https_port=https_port,
        http_port=http_port,
        upstreams=(first, second),
        certificate=(cert, key),
        static_root=Path(settings.STATIC_ROOT),
    )

    logs = [tmp_path / f"daphne-{first}.log", tmp_path / f"daphne-{second}.log"]
    deployment = Deployment(
        https_port=https_port,
        daphne_logs=logs,
        nginx_error_log=nginx_files.error_log,
        tls=ssl.create_default_context(cafile=str(cert)),
    )
    try:
        for port, log in zip((first, second), logs, strict=True):
            deployment.processes.append(start_daphne(port, read_env_file(env_file), log))
        deployment.processes.append(nginx_files.start(tmp_path / "nginx-stderr.log"))
        yield deployment
    finally:
        deployment.stop()


def attendee(deployment: Deployment, code: str, name: str) -> Attendee:
    person = Attendee(f"wss://{HOST}:{deployment.https_port}", code, name)
    person.origin = Origin(deployment.origin)
    return person


async def test_the_guide_deploys_two_processes_behind_nginx_that_serve_one_workshop(
    deployment, workshop
):
    # Pages, compressed.
    response, _ = deployment.get("/")
    assert response.status == 200
    response, page = deployment.get(f"/j/{workshop.code}/", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    page_html = gzip.decompress(page).decode()

    # Static files: fingerprinted names, sent compressed, cached a year, one Cache-Control.
    linked = re.findall(r'(?:src|href)="(/static/[^"]+)"', page_html)
    assert linked and all(FINGERPRINTED.fullmatch(path) for path in linked), linked
    for path in linked:
        response, body = deployment.get(path, **{"Accept-Encoding": "gzip"})
        assert response.status == 200, path
        assert response.getheader("Content-Encoding") == "gzip", path
        assert len(gzip.decompress(body)) > len(body), path
        assert response.msg.get_all("Cache-Control") == [ONE_YEAR], path

    # A facilitator signs in: the CSRF Origin check passes on a port that is not 443.
    response, form = deployment.get("/accounts/login/")
    cookies = SimpleCookie(response.getheader("Set-Cookie"))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.decode()).group(1)
    response, _ = deployment.request(
        "POST",
        "/accounts/login/",
        body=f"username=alice&password={FACILITATOR_PASSWORD}&csrfmiddlewaretoken={csrf}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Origin": deployment.origin,
            "Referer": f"{deployment.origin}/accounts/login/",
        },
    )
    assert response.status == 302, response.status
    assert response.getheader("Location") == "/facilitate/"

    # Two attendees, one on each process (least_conn with a shared zone), one order.
    ada, bob = (
        attendee(deployment, workshop.code, "Ada"),
        attendee(deployment, workshop.code, "Bob"),
    )
    await ada.join()
    await bob.join()
    connects = [len(WS_CONNECTED.findall(log.read_text())) for log in deployment.daphne_logs]
    assert connects == [1, 1], connects
    await asyncio.gather(
        ada.command(type="value.add", ref="a1", text="equity"),
        bob.command(type="value.add", ref="b1", text="care"),
    )
    await ada.wait_for_seq(2)
    await bob.wait_for_seq(2)
    assert [e["data"]["text"] for e in ada.events] == [e["data"]["text"] for e in bob.events]

    # A quiet minute: nothing in any log that an operator would have to look at.
    await asyncio.sleep(QUIET_SECONDS)
    assert deployment.nginx_error_log.read_text() == ""
    for log in deployment.daphne_logs:
        trouble = [line for line in log.read_text().splitlines() if TROUBLE.search(line)]
        assert trouble == [], f"{log.name}: {trouble}"

    # A frame over 64 KiB is refused with 4009 through nginx, as docs/protocol.md says.
    # Last: nginx logs "recv() failed ... while proxying upgraded connection" for every
    # socket the server closes itself (docs/deploy.md, "Logs").
    carol = attendee(deployment, workshop.code, "Carol")
    await carol.join()
    await carol.send(type="value.add", ref="big", text="x" * 70_000)
    await carol.closed()
    assert carol.ws.close_code == 4009

    # One process stops (the guide's rolling restart): its attendee comes back through
    # nginx on the other one, with its token and last seq, and misses nothing.
    deployment.processes[0].terminate()
    deployment.processes[0].wait(timeout=10)
    deadline = time.monotonic() + 10
    while ada.connected and bob.connected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    dropped, stayed = (ada, bob) if not ada.connected else (bob, ada)
    assert not dropped.connected and stayed.connected
    await stayed.command(type="value.add", ref="s1", text="trust")
    await dropped.rejoin()
    await dropped.wait_for_seq(3)
    assert [e["seq"] for e in dropped.events] == [e["seq"] for e in stayed.events] == [1, 2, 3]
    await ada.close()
    await bob.close()
