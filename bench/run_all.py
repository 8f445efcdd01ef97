#!/usr/bin/env python
"""Run every `bench/bench_*.py`, one after the other, and print their reports (`make bench`).

Each benchmark runs in its own process (each sets Django up against its own throwaway
database) with the arguments given here passed through, e.g. `run_all.py --seconds 2`.
Exit status: 0 when every benchmark exited 0, else 1; a summary lists each one's status.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if not scripts:
        print("no bench/bench_*.py found")
        return 1
    outcomes = []
    for script in scripts:
        print(f"\n===== {script.name} " + "=" * max(0, 60 - len(script.name)), flush=True)
        started = time.monotonic()
        # Output streams straight through, so a long benchmark shows its progress.
        code = subprocess.call([sys.executable, str(script), *argv], cwd=BENCH_DIR.parent)
        outcomes.append((script.name, code, time.monotonic() - started))
    print("\n===== summary " + "=" * 54)
    for name, code, seconds in outcomes:
        print(f"{name:<28} {'ok' if code == 0 else f'FAILED (exit {code})':<18} {seconds:6.1f}s")
    return 0 if all(code == 0 for _, code, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
