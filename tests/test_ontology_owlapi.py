"""Load the ontology with the OWL API (what Protégé uses) and check the OWL 2 DL profile, alone
and with the data (where only the dates of docs/decisions/0018-owl-datatypes.md may violate it).

Needs Java (javac) and Debian's ``libowlapi-java``: ``scripts/system-deps.sh`` installs both.
Set ``KZGRAPH_SKIP_OWLAPI=1`` to skip these tests where they cannot be installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult

from .debian_java import library_classpath, package_jars

pytestmark = pytest.mark.owlapi

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology" / "kzgraph.ttl"
SOURCE = Path(__file__).resolve().parent / "owlapi" / "ProfileCheck.java"
BUILD = REPO / "build" / "owlapi"
OWLAPI_PACKAGE = "libowlapi-java"
# The OWL API jar that bundles all of its modules (api, impl, parsers, rio, tools, ...).
OWLAPI_BUNDLE = "owlapi-distribution"


def owlapi_classpath() -> list[Path]:
    """Jars of libowlapi-java (its bundle) and, transitively, of the Java libraries it needs."""
    owlapi = package_jars(OWLAPI_PACKAGE)
    bundle = [jar for jar in owlapi if jar.stem == OWLAPI_BUNDLE]
    return library_classpath(OWLAPI_PACKAGE, bundle) if bundle else []


def _require_toolchain() -> str:
    """The classpath as a string; fails (or skips if KZGRAPH_SKIP_OWLAPI=1) if tools are missing."""
    missing = []
    if not (shutil.which("java") and shutil.which("javac")):
        missing.append("a JDK with java and javac (Debian: default-jdk-headless)")
    classpath = owlapi_classpath()
    if not classpath:
        missing.append(f"the OWL API jars (Debian: {OWLAPI_PACKAGE})")
    if missing:
        message = (
            "OWL API check cannot run: missing "
            + " and ".join(missing)
            + ". Install with: sudo bash scripts/system-deps.sh "
            + f"(or apt-get install -y {OWLAPI_PACKAGE} default-jdk-headless); "
            + "set KZGRAPH_SKIP_OWLAPI=1 to skip."
        )
        if os.environ.get("KZGRAPH_SKIP_OWLAPI") == "1":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    return os.pathsep.join(str(jar) for jar in classpath)


@pytest.fixture(scope="module")
def profile_check() -> list[str]:
    """The command (minus arguments) that runs the compiled ProfileCheck, compiling if needed."""
    classpath = _require_toolchain()
    BUILD.mkdir(parents=True, exist_ok=True)
    compiled = BUILD / "ProfileCheck.class"
    stamp = BUILD / "classpath.txt"
    up_to_date = (
        compiled.exists()
        and compiled.stat().st_mtime >= SOURCE.stat().st_mtime
        and stamp.exists()
        and stamp.read_text() == classpath
    )
    if not up_to_date:
        result = subprocess.run(
            ["javac", "--release", "17", "-cp", classpath, "-d", str(BUILD), str(SOURCE)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"javac failed:\n{result.stdout}{result.stderr}"
        stamp.write_text(classpath)
    return ["java", "-cp", os.pathsep.join([str(BUILD), classpath]), "ProfileCheck"]


def _run(command: list[str], ontology: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command, str(ontology)], capture_output=True, text=True, timeout=300)


def test_ontology_is_owl2_dl(profile_check: list[str]) -> None:
    if not ONTOLOGY.exists():
        pytest.fail(f"{ONTOLOGY} is missing", pytrace=False)
    result = _run(profile_check, ONTOLOGY)
    if result.returncode != 0 or "SUMMARY: OK" not in result.stdout:
        pytest.fail(
            f"OWL API check of {ONTOLOGY.relative_to(REPO)} failed (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}",
            pytrace=False,
        )


# Literal datatypes the data uses that OWL 2's datatype map lacks; kept on purpose
# (docs/decisions/0018-owl-datatypes.md). The OWL API reports each such literal twice.
XSD = "http://www.w3.org/2001/XMLSchema#"
DATES_OUTSIDE_OWL2 = {"xsd:date", "xsd:gYear", "xsd:gYearMonth", "xsd:duration"}
DATATYPE_VIOLATIONS = {"UseOfUndeclaredDatatype", "UseOfDefinedDatatypeInLiteral"}
INFERRED = "https://w3id.org/kzgraph/graph/inferred"


def _ontology_with_data(build_dir: Path, target: Path) -> Path:
    """Every graph of the build but the inferred one (the ontology, the SKOS vocabularies and
    the asserted data, as Protégé opens them), merged into one Turtle document."""
    quads = ox.parse(path=build_dir / "kzgraph.nq", format=ox.RdfFormat.N_QUADS)
    triples = (
        ox.Triple(q.subject, q.predicate, q.object)
        for q in quads
        if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == INFERRED)
    )
    ox.serialize(triples, output=target, format=ox.RdfFormat.TURTLE)
    return target


def test_ontology_with_the_data_declares_every_term(
    profile_check: list[str], real_kg: KnowledgeGraph, real_build: BuildResult, tmp_path: Path
) -> None:
    """The OWL API finds no undeclared class or property in the ontology with the data; the only
    OWL 2 DL violations left are the date and duration literals ADR 0018 keeps."""
    merged = _ontology_with_data(real_kg.settings.build_dir, tmp_path / "with-data.ttl")
    result = _run(profile_check, merged)
    output = f"exit {result.returncode}:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
    assert "LOAD ERROR" not in result.stdout, output
    assert "PARSE PROBLEM" not in result.stdout, output
    kinds: Counter[str] = Counter()
    unexpected = []
    for line in result.stdout.splitlines():
        match = re.match(r"VIOLATION: (\w+): (.*)", line)
        if not match:
            continue
        kind, text = match.groups()
        datatype = re.search(r"\^\^(xsd:\w+)|datatype: (xsd:\w+)", text)
        name = datatype and (datatype.group(1) or datatype.group(2))
        if kind in DATATYPE_VIOLATIONS and name in DATES_OUTSIDE_OWL2:
            kinds[f"{kind} {name}"] += 1
        else:
            unexpected.append(line)
    assert not unexpected, (
        f"OWL 2 DL violations in {merged.name} other than the dates ADR 0018 keeps "
        f"(declare the term in ontology/kzgraph.ttl):\n" + "\n".join(unexpected[:20])
    )
    assert kinds, f"expected the data's date literals to be checked:\n{output}"


BROKEN = """\
@prefix : <https://example.org/broken#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.org/broken> a owl:Ontology .
:Report a owl:Class .
# One IRI used as both an object property and a data property: not allowed in OWL 2 DL.
:about a owl:ObjectProperty ; rdfs:range :Report .
:about a owl:DatatypeProperty ; rdfs:range xsd:string .
# xsd:date is not in the OWL 2 datatype map: OWL API 5.1.20 reports UseOfUndeclaredDatatype.
:published a owl:DatatypeProperty ; rdfs:range xsd:date .
"""


def test_checker_reports_violations(profile_check: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN)
    result = _run(profile_check, broken)
    output = f"exit {result.returncode}:\n{result.stdout}{result.stderr}"
    assert result.returncode == 1, f"expected exit 1 (violations), got {output}"
    assert "VIOLATION: IllegalPunning" in result.stdout, output
    assert "VIOLATION: UseOfUndeclaredDatatype" in result.stdout, output
    assert "SUMMARY: FAILED" in result.stdout, output
