"""A headless Chromium driven over the DevTools protocol (a local websocket), for report tests.

Loads a page at a given viewport (phone sizes emulated as mobile: headless Chromium's windows are
never narrower than 500 px), collects console errors and uncaught exceptions, evaluates
JavaScript and takes screenshots. Only Debian's ``chromium`` and ``websocket-client`` are
needed: no browser download.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

from coopterra.report import CHROMIUM_FLAGS, chromium, stop_session

FLAGS = [*CHROMIUM_FLAGS, "--remote-debugging-port=0", "--remote-allow-origins=*"]


class Browser:
    """``with Browser() as b: b.load(url, 390, 844, mobile=True)``."""

    def __init__(self, timeout: float = 30) -> None:
        self.timeout = timeout
        executable = chromium()  # installed by ./dev setup (DEBIAN_PACKAGES)
        self._profile = tempfile.TemporaryDirectory(prefix="coopterra-chromium-")
        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its helper processes too are stopped on exit
        )
        port = self._port()
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read())
        page = next(t for t in targets if t["type"] == "page")
        self._ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout)
        self._id = 0
        self.errors: list[str] = []
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def _port(self) -> int:
        assert self._process.stderr is not None
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            line = self._process.stderr.readline()
            found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if found:
                return int(found.group(1))
        raise TimeoutError("chromium did not open its DevTools port")

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append(str(details.get("exception", {}).get("description", details)))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value", a)) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(params["entry"]["text"])

    def call(self, method: str, wait_for: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command, return its result (after the event ``wait_for``, if given)."""
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        result: dict[str, Any] | None = None
        seen = wait_for is None
        while result is None or not seen:
            message = json.loads(self._ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result = message["result"]
            else:
                self._event(message)
                seen = seen or message.get("method") == wait_for
        return result

    def load(self, url: str, width: int, height: int, mobile: bool = False) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.call("Page.navigate", wait_for="Page.loadEventFired", url=url)
        self.evaluate("new Promise(r => setTimeout(r, 300))")  # let the charts lay out

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._ws.close()
        finally:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            stop_session(self._process.pid)
            assert self._process.stderr is not None
            self._process.stderr.close()
            self._profile.cleanup()
