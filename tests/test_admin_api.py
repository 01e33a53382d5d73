"""POST /admin/reports against a real ``kzgraph serve`` on 127.0.0.1: disabled without a token,
401 without the right one, 422 naming each problem with nothing changed, and a new report that
the running server answers queries over, without dropping a query already running."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kzgraph.pipeline.stages import BuildResult

from .server import running_server
from .workspace import FOLLOWUP, FOLLOWUP_TEXT, Workspace, make_workspace

TOKEN = "correct horse battery staple"
SAM = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { GRAPH <https://w3id.org/kzgraph/graph/report/mini-followup> {
  <https://w3id.org/kzgraph/id/person/sam-sample> rdfs:label "Sam Sample"@en } }"""
# several seconds on the mini graph
SLOW = """SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f .
  FILTER(MD5(CONCAT(STR(?c), STR(?f))) != "") }"""


def _files(report: Path = FOLLOWUP, source: Path | None = FOLLOWUP_TEXT) -> dict[str, object]:
    files: dict[str, object] = {"annotation": (report.name, report.read_bytes())}
    if source is not None:
        files["source"] = (source.name, source.read_bytes())
    return files


def _ask(url: str, query: str) -> bool:
    response = httpx.post(f"{url}/sparql", data={"query": query}, timeout=60)
    assert response.status_code == 200, response.text
    answer: bool = response.json()["boolean"]
    return answer


def _found_by_search(url: str, words: str) -> bool:
    response = httpx.get(f"{url}/search", params={"q": words}, timeout=60)
    assert response.status_code == 200, response.text
    return "person/sam-sample" in response.text


@pytest.fixture(scope="module")
def admin(
    mini_build: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Workspace]]:
    ws = make_workspace(mini_build, tmp_path_factory.mktemp("admin"))
    with running_server(
        ws.build, data_dir=ws.data, admin_token=TOKEN, query_timeout=60, workers=2
    ) as url:
        yield url, ws


def test_without_a_token_setting_the_admin_api_is_disabled(
    mini_build: BuildResult, tmp_path: Path
) -> None:
    ws = make_workspace(mini_build, tmp_path)
    before = ws.snapshot()
    with running_server(ws.build, data_dir=ws.data) as url:
        for headers in ({}, {"Authorization": "Bearer anything"}):
            response = httpx.post(f"{url}/admin/reports", files=_files(), headers=headers)
            assert response.status_code == 403
            assert "KZGRAPH_ADMIN_TOKEN" in response.json()["error"]
        update = httpx.post(f"{url}/sparql", data={"update": "CLEAR ALL"})
        assert update.status_code == 403
    assert ws.snapshot() == before


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Basic " + TOKEN, TOKEN, "Bearer " + TOKEN + "x"]
)
def test_a_missing_or_wrong_token_is_401(admin: tuple[str, Workspace], header: str | None) -> None:
    url, ws = admin
    headers = {"Authorization": header} if header is not None else {}
    response = httpx.post(f"{url}/admin/reports", files=_files(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in response.json()["error"]
    assert not (ws.data / "reports" / "mini-followup.yaml").exists()


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_405_allowing_post(admin: tuple[str, Workspace], method: str) -> None:
    url, _ = admin
    response = httpx.request(method, f"{url}/admin/reports")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "POST" in response.json()["error"]


def _post(url: str, files: dict[str, object], **params: str) -> httpx.Response:
    return httpx.post(
        f"{url}/admin/reports",
        files=files,
        params=params,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=300,
    )


def test_a_bad_report_is_a_422_with_its_problems_and_changes_nothing(
    admin: tuple[str, Workspace], tmp_path: Path
) -> None:
    url, ws = admin
    before = ws.snapshot()
    bad = tmp_path / FOLLOWUP.name
    bad.write_text(
        FOLLOWUP.read_text().replace("victims: [person/sam-sample]", "victims: [person/nobody]")
    )
    response = _post(url, _files(bad))
    assert response.status_code == 422
    body = response.json()
    assert "nothing changed" in body["error"]
    (problem,) = body["problems"]
    assert problem["file"] == "mini-followup.yaml"
    assert problem["entry"] == "acts[0] (sam-sample-detention-2031)"
    assert problem["field"] == "victims"
    assert problem["message"] == "unknown reference 'person/nobody'"
    assert problem["text"].startswith("mini-followup.yaml:")

    wrong_quote = tmp_path / "quote" / FOLLOWUP.name
    wrong_quote.parent.mkdir()
    wrong_quote.write_text(FOLLOWUP.read_text().replace("detained by police", "arrested by police"))
    response = _post(url, _files(wrong_quote))
    assert response.status_code == 422
    assert "the source has" in response.json()["problems"][0]["message"]

    not_utf8 = tmp_path / "bytes" / FOLLOWUP.name
    not_utf8.parent.mkdir()
    not_utf8.write_bytes(b"report:\n  id: \xff\n")
    response = _post(url, _files(not_utf8, None))
    assert response.status_code == 422
    assert "not UTF-8" in response.json()["problems"][0]["message"]

    missing = _post(url, {"source": ("x.txt", b"text")})
    assert missing.status_code == 400 and "annotation" in missing.json()["error"]
    assert ws.snapshot() == before
    assert not _ask(url, SAM)


def test_a_good_report_is_queryable_at_once_without_dropping_running_queries(
    admin: tuple[str, Workspace],
) -> None:
    url, ws = admin
    dry = _post(url, _files(), dry_run="true")
    assert dry.status_code == 200 and dry.json()["dry_run"] and not dry.json()["committed"]
    assert not _ask(url, SAM)
    etag = httpx.get(f"{url}/sparql", params={"query": SAM}).headers["ETag"]
    assert not _found_by_search(url, "Sam Sample")  # and the search index is built, without him

    # slow queries one after another, so that one is running whenever the store is swapped
    slow: list[tuple[float, float, httpx.Response]] = []
    stop = threading.Event()

    def run_slow() -> None:
        while not stop.is_set():
            started = time.monotonic()
            answer = httpx.post(f"{url}/sparql", data={"query": SLOW}, timeout=120)
            slow.append((started, time.monotonic(), answer))

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)
    response = _post(url, _files())
    swapped = time.monotonic()
    stop.set()
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["committed"] and not body["replaced"]
    assert body["counts"]["Person"] == 1 and body["counts"]["Act"] == 1
    assert "https://w3id.org/kzgraph/graph/report/mini-followup" in body["graphs"]
    assert _ask(url, SAM)  # the running server answers over the new data
    assert _found_by_search(url, "Sam Sample")
    assert httpx.get(f"{url}/sparql", params={"query": SAM}).headers["ETag"] != etag
    health = httpx.get(f"{url}/health").json()
    assert "https://w3id.org/kzgraph/graph/report/mini-followup" in health["graphs"]
    landed = ws.data / "reports" / "mini-followup.yaml"
    assert landed.read_bytes() == FOLLOWUP.read_bytes()
    thread.join(timeout=120)
    assert all(answer.status_code == 200 for _, _, answer in slow), [a.text for _, _, a in slow]
    # the loop had a query running when the ingest answered (so across the swap, just before)
    assert any(start < swapped < end for start, end, _ in slow), [(s, e) for s, e, _ in slow]

    again = _post(url, _files())
    assert again.status_code == 200 and again.json()["unchanged"]
    assert not again.json()["committed"]
