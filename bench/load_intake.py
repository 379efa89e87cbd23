"""Load test of the public intake on the production stack, and routing latency.

    /work/main/.venv/bin/python bench/load_intake.py [--configs 2x4,3x2] [--users 1,8,32]
        [--duration 15] [--routing 40] [--json out.json]

Everything runs on loopback and stops by itself: its own PostgreSQL database (dropped and
created anew, migrated, demo loaded), its own Redis db number (flushed), a real Celery
worker subprocess, and per gunicorn setting (workers x threads) its own gunicorn on a free
port. Per setting and number of concurrent clients, locust (headless, closed loop, bounded
in time) posts valid, unique submissions to POST /api/v1/initiatives and, alternately, the
same bodies to a bare Django view that inserts one row (bench/bareview.py, mounted by
LOKET_BENCH_BARE=1), so the ratio shows what our stack costs. Between runs the worker is
let drain, so one run's tasks do not eat the next one's CPU.

Then routing latency with the real worker: submissions paced one at a time, from the
submission (Initiative.created_at, taken before its commit: an upper bound) to the routing
proposal stored by the worker (RoutingProposal.computed_at); and from send_to_consultation
(its TransitionLog.at, before commit) to the routed requests stored (RoutingProposal.routed_at,
set in the transaction that creates them).

Targets (2 shared cores): POST throughput >= 50% of the bare view's, p99 < 150 ms at 8
clients, routing p95 < 1 s. The load average is printed with every row: this machine is
shared, so repeat a run that was noisy.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LOCUST = str(Path(PY).with_name("locust"))
DB_NAME = os.environ.get("LOKET_BENCH_DB", "loket_bench_intake")
PG = os.environ.get("LOKET_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_DB = os.environ.get("LOKET_BENCH_REDIS_DB", "12")
INTAKE = "/api/v1/initiatives"
BARE = "/bench/bare"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[load_intake {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETT"))}
    env.update({
        "LOKET_DEMO": "1",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        # The throttle still runs (Redis), with a one-second window: all clients share one IP
        # here, and an hour's history of them would be pickled on every request.
        "LOKET_INTAKE_THROTTLE": "100000/s",
        "LOKET_BENCH_BARE": "1",
        "DJANGO_SETTINGS_MODULE": "loket.settings",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], env: dict[str, str], timeout: float = 300) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=timeout,
                   stdout=subprocess.DEVNULL)


def reset_database(env: dict[str, str]) -> None:
    """Drop and create the bench database and its Redis db, migrate, load the demo."""
    admin = [f"--dbname={PG}/postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c"]
    run(["psql", *admin, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'], env, 60)
    run(["psql", *admin, f'CREATE DATABASE "{DB_NAME}"'], env, 60)
    run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], env, 30)
    run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([PY, "manage.py", "load_demo"], env)
    from bench.bareview import CREATE_SQL

    run(["psql", f"--dbname={PG}/{DB_NAME}", "-q", "-c", CREATE_SQL], env, 60)
    run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], env, 30)  # load_demo's tasks: done inline


class Proc:
    """A child process in its own process group, always stopped (TERM, then KILL)."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], logdir: Path) -> None:
        self.name = name
        self.logfile = (logdir / f"{name}.log").open("w")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.logfile.close()

    def __enter__(self) -> Proc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_worker(env: dict[str, str], logdir: Path, nice: int = 0) -> Proc:
    prefix = ["nice", "-n", str(nice)] if nice else []
    worker = Proc("worker", [*prefix, PY, "-m", "celery", "-A", "loket", "worker",
                             "--loglevel=WARNING", "--concurrency=2", "--without-gossip",
                             "--without-mingle",
                             "-n", f"bench-{os.getpid()}@%h"], env, logdir)
    if nice:
        # The worker runs in its own session, hence (with sched_autogroup, as on this
        # machine) in its own scheduling group: a process's nice value only weighs within
        # its group, so the group gets it too (the container equivalent is cpu_shares).
        try:
            Path(f"/proc/{worker.proc.pid}/autogroup").write_text(str(nice))
        except OSError as error:
            log(f"autogroup nice not set ({error}); nice applies inside the group only")
    from loket.celery import app

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if worker.proc.poll() is not None:
            raise RuntimeError(f"worker exited, see {worker.logfile.name}")
        if app.control.ping(timeout=1):
            return worker
    worker.stop()
    raise RuntimeError("worker did not answer a ping within 90 s")


