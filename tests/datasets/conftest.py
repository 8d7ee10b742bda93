"""Fixtures for the dataset tests: the shared data copies, an isolated environment, and a
loopback HTTP server so that the real download code runs without network access.

Only fixtures live here (test modules never import this file), so the tests work under any
pytest import mode."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smotekit.datasets import BUNDLED_DATASETS, load_dataset

# The folder ``shared/data`` beside the repository (tests/datasets/ -> repo root -> ..).
SHARED_DATA = (Path(__file__).resolve().parents[2] / "../shared/data").resolve()


@functools.cache
def _read_shared(name: str) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(SHARED_DATA / name / f"{name}.csv.gz")
    X = frame.drop(columns="target").to_numpy(np.float64)
    y = frame["target"].to_numpy(np.int64)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared copies of the benchmark datasets; skips the test when they are absent."""
    if not (SHARED_DATA / "ecoli" / "ecoli.csv.gz").is_file():
        pytest.skip(f"the shared benchmark data are not available at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def shared_arrays(shared_data: Path) -> Callable[[str], tuple[np.ndarray, np.ndarray]]:
    """``shared_arrays(name) -> (X, y)`` read from the shared copy (read-only, memoised)."""
    return _read_shared


@pytest.fixture(scope="session")
def dataset_arrays() -> Callable[[str], tuple[np.ndarray, np.ndarray]]:
    """``dataset_arrays(name) -> (X, y)``: the shared copy, else the bundled copy, else skip.

    Lets the fetcher tests that only need ecoli, thyroid_sick or arrhythmia run without
    ``../shared/data``.
    """

    def read(name: str) -> tuple[np.ndarray, np.ndarray]:
        if (SHARED_DATA / name / f"{name}.csv.gz").is_file():
            return _read_shared(name)
        if name in BUNDLED_DATASETS:
            return load_dataset(name)
        pytest.skip(f"dataset {name!r} needs the shared data, not available at {SHARED_DATA}")

    return read


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Never touch the user's cache or mirror, and never go through a proxy.
    monkeypatch.setenv("SMOTEKIT_DATA", str(tmp_path / "default-cache"))
    monkeypatch.delenv("SMOTEKIT_MIRROR", raising=False)
    for variable in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
        monkeypatch.delenv(variable.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "*")


# --------------------------------------------------------------------------- HTTP


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class Served:
    """A ThreadingHTTPServer on 127.0.0.1 serving one folder, in a background thread."""

    def __init__(self, handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    """``serve(folder)`` or ``serve(handler=cls)`` starts a loopback server, shut down after."""
    servers: list[Served] = []

    def start(
        folder: Path | None = None,
        *,
        handler: Callable[..., http.server.BaseHTTPRequestHandler] | None = None,
    ) -> Served:
        if handler is None:
            handler = functools.partial(_QuietHandler, directory=str(folder))
        served = Served(handler)
        servers.append(served)
        return served

    yield start
    for served in servers:
        served.close()
