"""What ships inside the package: the intent model and its training config, the templates and the demo.

Read through importlib.resources, so the same code finds them in the repository (where triage/_data/
links to the top-level models/intent, templates/ and demo/) and in an installed wheel (where the build
copied the files in). Nothing here is resolved against the current directory or a config file.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def bundled(name: str) -> Path:
    """The shipped resource `name` ("model", "templates", "templates/replies", "demo", ...) as a path.

    The package is always installed as files (pip unpacks wheels), so the traversable is a real path;
    a zipped install would fail here loudly rather than later with a missing template.
    """
    root = files("triage") / "_data"
    return Path(str(root)) / name


MODEL = "model"
TRAIN_CONFIG = "train.cfg"  # the spaCy config `train` fits with (models/config.cfg)
REPLY_TEMPLATES = "templates/replies"
SUMMARY_TEMPLATES = "templates/summary"
WEB_TEMPLATES = "templates/web"
DEMO = "demo"
