"""Classpaths of Debian's Java library packages: a package's jars and, transitively, those of the
Java libraries it depends on (never all of /usr/share/java: several slf4j bindings and bridges
there make a logging loop)."""

from __future__ import annotations

import subprocess
from pathlib import Path

JAR_DIR = Path("/usr/share/java")
# slf4j ships one API jar and many bindings and bridges: exactly one binding may be present.
SLF4J_KEEP = {"slf4j-api", "slf4j-simple"}
SLF4J_PACKAGE = "libslf4j-java"


def _dpkg(*args: str) -> str:
    result = subprocess.run(["dpkg-query", *args], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else ""


def _installed_packages() -> set[str]:
    lines = _dpkg("-W", "-f=${Package} ${Status}\n").splitlines()
    return {line.split()[0] for line in lines if line.endswith(" installed")}


def _depends(package: str, installed: set[str]) -> list[str]:
    """Installed packages that ``package`` depends on (first installed alternative of each)."""
    deps = []
    for clause in _dpkg("-W", "-f=${Depends},${Pre-Depends}", package).split(","):
        names = [alt.split("(")[0].strip().split(":")[0] for alt in clause.split("|")]
        deps += [name for name in names if name in installed][:1]
    return deps


def package_jars(package: str) -> list[Path]:
    """The jars a package puts in /usr/share/java, without the versioned-name symlinks."""
    paths = (Path(line) for line in _dpkg("-L", package).splitlines())
    return [p for p in paths if p.parent == JAR_DIR and p.suffix == ".jar" and not p.is_symlink()]


def library_classpath(package: str, own: list[Path]) -> list[Path]:
    """``own`` (the package's jars to use) followed by the jars of every Java library package
    ``package`` depends on, transitively."""
    installed = _installed_packages()
    classpath, seen, todo = list(own), {package}, _depends(package, installed)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        jars = package_jars(name)
        if not jars:  # not a Java library (e.g. a JRE); do not walk into its dependencies
            continue
        if name == SLF4J_PACKAGE:
            jars = [jar for jar in jars if jar.stem in SLF4J_KEEP]
        classpath += jars
        todo += _depends(name, installed)
    return classpath
