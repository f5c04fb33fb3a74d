"""Fixtures for driving the browser extension in Debian's Chromium against the real label server.

Everything runs on loopback:
  * `pages`       — a small HTTP server with the test pages (the seed article, a reputable article
                    from ../shared/data/pages/aeb, a page that is not an article);
  * `label_server` — `reliability serve` in a subprocess, with a temporary SQLite database and the
                    test-only switch that lets its fetcher reach loopback pages;
  * `api_proxy`   — a counting reverse proxy in front of it: the extension talks to the proxy, so a
                    test can assert which requests the extension made (or that it made none);
  * `browser`     — one Chromium for the session with the unpacked extension loaded, external host
                    names unresolvable (nothing leaves the machine), and its service worker.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "extension"
SHARED = Path(os.environ.get("RELIABILITY_SHARED", REPO.parent / "shared"))
ARTIFACTS = Path(os.environ.get("RELIABILITY_ARTIFACTS", REPO / "artifacts"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

SEED_PAGE = SHARED / "fixtures" / "seed-article.html"
# polygraph.info fact check: named sources and links throughout; the analyser rates it reliable.
REPUTABLE_PAGE = SHARED / "data" / "pages" / "aeb" / "html" / (
    "1ee91d1fce65e09be8b8d2d29eab771546d98ca2ba5c862941e660e9fec12432.html.gz"
)
NOT_AN_ARTICLE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Contact us - Example Town Library</title></head>
<body><header><nav><a href="/">Home</a> <a href="/events">Events</a> <a href="/catalogue">Catalogue</a></nav></header>
<main><h1>Contact us</h1>
<ul><li>Phone: 555-0100</li><li>Email: desk@library.example</li><li>Address: 1 Main Street</li></ul>
<form><label>Your message <textarea name="m"></textarea></label><button type="button">Send</button></form>
<h2>Opening hours</h2><table><tr><td>Mon-Fri</td><td>9-18</td></tr><tr><td>Sat</td><td>10-14</td></tr></table>
</main><footer>Example Town Library</footer></body></html>"""

# Quotes that are hard to find: split across elements, repeated, typographic, inside a table.
TRICKY_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Tricky quotes</title>
<style>article { width: 600px; font: 16px/1.5 serif; } mark { padding: 10px; font-size: 40px; }</style></head>
<body><article>
<h1>Council\u2019s \u201cbold\u201d plan</h1>
<p id="split">Officials said the <em>plan</em> was <a href="#x">approved</a>
      on Monday, according to people familiar with it.</p>
<p>Sources say the budget will grow. The mayor disagreed.</p>
<p>Later, sources say the budget will grow. Nobody knows why.</p>
<table><tr><td>Cost</td><td>Many experts warn it could double.</td></tr></table>
<button id="counter" type="button">clicked 0</button>
</article>
<script>
  // A page script holding on to its own nodes: highlighting must not break it.
  const button = document.getElementById("counter");
  let clicks = 0;
  button.addEventListener("click", () => { clicks += 1; button.textContent = "clicked " + clicks; });
