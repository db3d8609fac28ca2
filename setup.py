"""Build hook beside pyproject.toml (which holds all the metadata): compiles the redaction package's hot modules
with mypyc when a wheel is built, for about 1.4x the redaction speed (issue 13; figures in bench/results.md).

Why only there, and why optional:
- An editable install (`pip install -e .`, what development and the test suite use) stays pure Python: a compiled
  module beside its .py would shadow every later edit until the next build. (pip runs this file once per build
  step; only the steps named in `_ext_modules` compile.)
- `TRIAGE_PURE=1` builds a pure wheel; so does a machine without mypy or a C compiler: each extension is optional,
  so a failed compile leaves the .py modules, which import and redact exactly the same, only slower.
- The wheel is then platform-specific (CPython 3.11 on x86_64 Linux here), and building it takes about 40 s more.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

# The modules every redaction runs through; stream.py (I/O around them) gains nothing from compiling.
COMPILED = [
    "triage/redact/__init__.py",
    "triage/redact/cards.py",
    "triage/redact/cues.py",
    "triage/redact/gaps.py",
    "triage/redact/iban.py",
    "triage/redact/issuers.py",
    "triage/redact/markers.py",
    "triage/redact/normalize.py",
    "triage/redact/prescan.py",
    "triage/redact/secrets.py",
    "triage/redact/spelled.py",
]


def _ext_modules() -> list:
    # Only the commands that build a wheel or install from source; metadata steps and `editable_wheel` never do.
    if os.environ.get("TRIAGE_PURE") or not {"bdist_wheel", "build_ext", "build", "install"} & set(sys.argv[1:]):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    try:
        # pip builds in an isolated environment without the runtime dependencies (python-stdnum, hyperscan):
        # their types are then unknown, which is no error for the compile.
        modules = mypycify(["--ignore-missing-imports", *COMPILED], opt_level="3")
    except (Exception, SystemExit) as e:  # mypy found an error (it exits): build pure rather than fail the install
        print(f"setup.py: mypyc compile skipped ({e}); building pure Python", file=sys.stderr)
        return []
    for ext in modules:
        ext.optional = True  # no C compiler: the pure modules stand in
    return modules


setup(ext_modules=_ext_modules())