def start_gunicorn(env: dict[str, str], logdir: Path, workers: int,
                   threads: int) -> tuple[Proc, int]:
    port = free_port()
    web = Proc(f"gunicorn-{workers}x{threads}",
               [PY, "-m", "gunicorn", "loket.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", str(workers), "--threads", str(threads),
                "--worker-class", "gthread" if threads > 1 else "sync",
                "--log-level", "warning", "--timeout", "60"], env, logdir)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if web.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited, see {web.logfile.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                return web, port
        except OSError as error:  # not listening yet; HTTPError (503: no heartbeat) is up
            if getattr(error, "code", None):
                return web, port
            time.sleep(0.3)
    web.stop()
    raise RuntimeError("gunicorn did not come up within 90 s")


def process_tree_cpu(root_pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        stats[int(entry)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def queue_length() -> int:
    from loket.celery import app

    with app.connection_for_read() as conn:
        return conn.default_channel.client.llen("celery")


def drain(timeout: float = 180) -> float:
    """Wait (bounded) until the worker has computed every proposal and the queue is empty."""
    from loket.intake.models import Initiative
    from loket.routing.models import RoutingProposal

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        pending = Initiative.objects.exclude(routing__computed_at__isnull=False).count()
        if pending == 0 and queue_length() == 0:
            return time.monotonic() - started
        time.sleep(0.5)
    log(f"drain: gave up after {timeout:.0f} s "
        f"({RoutingProposal.objects.filter(computed_at__isnull=True).count()} proposals open)")
    return float("nan")


def locust_run(port: int, path: str, users: int, duration: int, env: dict[str, str],
               workdir: Path, worker: Proc, web: Proc) -> dict[str, Any]:
    prefix = workdir / f"locust-{path.strip('/').replace('/', '_')}-{users}-{time.time_ns()}"
    cmd = [LOCUST, "-f", str(ROOT / "bench" / "locust_intake.py"), "--headless",
           "-u", str(users), "-r", str(users), "-t", f"{duration}s", "--stop-timeout", "5",
           "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
           "--reset-stats", "--loglevel", "WARNING"]
    load_before = os.getloadavg()[0]
    cpu_before = {"web": process_tree_cpu(web.proc.pid),
                  "worker": process_tree_cpu(worker.proc.pid)}
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(cmd, cwd=ROOT, env={**env, "LOKET_BENCH_PATH": path}, check=False,
                   timeout=duration + 90, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - started
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    web_cpu = process_tree_cpu(web.proc.pid) - cpu_before["web"]
    worker_cpu = process_tree_cpu(worker.proc.pid) - cpu_before["worker"]
    load_after = os.getloadavg()[0]
    with open(f"{prefix}_stats.csv") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    count = int(row["Request Count"])
    client_cpu = (client_after.ru_utime + client_after.ru_stime
                  - client_before.ru_utime - client_before.ru_stime)
    return {
        "path": path, "users": users, "requests": count,
        "failures": int(row["Failure Count"]), "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]), "p99_ms": float(row["99%"]),
        "max_ms": float(row["Max Response Time"]),
        "web_cpu_ms_per_req": 1000 * web_cpu / count if count else float("nan"),
        "worker_cpu_s": worker_cpu, "client_cpu_share": client_cpu / wall, "wall_s": wall,
        "load_before": load_before, "load_after": load_after,
    }


def submit(port: int, n: int, tag: str, areas: list[str]) -> None:
    from bench.intake_bodies import body

    data = body(n)
    data["title"] = f"Routing {tag} {n} {data['title']}"
    data["initiators"][0]["email"] = f"route-{tag}-{n}@example.org"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{INTAKE}",
                                     data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 201:
            raise RuntimeError(f"submission answered {response.status}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def routing_latency(port: int, count: int, gap: float) -> dict[str, Any]:
    """Paced submissions (one every `gap` seconds), then each sent to consultation."""
    from django.contrib.auth import get_user_model

    from loket.core.actors import Actor
    from loket.demo.samples import AGREED
    from loket.intake.models import Initiative
    from loket.routing.models import RoutingProposal
    from loket.workflow.models import TransitionLog
    from loket.workflow.services import fire_transition

    tag = f"r{int(time.time())}"
    load_before = os.getloadavg()[0]
    since = time.time()
    for n in range(count):
        submit(port, n, tag, [])
        time.sleep(gap)
    deadline = time.monotonic() + 60
    ours = Initiative.objects.filter(title__startswith=f"Routing {tag} ")
    while time.monotonic() < deadline and RoutingProposal.objects.filter(
            initiative__in=ours, computed_at__isnull=False).count() < count:
        time.sleep(0.2)
    proposal_ms = [
        (p.computed_at - p.initiative.created_at).total_seconds() * 1000
        for p in RoutingProposal.objects.filter(initiative__in=ours, computed_at__isnull=False)
        .select_related("initiative")]
    broker = Actor.for_user(get_user_model().objects.get(username="makelaar"))
    sent: list[Any] = []
    for initiative in ours:
        pk = initiative.pk
        fire_transition(pk, "take_on", broker)
        fire_transition(pk, "agree_expectations", broker, **AGREED)
        fire_transition(pk, "submit_plan", Actor.initiators(pk))
        time.sleep(gap)
        fire_transition(pk, "send_to_consultation", broker)
        sent.append(pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and RoutingProposal.objects.filter(
            initiative__in=sent, routed_at__isnull=False).count() < len(sent):
        time.sleep(0.2)
    sent_at = dict(TransitionLog.objects.filter(initiative__in=sent,
                                                transition="send_to_consultation")
                   .values_list("initiative_id", "at"))
    routed = RoutingProposal.objects.filter(initiative__in=sent, routed_at__isnull=False)
    routed_ms = [(p.routed_at - sent_at[p.initiative_id]).total_seconds() * 1000 for p in routed]
    from loket.routing.models import RoutedRequest

    return {
        "submissions": count, "proposals": len(proposal_ms),
        "proposal_p50_ms": statistics.median(proposal_ms) if proposal_ms else float("nan"),
        "proposal_p95_ms": percentile(proposal_ms, 95),
        "proposal_max_ms": max(proposal_ms, default=float("nan")),
        "sent": len(sent), "routed": len(routed_ms),
        "requests": RoutedRequest.objects.filter(initiative__in=sent).count(),
        "routed_p50_ms": statistics.median(routed_ms) if routed_ms else float("nan"),
        "routed_p95_ms": percentile(routed_ms, 95),
        "routed_max_ms": max(routed_ms, default=float("nan")),
        "load_before": load_before, "load_after": os.getloadavg()[0],
        "seconds": time.time() - since,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="2x4,3x2",
                        help="gunicorn settings, WORKERSxTHREADS, comma-separated")
    parser.add_argument("--users", default="1,8,32")
    parser.add_argument("--duration", type=int, default=15, help="seconds per locust run")
    parser.add_argument("--routing", type=int, default=40, help="paced submissions (0: skip)")
    parser.add_argument("--gap", type=float, default=0.25, help="seconds between them")
    parser.add_argument("--worker-nice", type=int, default=0,
                        help="run the worker at this niceness (web requests first)")
    parser.add_argument("--json", type=Path, help="write all results to this file")
    args = parser.parse_args()
    if not 1 <= args.duration <= 120:
        parser.error("--duration: 1 to 120 seconds")

    env = bench_env()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    log(f"commit {commit}, {os.cpu_count()} cores, load {os.getloadavg()}")
    log(f"resetting database {DB_NAME} and Redis db {REDIS_DB}")
    reset_database(env)
    import django

    django.setup()
    from loket.intake.models import Area

    env["LOKET_BENCH_AREAS"] = ",".join(Area.objects.values_list("code", flat=True))
    results: dict[str, Any] = {"commit": commit, "cores": os.cpu_count(), "args": vars(args),
                               "runs": [], "routing": None}
    users = [int(u) for u in args.users.split(",")]
    with tempfile.TemporaryDirectory(prefix="load_intake-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        worker = stack.enter_context(start_worker(env, workdir, args.worker_nice))
        log(f"worker up (nice {args.worker_nice})")
        for config in args.configs.split(","):
            workers, threads = (int(x) for x in config.lower().split("x"))
            web, port = start_gunicorn(env, workdir, workers, threads)
            with web:
                log(f"gunicorn {workers}x{threads} on port {port}; warming up")
                for path in (BARE, INTAKE):
                    locust_run(port, path, 4, 3, env, workdir, worker, web)
                drain()
                for count in users:
                    for path in (BARE, INTAKE):
                        row = locust_run(port, path, count, args.duration, env, workdir,
                                         worker, web)
                        row["config"] = config
                        row["drain_s"] = drain()
                        results["runs"].append(row)
                        log(f"{config} {path:22} {count:3} clients: {row['rps']:7.1f} req/s "
                            f"p50 {row['p50_ms']:5.0f} ms p99 {row['p99_ms']:5.0f} ms "
                            f"fail {row['failures']} web CPU "
                            f"{row['web_cpu_ms_per_req']:.1f} ms/req, worker CPU "
                            f"{row['worker_cpu_s']:.1f} s, locust "
                            f"{row['client_cpu_share']:.0%} of a core, worker drained in "
                            f"{row['drain_s']:.1f} s, load {row['load_before']:.1f}"
                            f"->{row['load_after']:.1f}")
                if args.routing and config == args.configs.split(",")[0]:
                    drain()
                    results["routing"] = routing_latency(port, args.routing, args.gap)
                    log(f"routing: {json.dumps(results['routing'])}")
    results["load_end"] = os.getloadavg()
    print_markdown(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


def print_markdown(results: dict[str, Any]) -> None:
    print()
    print("| gunicorn | clients | bare req/s | POST req/s | ratio | POST p50 ms | POST p99 ms "
          "| bare p99 ms | POST web CPU ms/req | failures | load 1-min |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    runs = results["runs"]
    for row in runs:
        if row["path"] != INTAKE:
            continue
        bare = next(r for r in runs if r["path"] == BARE and r["config"] == row["config"]
                    and r["users"] == row["users"])
        ratio = row["rps"] / bare["rps"] if bare["rps"] else float("nan")
        print(f"| {row['config']} | {row['users']} | {bare['rps']:.0f} | {row['rps']:.0f} "
              f"| {ratio:.0%} | {row['p50_ms']:.0f} | {row['p99_ms']:.0f} "
              f"| {bare['p99_ms']:.0f} | {row['web_cpu_ms_per_req']:.1f} "
              f"| {row['failures'] + bare['failures']} "
              f"| {bare['load_before']:.1f}-{row['load_after']:.1f} |")
    routing = results.get("routing")
    if routing:
        print()
        print("| routing step | n | p50 ms | p95 ms | max ms |")
        print("|---|---|---|---|---|")
        print(f"| submission -> proposal stored | {routing['proposals']}/{routing['submissions']} "
              f"| {routing['proposal_p50_ms']:.0f} | {routing['proposal_p95_ms']:.0f} "
              f"| {routing['proposal_max_ms']:.0f} |")
        print(f"| send_to_consultation -> requests stored | {routing['routed']}/{routing['sent']}"
              f" ({routing['requests']} requests) | {routing['routed_p50_ms']:.0f} "
              f"| {routing['routed_p95_ms']:.0f} | {routing['routed_max_ms']:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
