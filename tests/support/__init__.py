"""What the tests and the benchmarks share: a real Dovecot, generated mail, configs and the command line.

Fixtures live in tests/conftest.py and use these; bench/ imports from here too, never from a test module
or from conftest, so each helper has one home and the benchmarks do not depend on the suite.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
# The shipped model by default; TRIAGE_TEST_MODEL points the suite at another build (e.g. while retraining).
MODEL = Path(os.environ.get("TRIAGE_TEST_MODEL", ROOT / "models" / "intent"))