</script>
</body></html>""".encode()

QUIET_SECONDS = 2.5  # long enough for the extension's 0.4 s debounce and a request to go out

# Toolbar badge per level, as lib/badge-style.js defines it: (text, RGBA colour).
BADGES = {
    "reliable": ("OK", [21, 128, 61, 255]),
    "mixed": ("MIX", [180, 83, 9, 255]),
    "unreliable": ("LOW", [185, 28, 28, 255]),
    "unrated": ("\u2013", [107, 114, 128, 255]),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_in_thread(handler_class, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, 0), handler_class)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class RequestLog:
    """Requests seen by a test server, as (method, path, query dict); thread-safe."""

    entries: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, target: str) -> None:
        parts = urlsplit(target)
        with self.lock:
            self.entries.append((method, parts.path, parse_qs(parts.query)))

    def snapshot(self) -> list:
        with self.lock:
            return list(self.entries)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


# ---------------------------------------------------------------- test pages


# Also loopback, but outside the extension's host_permissions: only activeTab (a toolbar click)
# lets it into a page there.
UNLISTED_HOST = "127.0.0.2"


def scripted_page(html: str) -> bytes:
    """The page as a script-built site serves it: an empty shell that writes the article in the
    browser. A server's fetch finds no article in it; the reader's tab shows the whole page."""
    head, _, rest = html.partition("<body")
    body = rest.partition(">")[2].rpartition("</body>")[0]
    return (f"{head}<body><div id=\"app\"></div><script>document.getElementById(\"app\").innerHTML = "
            f"{json.dumps(body)};</script></body></html>").encode()


@dataclass
class Pages:
    base: str  # http://127.0.0.1:PORT
    port: int
    log: RequestLog
    unlisted_port: int  # the same pages on UNLISTED_HOST

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.unlisted_port if host == UNLISTED_HOST else self.port}{path}"


@pytest.fixture(scope="session")
def pages() -> Pages:
    for required in (SEED_PAGE, REPUTABLE_PAGE):
        if not required.exists():
            pytest.fail(f"test page missing: {required} (set RELIABILITY_SHARED to the shared folder)")
    content = {
        "/seed-article.html": SEED_PAGE.read_bytes(),
        "/scripted-article.html": scripted_page(SEED_PAGE.read_text(encoding="utf-8")),
        "/reputable-article.html": gzip.decompress(REPUTABLE_PAGE.read_bytes()),
        "/contact.html": NOT_AN_ARTICLE,
        "/tricky.html": TRICKY_PAGE,
    }
    log = RequestLog()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            log.add("GET", self.path)
            path = urlsplit(self.path).path
            # Like many news sites: the reader's browser gets the page, a server's fetch a 403.
            if path.startswith("/refuses-bots/") and "Bot" in (self.headers.get("User-Agent") or ""):
                self.send_error(403)
                return
            body = content.get(path.removeprefix("/refuses-bots"))
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep pytest output quiet
            pass

    server = serve_in_thread(Handler)
    unlisted = serve_in_thread(Handler, UNLISTED_HOST)
    port = server.server_address[1]
    yield Pages(base=f"http://127.0.0.1:{port}", port=port, log=log, unlisted_port=unlisted.server_address[1])
    server.shutdown()
    unlisted.shutdown()


# ---------------------------------------------------------------- the label server


@dataclass
class LabelServer:
    base: str
    database: Path | None  # the SQLite file, None for an external server


@pytest.fixture(scope="session")
def label_server(tmp_path_factory) -> LabelServer:
    """`reliability serve` on a free loopback port with a fresh SQLite database.

    EXTENSION_TEST_SERVER=http://host:port uses an already running server instead (no database
    checks then).
    """
    external = os.environ.get("EXTENSION_TEST_SERVER")
    if external:
        yield LabelServer(base=external.rstrip("/"), database=None)
        return
    workdir = tmp_path_factory.mktemp("label-server")
    database = workdir / "labels.sqlite"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "RELIABILITY_FETCH_ALLOW_LOOPBACK": "1",
        "PYTHONUNBUFFERED": "1",
    }
    executable = shutil.which("reliability") or str(Path(sys.executable).with_name("reliability"))
    log_path = workdir / "server.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [executable, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            pytest.fail(f"`reliability serve` exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.terminate()
            pytest.fail(f"`reliability serve` did not answer /healthz within 90 s:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.3)
    yield LabelServer(base=base, database=database)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@dataclass
class ApiProxy:
    base: str
    log: RequestLog
    bodies: list = field(default_factory=list)  # (path, JSON body) of every POST
    # seconds every POST waits before it is forwarded: lets a test see what the extension shows
    # while an answer is on its way, however fast the server is
    post_delay: list = field(default_factory=lambda: [0.0])

    def api_requests(self) -> list:
        return [entry for entry in self.log.snapshot() if entry[1].startswith("/api/")]

    def posted(self, path: str) -> list:
        return [body for posted_path, body in list(self.bodies) if posted_path == path]

    def clear(self) -> None:
        self.log.clear()
        self.bodies.clear()
        self.post_delay[0] = 0.0

    def delay_posts(self, seconds: float) -> None:
        self.post_delay[0] = seconds


@pytest.fixture(scope="session")
def api_proxy(label_server) -> ApiProxy:
    """Forwards every request to the label server and records it."""
    upstream = urlsplit(label_server.base)
    log = RequestLog()
    bodies: list = []
    post_delay = [0.0]
    hop_by_hop = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self):
            log.add(self.command, self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if self.command == "POST":
                try:
                    bodies.append((urlsplit(self.path).path, json.loads(body or b"null")))
                except ValueError:
                    bodies.append((urlsplit(self.path).path, None))
                time.sleep(post_delay[0])
            headers = {k: v for k, v in self.headers.items() if k.lower() not in hop_by_hop and k.lower() != "host"}
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in hop_by_hop and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = forward  # noqa: N815

        def log_message(self, *args):
            pass

    server = serve_in_thread(Proxy)
    yield ApiProxy(base=f"http://127.0.0.1:{server.server_address[1]}", log=log, bodies=bodies,
                   post_delay=post_delay)
    server.shutdown()


# ---------------------------------------------------------------- the browser


class ExtensionDriver:
    """What the tests do through the extension's own APIs, in either browser (Firefox answers
    to `chrome.*` too). `evaluate(function_source, arg)` runs in an extension context."""

    def evaluate(self, function: str, arg=None):
        raise NotImplementedError

    def settings(self, **settings) -> None:
        """Replaces the extension's stored settings, as the options page would."""
        self.evaluate("s => chrome.storage.sync.set({settings: s})", settings)

    def reset(self) -> None:
        """Forgets cached answers and per-tab state (not settings)."""
        self.evaluate("() => chrome.storage.session.clear()")

    def tab_id(self, url: str) -> int:
        for _ in range(50):
            found = self.evaluate(
                "u => chrome.tabs.query({}).then(tabs => (tabs.find(t => t.url === u) || {}).id ?? null)", url
            )
            if found is not None:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no tab shows {url}")

    def badge(self, tab_id: int) -> tuple[str, list]:
        return tuple(self.evaluate(
            """id => Promise.all([chrome.action.getBadgeText({tabId: id}),
                                  chrome.action.getBadgeBackgroundColor({tabId: id})])""",
            tab_id,
        ))

    def popup_call(self, function: str, arg=None):
        """`function(popupWindow, arg)` in the open toolbar popup, or None while there is none."""
        raise NotImplementedError

    def in_toolbar_popup(self, function: str, arg=None, timeout: float = 20):
        """Runs `function(popupWindow, arg)` in the open toolbar popup once it is there (and
        again until it returns something truthy); returns that result."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.popup_call(function, arg)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"toolbar popup: timed out waiting for {function[:120]} (last: {value!r})")

    def highlight_from_toolbar_popup(self, toggle: bool = False) -> str:
        """Ticks "Show in page" in the open toolbar popup (with `toggle`, off first: the state is
        per tab) and returns the summary once it says what was highlighted."""
        if toggle:
            self.in_toolbar_popup("""p => {
                const box = p.document.querySelector('#show-in-page');
                if (box.checked) box.click();
                return true;
            }""")
        self.in_toolbar_popup("p => (p.document.querySelector('#show-in-page').click(), true)")
        return self.in_toolbar_popup(
            "p => /highlighted/.test(p.document.querySelector('#highlight-summary').textContent) && "
            "p.document.querySelector('#highlight-summary').textContent")

    def wait_for_badge(self, tab_id: int, text: str, timeout: float = 60) -> tuple[str, list]:
        deadline = time.monotonic() + timeout
        seen = None
        while time.monotonic() < deadline:
            seen = self.badge(tab_id)
            if seen[0] == text:
                return seen
            time.sleep(0.2)
        raise AssertionError(f"toolbar badge of tab {tab_id}: expected {text!r}, last seen {seen!r}")


class PopupTarget:
    """The toolbar popup as a DevTools target. Playwright does not list it among the context's
    pages, so commands go through the browser's own Target domain (one session, not flattened)."""

    def __init__(self, cdp, target_id: str):
        self.cdp, self.replies, self.next_id = cdp, {}, 0
        cdp.on("Target.receivedMessageFromTarget", self._received)
        self.session = cdp.send("Target.attachToTarget", {"targetId": target_id, "flatten": False})["sessionId"]

    def _received(self, event) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message

    def evaluate(self, expression: str, timeout: float = 10):
        self.next_id += 1
        ask = {"id": self.next_id, "method": "Runtime.evaluate",
               "params": {"expression": expression, "returnByValue": True, "awaitPromise": True}}
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": self.session, "message": json.dumps(ask)})
        deadline = time.monotonic() + timeout
        while self.next_id not in self.replies:
            if time.monotonic() > deadline:
                raise AssertionError(f"toolbar popup: no answer to {expression[:120]}")
            self.cdp.send("Runtime.evaluate", {"expression": "0"})  # lets Playwright deliver events
            time.sleep(0.05)
        reply = self.replies.pop(self.next_id)
        if "error" in reply or "exceptionDetails" in reply.get("result", {}):
            raise AssertionError(f"toolbar popup: {reply}")
        return reply["result"]["result"].get("value")


