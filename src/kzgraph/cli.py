"""The ``kzgraph`` command: a thin front door over :class:`kzgraph.core.KnowledgeGraph`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kzgraph.annotations import AnnotationError
from kzgraph.settings import Settings


def _fail(exc: Exception) -> None:
    click.echo(str(exc), err=True)
    sys.exit(1)


@click.group()
@click.version_option(package_name="kzgraph")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of annotation files (default: ./data, or KZGRAPH_DATA_DIR).")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """Build, check and serve the kzgraph knowledge graph."""
    overrides = {"data_dir": data_dir} if data_dir else {}
    ctx.obj = Settings(**overrides)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path), required=True)
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="Folder holding the source report texts.")
@click.pass_obj
def locate(settings: Settings, files: tuple[Path, ...], sources: Path) -> None:
    """Fill in the offsets of evidence phrases in annotation FILES."""
    from kzgraph.annotations.locate import Sources, locate_file

    index = Sources.for_data(settings.data_dir, sources)
    failed = False
    for path in files:
        try:
            n = locate_file(path, index)
            click.echo(f"{path}: {n} phrase(s) located")
        except AnnotationError as exc:
            click.echo(str(exc), err=True)
            failed = True
    if failed:
        sys.exit(1)
