import gzip
import json
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from heuristics.analyze import ANALYZER_VERSION
from heuristics.cli import cli
from heuristics.eval import EVALUATIONS, extra_kind, missing_data_files
from heuristics.eval.claims import eval_sentences
from heuristics.eval.clickbait import eval_pairs


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


PAGE = b"<html><body><h1>Council approves budget</h1><p>The council met on Monday.</p></body></html>"
A_DIRECTORY = object()  # make a folder of this name


def _cut_gzip() -> bytes:
    return gzip.compress(PAGE, mtime=0)[:40]


def _gzip_with_bad_crc() -> bytes:
    data = bytearray(gzip.compress(PAGE, mtime=0))
    data[-8] ^= 0xFF  # the CRC-32 in the trailer
    return bytes(data)


# (file name, or a system path as it is; its content; what the one-line error says)
UNREADABLE = [
    ("nope.html", None, "no such file"),
    ("cut.html.gz", _cut_gzip(), "not a readable gzip file"),
    ("bad-crc.html.gz", _gzip_with_bad_crc(), "not a readable gzip file (CRC check failed)"),
    ("plain.html.gz", PAGE, "not a readable gzip file"),
    ("ls", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "binary data, not an HTML or text file"),
    ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary data"),
    ("controls.txt", b"A headline\n" + b"\x01\x02\x03 words " * 50, "binary data"),  # no NUL
    ("folder", A_DIRECTORY, "is a directory"),
    ("/dev/null", None, "is not a regular file"),
]


@pytest.mark.parametrize("name, content, message", UNREADABLE, ids=[row[0] for row in UNREADABLE])
def test_analyze_refuses_what_is_not_a_readable_page_in_one_line(tmp_path, name, content, message):
    source = name if name.startswith("/") else str(tmp_path / name)
    if content is A_DIRECTORY:
        Path(source).mkdir()
    elif content is not None:
        Path(source).write_bytes(content)
    result = CliRunner().invoke(cli, ["analyze", source])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {source}: ")
    assert message in lines[0]


@pytest.mark.parametrize("name, content", [
    ("saved-page.html", gzip.compress(PAGE)),  # gzipped but not named so: told by its magic bytes
    ("note.txt", "Café headline\nA café opened on the square.\n".encode("latin-1")),  # not UTF-8, still text
])
def test_analyze_reads_text_that_only_looks_unusual(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["analyze", str(path)])
    assert result.exit_code == 0, result.output
    assert "Badge:" in result.output


def test_version_names_the_package_and_the_analyzer():
    result = CliRunner().invoke(cli, ["--version"], prog_name="reliability")
    assert result.exit_code == 0
    assert result.output == f"reliability {version('reliability-labels')} (analyzer {ANALYZER_VERSION})\n"


def test_analyze_url_without_a_reader_asks_for_a_saved_page(monkeypatch):
    """The core never fetches: without the service's reader a URL is a clear error, no socket."""
    import socket

    from heuristics import textio

    monkeypatch.setattr(textio, "_url_reader", None)
    monkeypatch.setattr(socket, "socket", lambda *a, **k: pytest.fail("the core opened a socket"))
    result = CliRunner().invoke(cli, ["analyze", "https://news.example/story"])
    assert result.exit_code != 0
    assert "does not fetch pages" in result.output and "curl -L" in result.output


def test_analyze_url_uses_the_installed_reader(monkeypatch, seed_html):
    from heuristics import textio

    asked = []
    monkeypatch.setattr(textio, "_url_reader", lambda url: (asked.append(url) or seed_html,
                                                             "https://news.example/final"))
    result = CliRunner().invoke(cli, ["analyze", "https://news.example/story", "--json"])
    assert result.exit_code == 0, result.output
    assert asked == ["https://news.example/story"]
    assert json.loads(result.output)["badge"]["level"] == "unreliable"


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


@pytest.mark.parametrize("what, expected", [
    ("clickbait", "clickbait/webis17-test-subset.csv"),
    ("claims", "claims/sentences-dev.csv"),
    ("promotions", "promotions/promos-dev.csv"),
    ("pages", "pages/aeb/ground-truth.json"),
    ("articles", "../fixtures/seed-article.html"),  # the seed article lives next to the data folder
    ("all", "pages/aeb/html/"),
])
def test_eval_names_the_file_missing_from_the_data_folder_in_one_line(tmp_path, what, expected):
    data = tmp_path / "data"
    data.mkdir()
    result = CliRunner().invoke(cli, ["eval", what, "--data", str(data)])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    assert len(result.output.splitlines()) == 1
    assert f"the data folder {data} lacks" in result.output and expected in result.output


def test_the_shared_data_folder_has_every_file_the_evals_read(data_dir):
    assert missing_data_files(data_dir, EVALUATIONS) == []


@pytest.fixture
def quick_pages_eval(tmp_path, monkeypatch):
    """A data folder `eval pages` accepts, and its run replaced by one that echoes a figure at
    once; `then` (set by the test) runs at its end."""
    data = tmp_path / "data"
    (data / "pages" / "aeb" / "html").mkdir(parents=True)
    (data / "pages" / "aeb" / "ground-truth.json").write_text("{}", encoding="utf-8")
    calls = {"then": lambda: None, "runs": 0}

    def run(data_dir, echo):
        calls["runs"] += 1
        echo("unreliable rate 0.017")
        calls["then"]()
        return {"unreliable_rate": 0.017}

    monkeypatch.setattr("heuristics.eval.pages.run", run)
    return data, calls


