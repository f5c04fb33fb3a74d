"""`reliability analyze | eval | bench`: the analysis core's command line (no Flask here).

The `reliability` console script is server.cli:main, which adds the service's commands
(serve, apikey, moderator) to this group.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import click

from .analyze import ANALYZER_VERSION
from .eval import EVALUATIONS, LabelledSetError, default_data_dir, extra_kind, missing_data_files


@click.group()
# the package and the analyzer are versioned apart; reports and the cache go by the analyzer's
@click.version_option(package_name="reliability-labels",
                      message=f"%(prog)s %(version)s (analyzer {ANALYZER_VERSION})")
def cli() -> None:
    """Article reliability labels with evidence."""


@cli.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print Report.to_dict() as JSON.")
@click.option("--title", help="With a plain-text file: the headline (else its first line).")
def analyze(source: str, as_json: bool, title: str | None) -> None:
    """Analyse SOURCE: an HTML file (.html, .html.gz), a plain-text file, or an http(s) URL."""
    from . import analyze_html, analyze_text
    from .textio import read_source

    try:
        kind, content, url = read_source(source)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if kind == "html":
        report = analyze_html(content, url=url)
    else:
        lines = content.splitlines()
        headline = title if title is not None else (lines[0] if lines else "")
        body = content if title is not None else "\n".join(lines[1:])
        report = analyze_text(headline, body, url=url)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from .render import render_text
        click.echo(render_text(report))


@cli.command("eval")
@click.argument("what", type=click.Choice([*EVALUATIONS, "all"]))
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The shared data folder (default: $RELIABILITY_DATA or ../shared/data).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the figures as JSON to this file.")
@click.option("--extra", "extra_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Another hand-labelled CSV to report on, in news-pairs-dev's format (clickbait), "
                   "sentences-dev's (claims), promos-dev's (promotions) or an article set's "
                   "(articles: id, label, flaws, headline, body); repeatable. "
                   "E.g. eval-data/clickbait-blind-1.csv.")
@click.option("--held-out", "held_out_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Like --extra, but a held-out set: its figures only, never its misclassified rows "
                   "(so they cannot be tuned on). E.g. eval-data/clickbait-blind-3.csv.")
def eval_command(what: str, data_dir: Path | None, json_out: Path | None, extra_files: tuple[Path, ...],
                 held_out_files: tuple[Path, ...]) -> None:
    """Measure the signals on the labelled data sets (respecting their test splits)."""
    data_dir = data_dir or default_data_dir()
    if not data_dir.is_dir():
        raise click.ClickException(f"data folder not found: {data_dir} (use --data)")
    names = EVALUATIONS if what == "all" else (what,)
    sets: dict[str, dict[str, list[Path]]] = {}  # evaluation -> {"extra"|"held_out": [paths]}
    for option, paths in (("extra", extra_files), ("held_out", held_out_files)):
        for path in paths:
            kind = extra_kind(path)
            if kind is None:
                raise click.ClickException(f"{path}: not a labelled set this command knows (a CSV with a "
                                           f"`label` column and a `body`, `headline`, `sentence` or `text` "
                                           f"column)")
            if kind not in names:
                raise click.ClickException(f"{path} is a {kind} set: run `reliability eval {kind}` or `all`")
            sets.setdefault(kind, {}).setdefault(option, []).append(path)
    missing = missing_data_files(data_dir, names)
    if missing:
        raise click.ClickException(f"eval {what}: the data folder {data_dir} lacks {', '.join(missing)} "
                                   f"(use --data or $RELIABILITY_DATA)")
    if json_out:
        check_writable_file(json_out, "--json")
    results = {}
    for name in names:
        click.echo(f"== eval {name} ==")
        module = importlib.import_module(f"heuristics.eval.{name}")
        try:
            results[name] = module.run(data_dir, echo=click.echo, **sets.get(name, {}))
        except LabelledSetError as exc:
            raise click.ClickException(str(exc)) from exc
    if json_out:
        try:
            json_out.write_text(json.dumps(results, indent=2, default=str))
        except OSError as exc:  # e.g. the folder went away during the run: keep the on-screen figures
            raise click.ClickException(f"--json {json_out}: could not write the figures "
                                       f"({exc.strerror or exc}); they are printed above") from exc
        click.echo(f"figures written to {json_out}")


def check_writable_file(path: Path, option: str) -> None:
    """Fail before a long run, not after it, when `path` cannot be written: an existing file,
    or the folder a new one would go in."""
    folder = path.parent
    if not folder.is_dir():
        raise click.ClickException(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise click.ClickException(f"{option} {path}: not writable")


@cli.command()
@click.option("--pages", "pages_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of .html or .html.gz pages.")
@click.option("--repeat", default=3, show_default=True, help="Timed runs per page (median kept).")
def bench(pages_dir: Path, repeat: int) -> None:
    """Time extraction alone and the full analysis over a folder of pages, in the same run."""
    from .bench import run_bench

    run_bench(pages_dir, repeat=repeat, echo=click.echo)


def main() -> None:  # `python -m heuristics`
    cli(prog_name="reliability")


if __name__ == "__main__":
    sys.exit(main())
