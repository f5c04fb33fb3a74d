"""The analyzer never opens a socket, not even textstat's first-use nltk download.

Runs in a fresh interpreter (so nothing is imported or cached yet) with every socket entry
point replaced by one that fails the run, and with NLTK_DATA pointed at an empty folder so a
dictionary that happens to be installed on this machine cannot hide a download attempt.
"""

import subprocess
import sys
import textwrap


def test_analysis_opens_no_socket(tmp_path, shared_dir):
    script = textwrap.dedent(f"""
        import socket, sys

        def refuse(*args, **kwargs):
            sys.stderr.write("NETWORK ATTEMPT: %r\\n" % (args,))
            raise SystemExit(97)

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from heuristics import analyze_html, analyze_text
        html = open({str(shared_dir / "fixtures" / "seed-article.html")!r}, encoding="utf-8").read()
        report = analyze_html(html, url="https://worldtrenddaily.example/a")
        assert report.article["readability"]["flesch_reading_ease"] is not None
        assert report.badge.level == "unreliable", report.badge
        analyze_text("Title", "A sentence about the weather in Paris today. " * 40)
        print("OK")
    """)
    env = {"PATH": "/usr/bin:/bin", "NLTK_DATA": str(tmp_path / "no-nltk-data"),
           "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "NETWORK ATTEMPT" not in result.stderr
    assert result.stdout.strip().endswith("OK")


def test_the_guard_itself_catches_a_download(tmp_path):
    """Proves the test above would fail: unpatched textstat really does try to download."""
    script = textwrap.dedent("""
        import socket, sys

        def refuse(*args, **kwargs):
            sys.stderr.write("NETWORK ATTEMPT\\n")
            raise SystemExit(97)

        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        import textstat
        textstat.flesch_reading_ease("The quick brown fox jumps over the lazy dog. " * 5)
    """)
    env = {"PATH": "/usr/bin:/bin", "NLTK_DATA": str(tmp_path / "no-nltk-data"), "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)
    assert "NETWORK ATTEMPT" in result.stderr


def test_analysis_keeps_heavy_libraries_out_of_the_worker(shared_dir):
    """nltk (and the scipy/scikit-learn it drags in) would add ~110 MB to every worker."""
    script = textwrap.dedent(f"""
        import sys
        from heuristics import analyze_html
        html = open({str(shared_dir / "fixtures" / "seed-article.html")!r}, encoding="utf-8").read()
        report = analyze_html(html)
        assert report.article["readability"]["flesch_reading_ease"] is not None
        heavy = sorted(m for m in ("nltk", "scipy", "sklearn", "torch") if m in sys.modules)
        print("HEAVY", heavy)
        import nltk  # the stand-in is gone: the real package still imports for anyone else
        print("NLTK", nltk.__name__, hasattr(nltk, "download"))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "HEAVY []" in result.stdout
    assert "NLTK nltk True" in result.stdout
