"""Limits of a download: a total deadline, a size cap, and corrupt npz files.

Every server is a ThreadingHTTPServer on 127.0.0.1 (the ``serve`` fixture).
"""

from __future__ import annotations

import http.server
import time
from pathlib import Path

import pytest

from smotekit.datasets import DatasetError, _download, fetch_datasets
from smotekit.datasets._catalog import BENCHMARK_DATASETS
from smotekit.datasets._fetcher import max_download_bytes

ECOLI = BENCHMARK_DATASETS[0]


def cache_files(cache: Path) -> list[str]:
    if not cache.exists():
        return []
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*"))


class _Trickling(http.server.BaseHTTPRequestHandler):
    """Announces a megabyte, then sends a byte every 20 ms (for at most 30 s)."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(10**6))
        self.end_headers()
        stop = time.monotonic() + 30
        try:
            while time.monotonic() < stop:
                self.wfile.write(b"P")
                self.wfile.flush()
                time.sleep(0.02)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


class _Endless(http.server.BaseHTTPRequestHandler):
    """A body without Content-Length that never ends (stops after 64 MiB)."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        chunk = b"PK\x03\x04" + b"\x00" * (64 * 1024 - 4)
        try:
            for _ in range(1024):
                self.wfile.write(chunk)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


class _Huge(http.server.BaseHTTPRequestHandler):
    """Announces a terabyte."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(10**12))
        self.end_headers()
        try:
            self.wfile.write(b"PK\x03\x04")
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


def test_trickling_download_hits_the_total_deadline(serve, tmp_path, monkeypatch):
    monkeypatch.setattr(_download, "DEADLINE_FACTOR", 5)  # 5 x 0.2 s: a one-second deadline
    server = serve(handler=_Trickling)
    cache = tmp_path / "cache"
    with pytest.raises(DatasetError, match=r"'ecoli' from \S+ took longer than 1 s") as error:
        fetch_datasets(["ecoli"], data_home=cache, mirror=server.url, timeout=0.2)
    assert "timeout=" in str(error.value)
    assert cache_files(cache) == []


def test_endless_download_is_capped(serve, tmp_path):
    server = serve(handler=_Endless)
    cache = tmp_path / "cache"
    limit = max_download_bytes("npz", ECOLI)
    with pytest.raises(DatasetError, match=rf"more than the {limit} bytes") as error:
        fetch_datasets(["ecoli"], data_home=cache, mirror=server.url, timeout=5)
    assert "x1data.npz" in str(error.value)
    assert cache_files(cache) == []


def test_announced_oversize_download_is_refused_at_once(serve, tmp_path):
    server = serve(handler=_Huge)
    cache = tmp_path / "cache"
    with pytest.raises(DatasetError, match=r"announces 1000000000000 bytes, more than the"):
        fetch_datasets(["ecoli"], data_home=cache, mirror=server.url, timeout=5)
    assert cache_files(cache) == []


def test_size_caps_follow_the_catalogue():
    assert max_download_bytes("npz", ECOLI) >= ECOLI.n_samples * (ECOLI.n_features + 1) * 8
    assert max_download_bytes("csv", ECOLI) > max_download_bytes("npz", ECOLI)
    largest = max(max_download_bytes("npz", info) for info in BENCHMARK_DATASETS)
    assert largest < max_download_bytes("archive") < _download.DEFAULT_MAX_BYTES
    with pytest.raises(ValueError, match="needs the dataset"):
        max_download_bytes("npz")


@pytest.mark.parametrize(
    "payload", [b"this is not a zip file at all\n" * 20, b"\x93NUMPY\x01\x00v\x00{'descr'"]
)
def test_corrupt_npz_never_suggests_unpickling(payload, serve, tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / ECOLI.filename).write_bytes(payload)
    server = serve(folder)
    cache = tmp_path / "cache"
    with pytest.raises(DatasetError, match="not an npz archive") as error:
        fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    message = str(error.value).lower()
    assert "pickle" not in message and "unsafe" not in message
    assert cache_files(cache) == []