def test_eval_json_into_a_missing_folder_fails_before_the_run(tmp_path, quick_pages_eval):
    data, calls = quick_pages_eval
    out = tmp_path / "nonexistent" / "out.json"
    result = CliRunner().invoke(cli, ["eval", "pages", "--data", str(data), "--json", str(out)])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    assert calls["runs"] == 0
    assert result.output.splitlines() == [f"Error: --json {out}: the folder {out.parent} does not exist"]


def test_eval_json_that_cannot_be_written_keeps_the_figures_on_screen(tmp_path, quick_pages_eval):
    data, calls = quick_pages_eval
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    calls["then"] = out_dir.rmdir  # the folder goes away during the run
    result = CliRunner().invoke(cli, ["eval", "pages", "--data", str(data), "--json", str(out_dir / "f.json")])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    assert "unreliable rate 0.017" in result.output
    assert result.output.splitlines()[-1].startswith(f"Error: --json {out_dir / 'f.json'}: could not write")
    assert "Traceback" not in result.output


def test_eval_json_writes_the_figures(tmp_path, quick_pages_eval):
    data, _ = quick_pages_eval
    out = tmp_path / "figures.json"
    result = CliRunner().invoke(cli, ["eval", "pages", "--data", str(data), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == {"pages": {"unreliable_rate": 0.017}}


PAIRS = ("pair_id,headline,label,style\n"
         "1,Council approves budget for new bridge,0,sober\n"
         "1,You won't believe what the council just did with your money!!!,1,teaser\n"
         "2,Will the ECB cut rates in June?,0,hard_negative\n")
SENTENCES = ("id,sentence,label,note\n"
             "x1,\"Six people were killed, the regional governor said on Telegram.\",attributed,named\n"
             "x2,Experts warn the dam could fail.,vague,experts\n")


@pytest.mark.parametrize("content, kind", [(PAIRS, "clickbait"), (SENTENCES, "claims"),
                                           ("id,text,label,note\nq1,Win a free phone!,promo_unrelated,x\n", "promotions"),
                                           ("id,text\n1,hello\n", None)])
def test_extra_set_format_is_told_by_its_header(tmp_path, content, kind):
    path = tmp_path / "set.csv"
    path.write_text(content, encoding="utf-8")
    assert extra_kind(path) == kind


def test_eval_pairs_reports_accuracy_per_style_and_hard_negatives(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text(PAIRS, encoding="utf-8")
    lines = []
    m = eval_pairs(path, lines.append, "extra set")
    assert m["n"] == 3 and m["accuracy"] == 1.0
    assert set(m["per_style"]) == {"sober", "teaser", "hard_negative"}
    assert m["hard_negative_fp_rate"] == 0.0
    assert lines[0] == "pairs.csv (extra set): 3 headlines"


def test_eval_sentences_reports_an_extra_set_under_its_own_name(tmp_path):
    path = tmp_path / "sentences.csv"
    path.write_text(SENTENCES, encoding="utf-8")
    lines = []
    out = eval_sentences(path, lines.append, "extra set")
    assert out["multiclass"]["n"] == 2
    assert lines[0].startswith("sentences.csv (extra set, four labels)")


# a sober headline labelled clickbait and a vague sentence labelled attributed: both misclassified
WRONG_PAIR = "pair_id,headline,label,style\n1,Council approves budget for new bridge,1,subtle\n"
WRONG_SENTENCE = "id,sentence,label,note\nx2,Experts warn the dam could fail.,attributed,wrong\n"


@pytest.mark.parametrize("show_errors", [True, False])
def test_a_held_out_set_reports_figures_but_never_its_errors(tmp_path, show_errors):
    pairs, sentences = tmp_path / "pairs.csv", tmp_path / "sentences.csv"
    pairs.write_text(WRONG_PAIR, encoding="utf-8")
    sentences.write_text(WRONG_SENTENCE, encoding="utf-8")
    lines = []
    m = eval_pairs(pairs, lines.append, "set", show_errors=show_errors)
    out = eval_sentences(sentences, lines.append, "set", show_errors=show_errors)
    assert m["accuracy"] == 0.0 and out["errors"] == 1
    printed = "\n".join(lines)
    assert ("Council approves" in printed) is show_errors
    assert ("Experts warn" in printed) is show_errors
    assert (m["errors"] == 1) is not show_errors  # a held-out set returns a count, not the rows

    from heuristics.eval.promotions import report_inserted

    inserted = {"promo_unrelated": {"n": 3, "flagged": 1, "rate": 1 / 3,
                                    "misses": ["q1: Win a phone now [score 0.2]", "q1: Win a phone now [score 0.3]"]}}
    lines.clear()
    report_inserted(inserted, show_errors, lines.append)
    assert ("Win a phone" in "\n".join(lines)) is show_errors
    assert (inserted["promo_unrelated"]["misses"] == 2) is not show_errors


@pytest.mark.parametrize("option", ["--extra", "--held-out"])
@pytest.mark.parametrize("what, content, message", [
    ("clickbait", "id,text\n1,hello\n", "not a labelled set"),
    ("clickbait", SENTENCES, "is a claims set: run `reliability eval claims`"),
])
def test_eval_extra_of_the_wrong_kind_is_a_clear_error(tmp_path, shared_dir, option, what, content, message):
    path = tmp_path / "set.csv"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", what, "--data", str(shared_dir / "data"), option, str(path)])
    assert result.exit_code != 0
    assert message in result.output


def test_summary_table_names_held_out_sets_as_such():
    from heuristics.eval.clickbait import _labelled_set_rows

    m = {"accuracy": 0.9, "hard_negative_fp_rate": 0.0}
    rows = _labelled_set_rows({"webis17_test": {}, "extra:a.csv": m, "held_out:b.csv": m})
    assert [r[0] for r in rows] == ["a accuracy", "a hard-neg FP", "b (held out) accuracy", "b (held out) hard-neg FP"]
