"""One headless Chromium for the page tests: Debian's chromium and chromedriver driven by selenium
(scripts/system-deps.sh installs them; nothing is downloaded)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and driver, (
        "install Debian's chromium and chromium-driver (scripts/system-deps.sh)"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    profile = tempfile.mkdtemp(prefix="kzgraph-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # the console and the network, for requested_urls and console_errors
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(browser: webdriver.Chrome, css: str, seconds: float = 30) -> WebElement:
    """The first element matching ``css``, once the page has it."""
    return WebDriverWait(browser, seconds).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
LOCAL_SCHEMES = ("data", "blob", "about", "chrome", "chrome-extension", "devtools")


def _log(browser: webdriver.Chrome, kind: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = browser.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def requested_urls(browser: webdriver.Chrome) -> list[str]:
    """Every URL the page asked the network for since the last call (Chrome's performance log:
    ``Network.requestWillBeSent``); a request the page's policy blocked is never sent."""
    urls = []
    for entry in _log(browser, "performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def outside_requests(browser: webdriver.Chrome) -> list[str]:
    """The requests since the last call that went anywhere but 127.0.0.1."""
    return [
        url
        for url in requested_urls(browser)
        if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"
    ]


def console_errors(browser: webdriver.Chrome) -> list[str]:
    """The console's errors since the last call (policy violations and failed loads included)."""
    return [e["message"] for e in _log(browser, "browser") if e["level"] == "SEVERE"]


def screenshot(browser: webdriver.Chrome, name: str) -> Path:
    """The page as a person would see it, saved as build/screenshots/<name>.png (``name`` may
    name a folder: one per test module)."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(path))
    return path
