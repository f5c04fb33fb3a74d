"""A small client for Marionette, Firefox's built-in remote protocol, to drive Debian's
firefox-esr with the extension installed.

Why Marionette: Playwright drives only its own patched Firefox builds, and WebDriver BiDi
refuses to open moz-extension:// pages. Marionette installs the unpacked extension
(`Addon:Install`, temporary) and, with `-remote-allow-system-access`, can open an extension
page in a tab from the browser's own (chrome) context; scripts then run in that page with the
extension's `browser.*` APIs, like the Chromium tests run theirs in the service worker.

Protocol: each message is `<length>:<JSON>`; a command is [0, id, name, params] and its answer
[1, id, error, result].
"""

from __future__ import annotations

import itertools
import json
import socket
import time


class MarionetteError(RuntimeError):
    pass


class Marionette:
    def __init__(self, port: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self._stream = self._sock.makefile("rb")
        self._ids = itertools.count(1)
        self._read()  # the greeting: {"applicationType": "gecko", "marionetteProtocol": 3}

    def _read(self):
        size = b""
        while (char := self._stream.read(1)) != b":":
            if not char:
                raise MarionetteError("Firefox closed the connection")
            size += char
        return json.loads(self._stream.read(int(size)))

    def command(self, name: str, **params):
        message_id = next(self._ids)
        body = json.dumps([0, message_id, name, params]).encode()
        self._sock.sendall(str(len(body)).encode() + b":" + body)
        while True:
            _, answer_id, error, result = self._read()
            if answer_id == message_id:
                break
        if error:
            raise MarionetteError(f"{name}: {error.get('error')}: {error.get('message')}")
        return result.get("value") if isinstance(result, dict) and set(result) == {"value"} else result

    def close(self) -> None:
        self._sock.close()

    # -- pages ----------------------------------------------------------------------------

    def run(self, script: str, *args):
        """`script` as the body of a function of `arguments`, in the current tab."""
        return self.command("WebDriver:ExecuteScript", script=script, args=list(args))

    def call(self, function: str, arg=None):
        """Calls the JS function source `function` with `arg` in the current tab and waits for
        its (possibly promised) result, the way Playwright's evaluate does."""
        script = ("const [arg, done] = arguments;"
                  f"Promise.resolve().then(() => ({function})(arg))"
                  ".then(value => done({value}), error => done({error: String(error)}));")
        answer = self.command("WebDriver:ExecuteAsyncScript", script=script, args=[arg])
        if "error" in answer:
            raise MarionetteError(answer["error"])
        return answer.get("value")

    def open_tab(self, url: str) -> str:
        """Opens `url` in a new tab from the browser's own context (which may open
        moz-extension:// pages), switches to it and returns its window handle."""
        before = set(self.command("WebDriver:GetWindowHandles"))
        self.command("Marionette:SetContext", value="chrome")
        try:
            self.run("""const window = Services.wm.getMostRecentWindow("navigator:browser");
                        const principal = Services.scriptSecurityManager.getSystemPrincipal();
                        window.gBrowser.selectedTab = window.gBrowser.addTab(arguments[0],
                            {triggeringPrincipal: principal});""", url)
        finally:
            self.command("Marionette:SetContext", value="content")
        for _ in range(100):
            new = set(self.command("WebDriver:GetWindowHandles")) - before
            if new:
                handle = new.pop()
                self.command("WebDriver:SwitchToWindow", handle=handle)
                return handle
            time.sleep(0.1)
        raise MarionetteError(f"no tab opened for {url}")

    def new_tab(self, url: str) -> str:
        """Opens a web page in a new tab (a normal navigation) and returns the tab's handle."""
        handle = self.command("WebDriver:NewWindow", type="tab")["handle"]
        self.command("WebDriver:SwitchToWindow", handle=handle)
        self.command("WebDriver:Navigate", url=url)
        return handle

    def switch_to(self, handle: str, focus: bool = True) -> None:
        """Makes `handle` the tab commands go to; `focus=False` leaves the selected tab (and an
        open toolbar popup, which closes when the selected tab changes) as it is."""
        self.command("WebDriver:SwitchToWindow", handle=handle, focus=focus)

    def click(self, selector: str) -> None:
        """A real click (WebDriver's element click: scrolled into view, hit-tested)."""
        element = self.command("WebDriver:FindElement", using="css selector", value=selector)
        self.command("WebDriver:ElementClick", id=next(iter(element.values())))

    def wait_for(self, script: str, *args, timeout: float = 30):
        """Polls `script` (a function body) in the current tab until it returns a truthy value."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.run(script, *args)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for: {script.strip()[:200]} (last: {value!r})")
