"""Fixtures shared by every module; the helpers behind them are in support.py.

Each expensive build is made once per test run (session scope) and shared:
the mini fixture built plainly (``mini_site``), both editions of the mini
fixture as ``make site`` builds them (``editions``), both editions of this
repository's archive (``real_editions``), and one headless Chromium. The
checkers are fixtures too: ask for one before the build it checks, so that a missing checker
is reported before any time is spent building.
Session builds are read-only: a test that changes an archive uses ``archive``.
"""

from __future__ import annotations

import shutil

import pytest
from support import (  # noqa: F401 - the two hooks make every skip a failure under CI=true
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    LINKINATOR,
    VNU,
    Build,
    build_editions,
    build_real_editions,
    make_archive,
    need,
    pytest_make_collect_report,
    pytest_runtest_makereport,
    run_mkdocs,
    sync_playwright,
)


@pytest.fixture
def archive(tmp_path):
    """A fresh, editable copy of the mini fixture archive."""
    return make_archive(tmp_path / "archive")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Build:
    """The mini fixture archive, built once per test session. Do not modify it."""
    root = make_archive(tmp_path_factory.mktemp("mini") / "archive")
    build = run_mkdocs(root)
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def editions(tmp_path_factory):
    """Both editions of the mini fixture and the offline zip, built once per test session. Do not modify."""
    return build_editions(tmp_path_factory.mktemp("editions") / "archive")


@pytest.fixture(scope="session")
def real_editions(tmp_path_factory):
    """Both editions of this repository's archive, built --strict once per test session. Do not modify."""
    return build_real_editions(tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run (a test opens its own context or page)."""
    start = sync_playwright()
    with start() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page; the test fails if a script on it throws."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


@pytest.fixture(scope="session")
def vnu():
    need(VNU.is_file(), "npm vnu-jar")
    need(bool(shutil.which("java")), "java (Debian's default-jre-headless)")
    return VNU


@pytest.fixture(scope="session")
def axe():
    need(AXE.is_file(), "npm axe-core")
    return AXE


@pytest.fixture(scope="session")
def linkinator():
    need(LINKINATOR.is_file() and bool(shutil.which("node")), "npm linkinator and node")
    return LINKINATOR
