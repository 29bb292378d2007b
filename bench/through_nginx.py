"""The nginx scenario: how many sockets one machine holds behind the shipped nginx.

The deployment of docs/deploy.md on loopback ports, rendered and started the way the
deployment test does it (tests/deploy/shipped.py): two daphne processes started with the
systemd unit's command on PostgreSQL + Redis, the shipped nginx.conf and site in front,
TLS with a self-signed certificate. Attendees join through nginx in steps (1x, 2x and
4x the steady scenario's 1,000), staying connected; at each step a few values are
sent and every attendee so far must receive each exactly once. Per step it records the
attendees welcomed, the handshakes refused (by what the client got: an HTTP status, a
reset, a timeout), the connections each process and nginx hold, their memory, and the
delivery latency; the ramp stops at the first step where more than 1% fail to join.
Afterwards nginx's error log and the daphne logs are summed up, line kinds counted.

Runs when nginx is installed, DATABASE_URL is PostgreSQL and REDIS_URL is set; otherwise
it prints why it was skipped.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tests.deploy.shipped import (
    HOST,
    ROOT,
    SHIPPED,
    TROUBLE,
    Nginx,
    nginx_binary,
    read_env_file,
    self_signed_certificate,
    start_daphne,
    stop_processes,
)

if TYPE_CHECKING:
    from .run import Bench

SCENARIO = "through nginx (2 daphne, PostgreSQL + Redis)"
STEPS = (1, 2, 4)  # times Sizes.attendees
MOST_FAILING = 0.01  # the ramp stops past this share of attendees not welcomed
SENDERS = 10
VALUES_PER_SECOND = 10.0
SEND_SECONDS = 3.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
ESTABLISHED = "01"  # the `st` column of /proc/net/tcp
# An nginx error line without what differs between two of a kind: time, pid, ids, ports.
NGINX_NOISE = re.compile(r"^\S+ \S+ \[(\w+)\] \d+#\d+: (?:\*\d+ )?|, client: .*$|\(\d+: |\)")


def missing_services(database_url: str, redis_url: str) -> list[str]:
    missing = []
    if nginx_binary() is None:
        missing.append("nginx (apt-get install nginx)")
    if not database_url.startswith("postgres"):
        missing.append("DATABASE_URL=postgres://...")
    if not redis_url:
        missing.append("REDIS_URL=redis://...")
    return missing


def established(port: int) -> int:
    """TCP connections accepted on this loopback port, as the kernel lists them."""
    count = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            columns = line.split()
            if columns[3] == ESTABLISHED and int(columns[1].rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def rss(pid: int) -> int:
    """Resident memory in bytes (0 once the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu(pid: int) -> float:
    """CPU seconds the process has used (all threads); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def children(pid: int) -> list[int]:
    """nginx's workers: the processes its master started."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@dataclass
class Machine:
    """The shipped deployment running on loopback ports."""

    nginx: Nginx
    certificate: Path
    daphne_ports: tuple[int, int]
    daphne_logs: list[Path]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def url(self, code: str) -> tuple[str, int, str]:
        return (HOST, self.nginx.https_port, f"/ws/j/{code}/")

    @property
    def daphne_pids(self) -> list[int]:
        return [process.pid for process in self.processes[:2]]

    @property
    def nginx_workers(self) -> list[int]:
        return children(self.processes[2].pid)

    def memory(self) -> tuple[int, int]:
        """RSS of the daphne processes, and of nginx's workers, in bytes."""
        return (
            sum(rss(pid) for pid in self.daphne_pids),
            sum(rss(pid) for pid in self.nginx_workers),
        )

    def cpu(self) -> tuple[float, float]:
        """CPU seconds used so far by the daphne processes, and by nginx's workers."""
        return (
            sum(cpu(pid) for pid in self.daphne_pids),
            sum(cpu(pid) for pid in self.nginx_workers),
        )

    def stop(self) -> None:
        stop_processes(list(reversed(self.processes)))  # nginx first, then the processes


@contextmanager
def machine(directory: Path, settings_env: dict[str, str]) -> Iterator[Machine]:
    from .run import free_port

    directory.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed_certificate(directory)
    https_port, http_port, first, second = (free_port() for _ in range(4))
    nginx = Nginx.render(
        directory,
        https_port=https_port,
        http_port=http_port,
        upstreams=(first, second),
        certificate=(cert, key),
        static_root=ROOT / "staticfiles",
    )
    running = Machine(
        nginx=nginx,
        certificate=cert,
        daphne_ports=(first, second),
        daphne_logs=[directory / f"daphne-{port}.log" for port in (first, second)],
    )
    try:
        for port, log in zip(running.daphne_ports, running.daphne_logs, strict=True):
            running.processes.append(start_daphne(port, settings_env, log))
        running.processes.append(nginx.start(directory / "nginx-stderr.log"))
        yield running
    finally:
        running.stop()


def shipped_settings(bench_env: dict[str, str]) -> dict[str, str]:
    """/etc/visioning.env for this run: the shipped file's settings (HTTPS=1 among them)
    under the benchmark's database, Redis, key, host and limits."""
    shipped = read_env_file(SHIPPED / "visioning.env")
    return {**{k: v for k, v in shipped.items() if k not in bench_env}, **bench_env}


def failures_by_kind(errors: dict[str, int]) -> dict[str, int]:
    """The load generator's errors, by what the client saw: `HTTP/1.1 502 ...` -> `502`."""
    kinds: Counter[str] = Counter()
    for name, count in errors.items():
        status = re.search(r"HTTP/1\.[01] (\d{3})", name)
        kinds[status.group(1) if status else name.split(":", 1)[0]] += count
    return dict(kinds)


def log_kinds(path: Path, pattern: re.Pattern[str] | None = None) -> Counter[str]:
    kinds: Counter[str] = Counter()
    if not path.exists():
        return kinds
    for line in path.read_text(errors="replace").splitlines():
        if pattern is None:
            kinds[NGINX_NOISE.sub(lambda m: m.group(1) + ": " if m.group(1) else "", line)] += 1
        elif pattern.search(line):
            kinds[re.sub(r"\d+", "N", line)[:160]] += 1
    return kinds


def run(bench: Bench, database_url: str, redis_url: str) -> None:
    missing = missing_services(database_url, redis_url)
    if missing:
        print(f"\nnginx scenario skipped: needs {', '.join(missing)}", flush=True)
        return
    sizes = bench.sizes
    steps = [sizes.attendees * k for k in STEPS]
    print(f"\n== {SCENARIO}: attendees joining through nginx in steps of {steps}", flush=True)
    fleet = bench.workers(sizes.crowd_workers)
    results = bench.results
    with (
        bench.dbs.postgres(database_url, redis_url) as bench_env,
        machine(bench.tmp / "nginx", shipped_settings(bench_env)) as running,
    ):
        code = bench.dbs.workshop(bench_env, "Bench nginx")
        fleet.call("use_tls", {"cafile": str(running.certificate)}, timeout=10)
        try:
            ramp(bench, running, code, steps)
        finally:
            fleet.call("use_tls", {"cafile": None}, timeout=10)
            fleet.close()
    for kind, count in log_kinds(running.nginx.error_log).most_common(8):
        results.note(f"{SCENARIO}: nginx error log, {count} x {kind}")
    for log in running.daphne_logs:
        for kind, count in log_kinds(log, TROUBLE).most_common(5):
            results.note(f"{SCENARIO}: {log.name}, {count} x {kind}")


def ramp(bench: Bench, running: Machine, code: str, steps: list[int]) -> None:
    assert bench.fleet is not None
    fleet, results = bench.fleet, bench.results
    memory_at_rest = running.memory()
    joined = 0
    for total in steps:
        scenario = f"{SCENARIO}, {total:,} attendees"
        print(f"\n-- {scenario}", flush=True)
        join = fleet.connect(range(joined, total), [running.url(code)])
        joined += join["joined"]
        time.sleep(2.0)  # presence settles; connections and memory are counted at rest
        per_process = [established(port) for port in running.daphne_ports]
        through_nginx = established(running.nginx.https_port)
        daphne_rss, nginx_rss = running.memory()
        results.add(
            scenario,
            "attendees welcomed through nginx (all steps)",
            f"{joined} / {total}; this step {join['joined']} in {join['seconds']:.1f} s",
            f"{total}",
            joined == total,
        )
        failed = failures_by_kind(join["errors"])
        results.add(
            scenario,
            "failed handshake attempts (retried), by kind",
            ", ".join(f"{kind}: {count}" for kind, count in sorted(failed.items())) or "none",
        )
        results.add(
            scenario,
            "sockets per daphne process / held by nginx",
            f"{' + '.join(map(str, per_process))} / {through_nginx} (+ as many upstream)",
        )
        results.add(
            scenario,
            "memory per socket: daphne / nginx workers",
            f"{per_socket(daphne_rss - memory_at_rest[0], joined)} / "
            f"{per_socket(nginx_rss - memory_at_rest[1], joined)} "
            f"({daphne_rss >> 20} + {nginx_rss >> 20} MiB)",
        )
        fleet.call("reset_stats", {}, timeout=10)
        count = int(VALUES_PER_SECOND * SEND_SECONDS)
        start = time.monotonic() + 0.5
        plan = [(start + i / VALUES_PER_SECOND, i % SENDERS, f"n{total}-{i}") for i in range(count)]
        cpu_before = running.cpu()
        fleet.send(plan, ack_wait=15)
        sent = fleet.sent(timeout=SEND_SECONDS + 40)
        daphne_cpu, nginx_cpu = (b - a for a, b in zip(cpu_before, running.cpu(), strict=True))
        seconds = time.monotonic() - start
        outcome = bench._deliveries(scenario, fleet, sent, count, [])
        delivered = max(1, outcome["report"]["delivered"])
        results.add(
            scenario,
            "CPU while sending: daphne (both) / nginx / load generator",
            " / ".join(f"{used / seconds:.0%}" for used in (daphne_cpu, nginx_cpu, sent["cpu"]))
            + " of a core",
        )
        results.add(
            scenario,
            "CPU per delivery: daphne / nginx",
            f"{daphne_cpu / delivered * 1e6:.1f} µs / {nginx_cpu / delivered * 1e6:.1f} µs",
        )
        if total - joined > MOST_FAILING * total:
            results.note(f"{SCENARIO}: ramp stopped at {total:,}: {total - joined} not welcomed")
            return


def per_socket(grown: int, sockets: int) -> str:
    return f"{grown / max(1, sockets) / 1024:.1f} KiB"
