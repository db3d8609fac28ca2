"""Redaction speed, design against design (issue 13): the same corpus timed through several builds of triage.redact,
each in its own process, taking turns, each against the one-regex card scan timed in the same process.

    .venv/bin/python bench/redact_designs.py [--rounds N] [--mails N] [--code NAME=DIR ...] [--no-compiled]

Rows: this tree as pure Python (what an editable install runs), this tree compiled with mypyc (the wheel setup.py
builds: built here into a temp folder with `pip wheel --no-build-isolation`, its build time printed), and any
`--code NAME=DIR` (another checkout, `/work/main` say). Figures: MB/s of CPU time on bench_redact's typical ~4 KB
mail and on its secret-free mails alone, µs a mail, and the ratio to the card scan; each the best of the rounds.
bench/redact_guard.py is what shows the builds redact alike: `check` with the compiled build first on the path.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_TOP_FILES = ("pyproject.toml", "README.md", "models/config.cfg")

_CHILD = """
import json, sys, time
sys.path[:0] = [{code!r}, {root!r}]
from bench.bench_redact import _BASELINE_CARD_RE, _typical_texts
import triage.redact as R
assert R.__file__.startswith({code!r}), R.__file__
out = {{"compiled": not R.__file__.endswith(".py")}}
for kind, free in (("typical", False), ("secret_free", True)):
    texts = _typical_texts(False, secret_free=free)[:{mails}]
    size = sum(len(t.encode()) for t in texts) / 1e6
    for t in texts[:20]:
        R.redact(t)
    best = [float("inf"), float("inf")]
    for _ in range(3):
        for k, f in enumerate((lambda t: R.redact(t).text, lambda t: _BASELINE_CARD_RE.sub("[card]", t))):
            t0 = time.process_time()
            for t in texts:
                f(t)
            best[k] = min(best[k], time.process_time() - t0)
    out[kind] = {{"mb": size, "n": len(texts), "ours": best[0], "base": best[1]}}
print(json.dumps(out))
"""


def build_compiled(into: Path) -> float:
    """Build this tree's wheel (compiled by setup.py) and unpack it into `into`; returns the build's wall seconds."""
    src = into / "src"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in [*files, "setup.py"]:
        if name.startswith(("triage/", "models/intent/", "templates/", "demo/")) or name in _TOP_FILES:
            path = ROOT / name
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                (src / name).symlink_to(path.readlink())
            elif path.is_file():
                (src / name).write_bytes(path.read_bytes())
    (src / "setup.py").write_bytes((ROOT / "setup.py").read_bytes())
    t0 = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            into,
            src,
        ],
        check=True,
        capture_output=True,
    )
    seconds = time.monotonic() - t0
    [wheel] = into.glob("triage-*.whl")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(into / "code")
    return seconds


def _time(code: Path, mails: int) -> dict:
    child = _CHILD.format(code=str(code), root=str(ROOT), mails=mails)
    return json.loads(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True).stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="child processes per build (each: best of 3)")
    parser.add_argument("--mails", type=int, default=600, help="~4 KB texts of each kind")
    parser.add_argument("--code", action="append", default=[], metavar="NAME=DIR", help="another checkout to time")
    parser.add_argument("--no-compiled", action="store_true", help="skip building the mypyc wheel")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        builds = {"pure Python (this tree)": ROOT}
        if not args.no_compiled:
            seconds = build_compiled(Path(tmp))
            print(f"compiled wheel built in {seconds:.0f} s (pip wheel, mypyc through setup.py)")
            builds["mypyc (this tree's wheel)"] = Path(tmp) / "code"
        builds |= {k: Path(v).resolve() for k, v in (c.split("=", 1) for c in args.code)}
        best: dict[str, dict] = {}
        for r in range(args.rounds):
            for name in list(builds)[r % len(builds) :] + list(builds)[: r % len(builds)]:
                got = _time(builds[name], args.mails)
                if name.startswith("mypyc") and not got["compiled"]:
                    print("NOTE: the wheel holds no compiled module (no compiler?): timing pure Python")
                keep = best.setdefault(name, got)
                for kind in ("typical", "secret_free"):
                    for k in ("ours", "base"):
                        keep[kind][k] = min(keep[kind][k], got[kind][k])
    print()
    print("| build | typical MB/s | µs a mail | × card scan | secret-free MB/s | µs a mail | × card scan |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, b in best.items():
        cells = []
        for kind in ("typical", "secret_free"):
            d = b[kind]
            cells += [f"{d['mb'] / d['ours']:.1f}", f"{1e6 * d['ours'] / d['n']:.0f}", f"{d['base'] / d['ours']:.2f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