@dataclass
class Browser(ExtensionDriver):
    context: object
    worker: object  # the extension's service worker (playwright Worker)
    extension_id: str
    popup: PopupTarget | None = None

    def evaluate(self, function: str, arg=None):
        return self.worker.evaluate(function, arg)

    def click_toolbar_button(self, page) -> None:
        """Runs the extension's toolbar action on `page`'s tab, as the reader's click does: the
        DevTools command Extensions.triggerAction opens the popup anchored to the toolbar and, like
        a click, grants activeTab for that tab (chrome.action.openPopup() would grant nothing)."""
        page.bring_to_front()
        session = self.context.browser.new_browser_cdp_session()
        tabs = [t for t in session.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
                if t["url"] == page.url]
        assert len(tabs) == 1, f"one tab target should show {page.url}: {tabs}"
        session.send("Extensions.triggerAction", {"id": self.extension_id, "targetId": tabs[0]["targetId"]})
        session.detach()
        cdp = self.context.new_cdp_session(page)
        popup_url = self.extension_url("popup/popup.html")
        for _ in range(100):
            targets = cdp.send("Target.getTargets")["targetInfos"]
            found = next((t for t in targets if t["url"] == popup_url), None)
            if found:
                self.popup = PopupTarget(cdp, found["targetId"])
                return
            time.sleep(0.1)
        raise AssertionError("the toolbar popup did not open")

    def popup_call(self, function: str, arg=None):
        if self.popup is None:
            return None
        return self.popup.evaluate(f"""(() => {{
            return document.readyState === "complete" ? ({function})(window, {json.dumps(arg)}) : null;
        }})()""")

    def extension_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def open_popup(self, tab_id: int):
        """popup.html?tabId=N in a tab: the same popup as the toolbar's, for tab N.

        Playwright cannot click the browser's toolbar, and a popup needs an anchor to open, so
        the tests open the popup page itself; popup.js takes the tab from ?tabId.
        """
        page = self.context.new_page()
        page.set_viewport_size({"width": 420, "height": 900})
        page.goto(self.extension_url(f"popup/popup.html?tabId={tab_id}"))
        return page


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        message = f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a broken setup, not a reason to skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            headless=True,
            executable_path=CHROMIUM,
            args=[
                "--headless=new",
                "--no-sandbox",  # tests run as root in CI containers
                f"--disable-extensions-except={EXTENSION}",
                f"--load-extension={EXTENSION}",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                # Pages reference ad and font hosts: fail them at once, nothing leaves the machine.
                f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE {UNLISTED_HOST}, EXCLUDE localhost",
            ],
        )
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event(
            "serviceworker", timeout=15_000
        )
        extension_id = worker.url.split("/")[2]
        yield Browser(context=context, worker=worker, extension_id=extension_id)
        context.close()


