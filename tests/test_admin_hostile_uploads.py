"""Hostile report files sent to ``POST /admin/reports`` of a real server, as the reliability audit
sent them (../shared/audits/reliability-2026-12.md, section 4): YAML alias bombs, deep nesting and
the upload name ``..`` are a quick 422 naming the file and line, never a 500, never a memory spike,
and the ingest lock is free again at once."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from bench.abuse import rss_mib

from kzgraph.pipeline.stages import BuildResult

from .server import running_server, server_pid
from .workspace import FOLLOWUP, FOLLOWUP_TEXT, Workspace, make_workspace

TOKEN = "hostile uploads token"
HEAD = FOLLOWUP.read_text(encoding="utf-8")


def bomb_lines(levels: int = 9, width: int = 9) -> str:
    """A billion-laughs document: ``levels`` anchors, each a list of ``width`` aliases."""
    lines = [f"  a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels + 1):
        lines.append(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


# 9 levels of 9 aliases under report: (what killed the audited server) and as a value used once
BOMB_IN_REPORT = HEAD.replace("report:\n", "report:\n" + bomb_lines(), 1)
BOMB_AS_MENTIONS = HEAD.replace(
    "\nmentions:\n", "\nbomb:\n" + bomb_lines() + "mentions: *a9\nold_mentions:\n"
)
DEEP_LIST = HEAD + "extra: " + "[" * 10_000 + "\n"
DEEP_MAP = (
    HEAD + "extra:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 1001)) + "  " * 1001 + "v\n"
)


def line_with(document: str, text: str) -> int:
    return next(i for i, line in enumerate(document.splitlines(), 1) if text in line)


@pytest.fixture(scope="module")
def admin(
    mini_build: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Workspace]]:
    ws = make_workspace(mini_build, tmp_path_factory.mktemp("hostile"))
    with running_server(ws.build, data_dir=ws.data, admin_token=TOKEN, workers=1) as url:
        yield url, ws


def _post(url: str, name: str, content: bytes, **params: str) -> httpx.Response:
    return httpx.post(
        f"{url}/admin/reports",
        files={
            "annotation": (name, content),
            "source": (FOLLOWUP_TEXT.name, FOLLOWUP_TEXT.read_bytes()),
        },
        params=params,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )


@pytest.mark.parametrize(
    ("document", "line", "message"),
    [
        # a5 is the first anchor over the limit: 9**6 values
        (
            BOMB_IN_REPORT,
            line_with(BOMB_IN_REPORT, "&a5"),
            "more than 100,000 values, counting each alias",
        ),
        (
            BOMB_AS_MENTIONS,
            line_with(BOMB_AS_MENTIONS, "&a5"),
            "more than 100,000 values, counting each alias",
        ),
        (DEEP_LIST, HEAD.count("\n") + 1, "nested more than 64 levels deep"),
        (DEEP_MAP, HEAD.count("\n") + 64, "nested more than 64 levels deep"),
    ],
    ids=["alias-bomb-in-report", "alias-bomb-as-mentions", "10000-brackets", "1000-level-map"],
)
def test_yaml_bombs_are_a_quick_422_naming_file_and_line(
    admin: tuple[str, Workspace], document: str, line: int, message: str
) -> None:
    url, ws = admin
    before = ws.snapshot()
    pid = server_pid(url)
    rss = rss_mib(pid)
    for dry_run in ("true", "false"):
        started = time.monotonic()
        response = _post(url, FOLLOWUP.name, document.encode(), dry_run=dry_run)
        took = time.monotonic() - started
        assert response.status_code == 422, response.text
        (problem,) = response.json()["problems"]
        assert problem["file"] == FOLLOWUP.name
        assert message in problem["message"]
        assert problem["line"] == line
        assert took < 5, f"{took:.1f} s"
    assert rss_mib(pid) - rss < 50, (rss, rss_mib(pid))
    # the ingest lock is free again: a good report is checked right after
    good = _post(url, FOLLOWUP.name, FOLLOWUP.read_bytes(), dry_run="true")
    assert good.status_code == 200, good.text
    assert ws.snapshot() == before


@pytest.mark.parametrize("name", ["..", "."])
def test_an_upload_named_dot_dot_is_a_422(admin: tuple[str, Workspace], name: str) -> None:
    url, ws = admin
    before = ws.snapshot()
    response = _post(url, name, FOLLOWUP.read_bytes())
    assert response.status_code == 422, response.text
    (problem,) = response.json()["problems"]
    assert "<report-id>.yaml" in problem["message"]
    assert ws.snapshot() == before


def test_wrong_offsets_without_a_source_are_refused(admin: tuple[str, Workspace]) -> None:
    """The audit's finding 7: no source part and no KZGRAPH_SOURCES_DIR used to commit a report
    whose offsets nobody checked."""
    url, ws = admin
    before = ws.snapshot()
    wrong = FOLLOWUP.read_bytes().replace(b"start: 138, end: 181}", b"start: 139, end: 182}")
    for dry_run in ("true", "false"):
        response = httpx.post(
            f"{url}/admin/reports",
            files={"annotation": (FOLLOWUP.name, wrong)},
            params={"dry_run": dry_run},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=120,
        )
        assert response.status_code == 422, response.text
        (problem,) = response.json()["problems"]
        assert problem["field"] == "source"
        assert "cannot be checked without the source text" in problem["message"]
        assert "multipart field 'source'" in problem["message"]
    assert ws.snapshot() == before


def test_the_token_is_checked_before_the_parameters(admin: tuple[str, Workspace]) -> None:
    url, _ = admin
    for params in ({"dry_run": "null"}, {"dry_run": "maybe"}):
        response = httpx.post(f"{url}/admin/reports", params=params, files={"x": ("x", b"")})
        assert response.status_code == 401, response.text
        assert "Bearer" in response.json()["error"]
    response = httpx.post(
        f"{url}/admin/reports",
        params={"dry_run": "maybe"},
        files={"annotation": (FOLLOWUP.name, FOLLOWUP.read_bytes())},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 422
    assert "dry_run must be true or false" in response.json()["error"]
