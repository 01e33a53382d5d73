"""Tests that need a Debian package (Java, Jena, rapper): ``scripts/system-deps.sh`` installs them,
so a missing tool fails the test with how to install it. Outside CI, ``KZGRAPH_SKIP_<NAME>=1``
turns that failure into a skip; in CI (``CI`` set) the test must run."""

from __future__ import annotations

import os

import pytest


def require(name: str, missing: list[str], packages: str) -> None:
    """Fail (or skip, see the module) when ``missing`` names anything the test needs."""
    if not missing:
        return
    variable = f"KZGRAPH_SKIP_{name.upper()}"
    message = (
        f"{name} check cannot run: missing " + " and ".join(missing) + ". Install with: "
        f"sudo bash scripts/system-deps.sh (or apt-get install -y {packages}); "
        f"outside CI, set {variable}=1 to skip."
    )
    if os.environ.get(variable) == "1" and not os.environ.get("CI"):
        pytest.skip(message)
    pytest.fail(message, pytrace=False)