@pytest.fixture()
def extension(browser, api_proxy) -> Browser:
    """The browser with default settings pointed at the proxy, no cached answers, no extra tabs."""
    for page in browser.context.pages[1:]:
        page.close()
    browser.popup = None
    browser.settings(serverUrl=api_proxy.base, checkMode="automatic", excludedSites=[], sendPageContent=False)
    browser.reset()
    api_proxy.clear()
    time.sleep(0.2)  # let storage.onChanged reach the service worker before the test navigates
    return browser


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# ---------------------------------------------------------------- Firefox

FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
GECKO_ID = "reliability-labels@reliability-labels.invalid"  # manifest.json browser_specific_settings
EXTENSION_UUID = "5a1e1b2c-0000-4000-8000-00000000f1f0"  # pinned by pref, so pages have known URLs
TOOLBAR_WIDGET = "reliability-labels_reliability-labels_invalid-browser-action"  # Firefox's id for the button


@dataclass
class Firefox(ExtensionDriver):
    """Firefox with the packaged extension. Extension calls run in its options page, kept open
    in a tab of its own (`console`)."""

    client: object  # marionette.Marionette
    console: str  # window handle of the extension page
    home: str  # the first tab, never closed

    def evaluate(self, function: str, arg=None):
        current = self.client.command("WebDriver:GetWindowHandle")
        self.client.switch_to(self.console, focus=False)
        try:
            return self.client.call(function, arg)
        finally:
            self.client.switch_to(current, focus=False)

    def extension_url(self, path: str) -> str:
        return f"moz-extension://{EXTENSION_UUID}/{path}"

    def open_page(self, url: str) -> tuple[str, int]:
        handle = self.client.new_tab(url)
        return handle, self.tab_id(url)

    def open_popup(self, tab_id: int) -> str:
        """popup.html?tabId=N in a tab, as in the Chromium tests."""
        return self.client.open_tab(self.extension_url(f"popup/popup.html?tabId={tab_id}"))

    def click_toolbar_button(self) -> None:
        """Clicks the extension's toolbar button, as a reader does: Firefox opens the popup in its
        panel, for the active tab. The button is pinned to the toolbar first (new extensions start
        in the extensions menu)."""
        self.client.command("Marionette:SetContext", value="chrome")
        try:
            self.client.run("""const window = Services.wm.getMostRecentWindow("navigator:browser");
                const ui = window.CustomizableUI;
                ui.addWidgetToArea(arguments[0], ui.AREA_NAVBAR);
                ui.getWidget(arguments[0]).forWindow(window).node.querySelector("toolbarbutton").click();""",
                            TOOLBAR_WIDGET)
        finally:
            self.client.command("Marionette:SetContext", value="content")

    def popup_call(self, function: str, arg=None):
        # the popup is reached from the extension page through extension.getViews
        return self.evaluate(f"""arg => {{
            const [popup] = chrome.extension.getViews({{type: "popup"}});
            return popup && popup.document.readyState === "complete" ? ({function})(popup, arg) : null;
        }}""", arg)


