"""Debian's Chromium, as the tests and the benchmark launch it.

The flags keep it from calling home: this machine's network is closed, and a
browser that tries to reach Google's hosts at every start makes runs slow and
noisy. Override the binary with the CHROMIUM environment variable.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
