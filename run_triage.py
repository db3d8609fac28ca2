#!/usr/bin/env python3
"""triage: support-inbox triage for online shops. Same program as the `triage` console script."""

from triage.cli import main

if __name__ == "__main__":
    main()
