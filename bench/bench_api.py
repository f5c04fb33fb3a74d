"""Benchmark the API under gunicorn on loopback (figures to report, not a timed test).

    python bench/bench_api.py [--workers 2] [--clients 4] [--requests 2000] [--database-url URL]

Starts two gunicorn servers on 127.0.0.1 with the same settings (server/gunicorn_conf.py): the service
(`server:create_app()`, on a fresh SQLite
file unless --database-url) and a trivial Flask endpoint (`bench_api:trivial_app`, a small JSON
object). Then, in the same run, in `--rounds` interleaved rounds (medians kept, so a busy machine
disturbs every endpoint alike) with `--clients` concurrent client processes, it measures:

- the trivial endpoint                      GET /ping
- the service's own cheapest route          GET /healthz
- cached badge lookups                      GET /api/v1/badges?url=<seed demo page>
- cached analyses                           POST /api/v1/analyses {"url": <seed demo page>}
- fresh analyses (no cache: new HTML each)  POST /api/v1/analyses {"url", "html"}  (once, at the end)

and prints throughput (req/s), p50/p99 latency, the ratio of cached badge lookups to the trivial
endpoint (goal >= 0.6) and each service worker's RSS and PSS after analyses (models loaded; goal
RSS <= 200 MB). Rate limits are switched off for the run (RATELIMIT_ENABLED=0).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import quote

from flask import Flask

REPO = Path(__file__).resolve().parents[1]

trivial_app = Flask("trivial")


@trivial_app.get("/ping")
def ping():
    return {"ok": True}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    # Both apps run under the production settings (server/gunicorn_conf.py: gthread workers,
    # no access log), so the ratio compares the endpoints, not two server set-ups.
    config = ["-c", "python:server.gunicorn_conf"]
    return subprocess.Popen(
        [gunicorn, *config, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--pythonpath",
         f"{REPO},{REPO / 'bench'}", "--log-level", "warning", "--timeout", "60", app_spec],
        env=env, cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_up(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", path)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not come up")


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def client_loop(args: tuple) -> list[float]:
    port, method, path, body_kind, n, seed_url, offset = args
    html = None
    if body_kind == "fresh":
        html = (REPO / "server" / "demo" / "sober-article.html").read_text()
    latencies = []
    for i in range(n):
        if body_kind == "cached":
            body = {"url": seed_url}
        elif body_kind == "fresh":
            # the process id keeps runs apart too: a database kept from an earlier run (PostgreSQL)
            # must not answer these from its cache
            run = f"{os.getpid()}-{offset}-{i}"
            body = {"url": f"https://bench.example/{run}",
                    "html": html.replace("</article>", f"<p>Run {run}.</p></article>")}
        else:
            body = None
        started = time.perf_counter()
        status, _ = request(port, method, path, body)
        latencies.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"{method} {path} answered {status}")
    return latencies


def measure(pool: ProcessPoolExecutor, clients: int, total: int, port: int, method: str,
            path: str, body_kind: str | None, seed_url: str) -> dict[str, float]:
    per_client = max(1, total // clients)
    started = time.perf_counter()
    jobs = [(port, method, path, body_kind, per_client, seed_url, c) for c in range(clients)]
    latencies = [x for chunk in pool.map(client_loop, jobs) for x in chunk]
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def worker_memory_mb(master_pid: int) -> list[tuple[float, float]]:
    """(RSS, PSS) of each worker: PSS counts pages shared with the preloading master in part."""
    out = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        values = {}
        for line in Path(f"/proc/{child}/smaps_rollup").read_text().splitlines():
            parts = line.split()
            if parts and parts[0] in ("Rss:", "Pss:"):
                values[parts[0]] = int(parts[1]) / 1024
        out.append((values.get("Rss:", 0.0), values.get("Pss:", 0.0)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=2000, help="per cached/trivial measurement")
    parser.add_argument("--fresh", type=int, default=40, help="fresh analyses to time")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (medians kept)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", dest="json_out", default=None, help="also write figures here")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "RELIABILITY_DEMO": "1",  # the cached cases read the packaged seed page
        "PYTHONPATH": f"{REPO}{os.pathsep}{env.get('PYTHONPATH', '')}",
    })
    env.pop("RELIABILITY_FETCH_ALLOW_LOOPBACK", None)
    service_port, trivial_port = free_port(), free_port()
    # migrate once before the workers start (they would serialise on a lock anyway)
    subprocess.run([sys.executable, "-c", "from server import create_app; create_app()"],
                   env=env, cwd=str(REPO), check=True)
    service = start_gunicorn("server:create_app()", service_port, args.workers, env)
    trivial = start_gunicorn("bench_api:trivial_app", trivial_port, args.workers, env)
    try:
        wait_up(service_port, "/healthz")
        wait_up(trivial_port, "/ping")
        seed_url = f"http://127.0.0.1:{service_port}/demo/seed-article.html"
        badge_path = "/api/v1/badges?url=" + quote(seed_url, safe="")
        for _ in range(args.workers * 2):  # analyse once, and warm every worker's analyzer
            status, _ = request(service_port, "POST", "/api/v1/analyses", {"url": seed_url})
            assert status == 200, status
            request(service_port, "POST", "/api/v1/analyses",
                    {"url": "https://warm.example/", "html": "<html><p>warm up</p></html>"})
        cases = [
            ("trivial GET /ping", trivial_port, "GET", "/ping", None),
            ("service GET /healthz", service_port, "GET", "/healthz", None),
            ("cached GET /api/v1/badges", service_port, "GET", badge_path, None),
            ("cached POST /api/v1/analyses", service_port, "POST", "/api/v1/analyses", "cached"),
        ]
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in cases}
        with ProcessPoolExecutor(args.clients) as pool:
            # interleaved rounds, so a busy machine disturbs every endpoint alike
            for _ in range(args.rounds):
                for name, port, method, path, kind in cases:
                    runs[name].append(measure(pool, args.clients, args.requests // args.rounds,
                                              port, method, path, kind, seed_url))
            fresh = measure(pool, args.clients, args.fresh, service_port, "POST",
                            "/api/v1/analyses", "fresh", seed_url)
        figures = {name: {key: statistics.median(r[key] for r in results)
                          for key in ("requests", "rps", "p50_ms", "p99_ms")}
                   for name, results in runs.items()}
        for name, results in runs.items():
            figures[name]["requests"] = sum(r["requests"] for r in results)
        figures["fresh POST /api/v1/analyses"] = fresh
        memory = worker_memory_mb(service.pid)
    finally:
        for proc in (service, trivial):
            proc.send_signal(signal.SIGTERM)
        for proc in (service, trivial):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    trivial_rps = figures["trivial GET /ping"]["rps"]
    # the settings both servers ran under (threads from the same environment); imported here,
    # not at the top, so the trivial app's workers do not load the service's package
    from server import gunicorn_conf

    print(f"gunicorn {gunicorn_conf.worker_class} workers: {args.workers} x {gunicorn_conf.threads} "
          f"threads, client processes: {args.clients}, "
          f"database: {'sqlite' if not args.database_url else args.database_url.split(':')[0]}")
    print(f"{'endpoint (median of rounds)':34} {'requests':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, f in figures.items():
        print(f"{name:34} {int(f['requests']):8d} {f['rps']:9.1f} {f['p50_ms']:8.2f} {f['p99_ms']:8.2f}")
    ratio = figures["cached GET /api/v1/badges"]["rps"] / trivial_rps
    ratio_post = figures["cached POST /api/v1/analyses"]["rps"] / trivial_rps
    print(f"cached badge lookups / trivial endpoint: {ratio:.2f}  (goal >= 0.6)")
    print(f"cached analyses / trivial endpoint:      {ratio_post:.2f}")
    print("service workers after analyses, RSS / PSS (MB): "
          + ", ".join(f"{r:.0f} / {p:.0f}" for r, p in memory) + "  (goal: RSS <= 200)")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"figures": figures, "ratio_badges": ratio, "ratio_cached_analyses": ratio_post,
             "worker_rss_pss_mb": memory, "workers": args.workers, "threads": gunicorn_conf.threads,
             "clients": args.clients}, indent=2))


if __name__ == "__main__":
    main()