def firefox_prefs(marionette_port: int, dead_port: int) -> str:
    prefs = {
        "marionette.port": marionette_port,
        "extensions.webextensions.uuids": json.dumps({GECKO_ID: EXTENSION_UUID}),
        # Pages reference ad and font hosts: send everything but loopback to a closed port, so
        # nothing leaves the machine and nothing waits on DNS.
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": dead_port,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": dead_port,
        "network.proxy.allow_hijacking_localhost": False,
        "network.proxy.no_proxies_on": UNLISTED_HOST,
        "browser.shell.checkDefaultBrowser": False,
        "browser.startup.homepage_override.mstone": "ignore",
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "app.update.disabledForTesting": True,
        "app.normandy.enabled": False,
        "browser.safebrowsing.update.enabled": False,
        # permissions.request grants without its prompt (which a test cannot answer), so the
        # options page's requests and give-backs can be tested; nothing else asks.
        "extensions.webextOptionalPermissionPrompts": False,
    }
    return "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())


@pytest.fixture(scope="session")
def firefox(tmp_path_factory):
    """Debian's firefox-esr, headless, with the Firefox package (`npm run build:firefox`)
    installed as a temporary add-on through Marionette."""
    if not Path(FIREFOX).exists():
        message = f"Firefox not installed at {FIREFOX} (apt-get install firefox-esr)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from .marionette import Marionette

    workdir = tmp_path_factory.mktemp("firefox")
    subprocess.run(["node", "tools/build.mjs", "firefox"], cwd=EXTENSION, check=True, capture_output=True)
    package = workdir / "package"  # a copy: the lint test rebuilds dist/ while this runs
    shutil.copytree(EXTENSION / "dist" / "firefox", package)
    profile = workdir / "profile"
    profile.mkdir()
    port = free_port()
    (profile / "user.js").write_text(firefox_prefs(port, free_port()))
    log_path = workdir / "firefox.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(profile), "--marionette",
             "-remote-allow-system-access", "about:blank"],
            stdout=log_file, stderr=subprocess.STDOUT, env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"},
        )
    try:
        client = Marionette(port, timeout=60)
        client.command("WebDriver:NewSession", capabilities={})
        client.command("Addon:Install", path=str(package), temporary=True)
        home = client.command("WebDriver:GetWindowHandle")
        console = client.open_tab(f"moz-extension://{EXTENSION_UUID}/options/options.html")
        client.switch_to(home)
    except Exception:
        process.kill()
        pytest.fail(f"Firefox did not start with the extension:\n{log_path.read_text(errors='replace')[-4000:]}")
    yield Firefox(client=client, console=console, home=home)
    try:
        client.command("WebDriver:DeleteSession")
        client.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture()
def firefox_extension(firefox, api_proxy) -> Firefox:
    """Firefox with default settings pointed at the proxy, no cached answers, no extra tabs."""
    for handle in firefox.client.command("WebDriver:GetWindowHandles"):
        if handle not in (firefox.home, firefox.console):
            firefox.client.switch_to(handle)
            firefox.client.command("WebDriver:CloseWindow")
    firefox.client.switch_to(firefox.home)
    firefox.settings(serverUrl=api_proxy.base, checkMode="automatic", excludedSites=[], sendPageContent=False)
    firefox.reset()
    api_proxy.clear()
    time.sleep(0.2)  # let storage.onChanged reach the background page before the test navigates
    return firefox
