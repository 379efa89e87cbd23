#!/usr/bin/env python3
"""Time `manage.py suggest --jsonl` on 100 lines against a fresh demo database (SQLite).

Wall-clock of the whole command (Django start-up, reading the configuration, compiling the
vocabulary, 100 suggestions), best of three runs; the target is under 5 seconds.

    python bench/bench_suggest_command.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [Path("/work/shared/eval/dev.jsonl"), ROOT / "bench/data/validation.jsonl",
           ROOT / "bench/data/fresh.jsonl"]


def main() -> int:
    items = [json.loads(line) for src in SOURCES if src.exists()
             for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [{"id": f"{i:03d}", "title": it["title"], "description": it["description"],
              "requested_budget": it.get("requested_budget", 0)}
             for i, it in enumerate((items * (100 // max(len(items), 1) + 1))[:100])]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LOKET_DEMO": "1", "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
               "LOG_LEVEL": "WARNING"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*manage, "load_demo"], env=env, check=True, capture_output=True)
        path = Path(tmp) / "in.jsonl"
        path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                        encoding="utf-8")
        times, cpu = [], []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([*manage, "suggest", "--jsonl", str(path)], env=env,
                                  check=True, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        assert len(done.stdout.splitlines()) == 100
    load = os.getloadavg()[0]
    print(f"manage.py suggest, 100 lines: wall best {min(times):.2f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in times)}), CPU best {min(cpu):.2f} s, "
          f"load average {load:.1f} on {os.cpu_count()} cores (target < 5 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
