"""Apache Jena (Debian's libapache-jena-java) against a real server and the dumps: ``rsparql
--service`` gets the embedded store's exact answer to a SELECT and a CONSTRUCT, and ``riot
--validate`` reads every dump with the counts pyoxigraph reads.

Debian's Jena 4.5.0 moved its shaded Xerces classes to ``xerces.*`` but left their message
bundles under ``org/apache/jena/ext/xerces/``: every typed literal then dies in
``XSSimpleTypeDecl.applyFacets1: internal error`` (clients audit, §0). The fixture copies the
bundles to where the classes look, in a folder put first on the classpath. Debian's Jena has no
Jakarta JSON-P implementation, so JSON-LD is read as JSON-LD 1.0 (``--syntax=jsonld10``)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.dumps import find_dumps
from kzgraph.pipeline.stages import BuildResult

from .client_answers import CONSTRUCT, SELECT, expected_graph, expected_solutions
from .client_answers import solutions_from_json as solutions
from .debian_java import library_classpath, package_jars
from .rdf_keys import ox_statements
from .system_tools import require

pytestmark = pytest.mark.jena
JENA_PACKAGE = "libapache-jena-java"
BUNDLES = "org/apache/jena/ext/"  # the bundles' folder in jena-core.jar, minus what Debian moved
TIMEOUT = 120  # seconds per Java command (each takes 1-4 s)


@pytest.fixture(scope="module")
def jena(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """``java -cp CLASSPATH`` for Jena's commands, with the Xerces bundles fixed."""
    missing = [] if shutil.which("java") else ["java (Debian: default-jdk-headless)"]
    jars = package_jars(JENA_PACKAGE)
    core = [jar for jar in jars if jar.stem == "jena-core"]
    if not core:
        missing.append(f"Apache Jena's jars (Debian: {JENA_PACKAGE})")
    require("jena", missing, f"{JENA_PACKAGE} default-jdk-headless")
    fix = tmp_path_factory.mktemp("jena-xerces-bundles")
    with zipfile.ZipFile(core[0]) as jar:
        bundles = [n for n in jar.namelist() if n.startswith(BUNDLES) and n.endswith(".properties")]
        assert bundles, f"no Xerces message bundles under {BUNDLES} in {core[0]}"
        for name in bundles:
            target = fix / name.removeprefix(BUNDLES)  # org/apache/jena/ext/xerces/… -> xerces/…
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(jar.read(name))
    classpath = [fix, *library_classpath(JENA_PACKAGE, jars)]
    return [
        "java",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp",
        ":".join(map(str, classpath)),
    ]


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    shown = " ".join(command[3:])
    assert result.returncode == 0, (
        f"{shown} failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
    )
    return result


def _rsparql(jena: list[str], server: str, query: str, results: str, tmp_path: Path) -> str:
    file = tmp_path / "query.rq"
    file.write_text(query)
    command = [*jena, "arq.rsparql", "--service", f"{server}/sparql", "--query", str(file)]
    return _run([*command, f"--results={results}"]).stdout


def test_rsparql_select(
    jena: list[str], real_server: str, real_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    answer = json.loads(_rsparql(jena, real_server, SELECT, "json", tmp_path))
    assert solutions(answer) == expected_solutions(real_kg, SELECT)


def test_rsparql_construct(
    jena: list[str], real_server: str, real_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    answer = _rsparql(jena, real_server, CONSTRUCT, "ntriples", tmp_path)
    read = ox_statements(ox.parse(answer.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert read == expected_graph(real_kg, CONSTRUCT)


def test_riot_validates_every_dump(
    jena: list[str], real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    dumps = find_dumps(real_kg.settings.build_dir)
    assert {d.name for d in dumps} == {
        "kzgraph.nq.gz",
        "kzgraph.trig.gz",
        "kzgraph.jsonld.gz",
        "kzgraph.ttl.gz",
    }
    command = [*jena, "riotcmd.riot", "--validate", "--count"]
    jsonld = [d for d in dumps if d.media_type == "application/ld+json"]
    others = [d for d in dumps if d not in jsonld]
    counts: dict[str, int] = {}
    for syntax, group in (([], others), (["--syntax=jsonld10"], jsonld)):  # two JVMs, not four
        result = _run([*command, *syntax, *(str(d.path) for d in group)])
        report = result.stdout + result.stderr
        assert not re.search(r"\b(WARN|ERROR)\b", report), f"riot on {group}:\n{report[-3000:]}"
        for file, number in re.findall(r"(\S+) : (?:Triples|Quads) = ([\d,]+)", report):
            counts[file.rsplit("/", 1)[-1]] = int(number.replace(",", ""))
    for dump in dumps:
        fmt = ox.RdfFormat.from_media_type(dump.media_type)
        assert fmt is not None
        local = set(ox.parse(gzip.decompress(dump.path.read_bytes()), format=fmt))
        assert counts.get(dump.name) == len(local), f"riot's count of {dump.name}: {counts}"
