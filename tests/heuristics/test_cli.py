import json

from click.testing import CliRunner

from heuristics.cli import cli


def test_analyze_json_seed(shared_dir):
    result = CliRunner().invoke(cli, ["analyze", str(shared_dir / "fixtures" / "seed-article.html"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["badge"]["level"] == "unreliable"


def test_analyze_human_readable_text_file(shared_dir):
    result = CliRunner().invoke(cli, ["analyze", str(shared_dir / "seed" / "seed-article.txt")])
    assert result.exit_code == 0, result.output
    assert "Badge: UNRELIABLE (RED)" in result.output
    assert "YOU MAY ALSO LIKE" in result.output


def test_analyze_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "nope.html")])
    assert result.exit_code != 0
    assert "no such file" in result.output


def test_bench_reports_both_medians_and_ratio(tmp_path, seed_html):
    for i in range(2):
        (tmp_path / f"p{i}.html").write_text(seed_html, encoding="utf-8")
    result = CliRunner().invoke(cli, ["bench", "--pages", str(tmp_path), "--repeat", "1"])
    assert result.exit_code == 0, result.output
    assert "extraction alone: median" in result.output
    assert "ratio full/extraction:" in result.output


def test_eval_unknown_data_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "pages", "--data", str(tmp_path / "missing")])
    assert result.exit_code != 0
    assert "data folder not found" in result.output
