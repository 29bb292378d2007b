"""The shipped deployment (docs/deploy/), rendered and started on this machine.

What an operator fills in (loopback ports, a certificate, this checkout instead of
/srv/visioning) is replaced in the shipped text, and each process is started with the
command its shipped file gives: the systemd unit's ExecStart and Environment for daphne,
nginx.conf and the site file for nginx. Used by the deployment test
(tests/deploy/test_deployment.py) and by the benchmark through nginx
(bench/through_nginx.py), so that both run the files an operator copies, not a retyping.

Standard library only: the benchmark imports it without Django's settings.
"""

from __future__ import annotations

import os
import re
import resource
import shlex
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "docs" / "deploy"
HOST = "127.0.0.1"
# Debian puts nginx in /usr/sbin, which an ordinary user's PATH may not have.
NGINX_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
# What a log line says when something went wrong (daphne's, Django's, the workshops').
TROUBLE = re.compile(r"WARNING|ERROR|CRITICAL|Traceback|Exception")


def render(text: str, replacements: dict[str, str]) -> str:
    """What an operator changes in a shipped file; each must be there to be changed."""
    for shipped, local in replacements.items():
        assert shipped in text, f"the shipped file no longer contains {shipped!r}"
        text = text.replace(shipped, local)
    return text


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines, as systemd's EnvironmentFile= and `set -a; . file` both read them."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def unit_directives(path: Path) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            directives.setdefault(key, []).append(value)
    return directives


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            program = process.args[0] if isinstance(process.args, list) else process.args
            raise RuntimeError(f"{program!s} exited: {log.read_text()[-2000:]}")
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after 30 s")


def open_files_allowed(wanted: int = 65536) -> int:
    return min(wanted, resource.getrlimit(resource.RLIMIT_NOFILE)[1])


def nginx_binary() -> str | None:
    return shutil.which("nginx", path=NGINX_PATH)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def start_daphne(port: int, settings_env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """As systemd starts visioning@PORT: the unit's command, environment and directory.

    `settings_env` stands for /etc/visioning.env (EnvironmentFile=); the unit's own
    Environment= lines come on top, as systemd applies them.
    """
    unit = unit_directives(SHIPPED / "visioning@.service")
    assert unit["WorkingDirectory"] == ["/srv/visioning"]
    assert unit["EnvironmentFile"] == ["/etc/visioning.env"]
    env = {"PATH": os.environ["PATH"], **settings_env}
    for assignment in unit.get("Environment", []):
        key, _, value = assignment.partition("=")
        env[key] = value
    venv_bin = str(Path(sys.executable).parent)
    (command,) = unit["ExecStart"]
    argv = shlex.split(
        command.replace("/srv/visioning/.venv/bin", venv_bin).replace("%i", str(port))
    )
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_for_port(port, process, log)
    return process


@dataclass(frozen=True)
class Nginx:
    """The two shipped nginx files rendered into a directory of this machine."""

    main_conf: Path
    error_log: Path
    access_log: Path
    https_port: int

    @classmethod
    def render(
        cls,
        directory: Path,
        *,
        https_port: int,
        http_port: int,
        upstreams: tuple[int, int],
        certificate: tuple[Path, Path],
        static_root: Path,
    ) -> Nginx:
        cert, key = certificate
        site = directory / "visioning.nginx"
        site.write_text(
            render(
                (SHIPPED / "visioning.nginx").read_text(),
                {
                    "listen 80;": f"listen {HOST}:{http_port};",
                    "listen 443 ssl": f"listen {HOST}:{https_port} ssl",
                    "server 127.0.0.1:8001": f"server {HOST}:{upstreams[0]}",
                    "server 127.0.0.1:8002": f"server {HOST}:{upstreams[1]}",
                    "/etc/letsencrypt/live/visioning.example.org/fullchain.pem": str(cert),
                    "/etc/letsencrypt/live/visioning.example.org/privkey.pem": str(key),
                    "/srv/visioning/staticfiles/": f"{static_root}/",
                    "server_name visioning.example.org;": f"server_name {HOST};",
                },
            )
        )
        nginx = cls(
            main_conf=directory / "nginx.conf",
            error_log=directory / "nginx-error.log",
            access_log=directory / "nginx-access.log",
            https_port=https_port,
        )
        nginx.main_conf.write_text(
            render(
                (SHIPPED / "nginx.conf").read_text(),
                {
                    "pid /run/nginx.pid;": f"pid {directory}/nginx.pid;",
                    "/var/log/nginx/error.log": str(nginx.error_log),
                    "/var/log/nginx/access.log": str(nginx.access_log),
                    "include /etc/nginx/sites-enabled/*;": f"include {site};",
                    # Debian's nginx unit may raise it to 524288; a container may allow less.
                    "worker_rlimit_nofile 65536;": f"worker_rlimit_nofile {open_files_allowed()};",
                },
            )
        )
        return nginx

    def start(self, log: Path) -> subprocess.Popen[bytes]:
        """The guide's `nginx -t` first; then nginx in the foreground, as its unit runs it."""
        binary = nginx_binary()
        assert binary is not None, "nginx is not installed"
        subprocess.run([binary, "-t", "-q", "-c", str(self.main_conf)], check=True)
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [binary, "-c", str(self.main_conf), "-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.https_port, process, log)
        return process


def stop_processes(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop each process in the order given: SIGTERM, then SIGKILL after 10 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
