"""fetch_datasets against mirrors built from ../shared/data (or, for the three bundled
datasets, from the package), served over loopback HTTP.

No test uses the network: every download goes to a ThreadingHTTPServer on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import io
import socket
import sys
import tarfile
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.utils import Bunch

from smotekit.datasets import (
    ARCHIVE_NAME,
    BENCHMARK_DATASETS,
    BUNDLED_DATASETS,
    ZENODO_URL,
    DatasetError,
    _fetch,
    fetch_datasets,
    get_data_home,
)

INFO = {info.name: info for info in BENCHMARK_DATASETS}
AVAILABLE = [info.name for info in BENCHMARK_DATASETS if info.provenance != "missing"]
BUNDLED = ["ecoli", "thyroid_sick", "arrhythmia"]  # mirrors of these need no shared data
Reader = Callable[[str], tuple[np.ndarray, np.ndarray]]


# --------------------------------------------------------------------------- helpers


def write_npz(path: Path, X: np.ndarray, y: np.ndarray) -> Path:
    """Write ``(X, y)`` the way the Zenodo archive stores a dataset."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez(handle, data=X, label=y)
    return path


def npz_mirror(arrays: Reader, folder: Path, names: Iterable[str]) -> Path:
    """Layout (a): ``x{ID}data.npz`` files, built from the shared CSV copies."""
    for name in names:
        write_npz(folder / INFO[name].filename, *arrays(name))
    return folder


def csv_mirror(arrays: Reader, folder: Path, names: Iterable[str]) -> Path:
    """Layout (b): ``<name>/<name>.csv.gz``, the format of the shared folder."""
    for name in names:
        X, y = arrays(name)
        frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
        frame["target"] = y
        (folder / name).mkdir(parents=True, exist_ok=True)
        frame.to_csv(folder / name / f"{name}.csv.gz", index=False, compression="gzip")
    return folder


def add_bytes(tar: tarfile.TarFile, name: str, payload: bytes, **attributes: object) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(payload)
    for key, value in attributes.items():
        setattr(member, key, value)
    tar.addfile(member, io.BytesIO(payload))


def npz_bytes(X: np.ndarray, y: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, data=X, label=y)
    return buffer.getvalue()


def tar_mirror(
    arrays: Reader,
    folder: Path,
    names: Iterable[str],
    *,
    prefix: str = "",
    extra: Callable[[tarfile.TarFile], None] | None = None,
) -> Path:
    """Layout (c): the archive at the mirror's root; returns the archive's path."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / ARCHIVE_NAME
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        for name in names:
            add_bytes(tar, prefix + INFO[name].filename, npz_bytes(*arrays(name)))
        if extra is not None:
            extra(tar)
    return archive


def flip_bytes(path: Path, *, at: float = 0.5, count: int = 8) -> None:
    """Corrupt a file in place by inverting ``count`` bytes at a relative position."""
    payload = bytearray(path.read_bytes())
    start = int(len(payload) * at)
    for i in range(start, min(start + count, len(payload))):
        payload[i] ^= 0xFF
    path.write_bytes(bytes(payload))


def cache_files(cache: Path) -> list[str]:
    """Everything under the cache folder (names relative to it), hidden files included."""
    if not cache.exists():
        return []
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*"))


def assert_matches(result, arrays, names):
    assert list(result) == [info.name for info in BENCHMARK_DATASETS if info.name in names]
    for name, bunch in result.items():
        assert isinstance(bunch, Bunch) and bunch.DESCR == name
        assert bunch.data.dtype == np.float64 and bunch.target.dtype == np.int64
        X, y = arrays(name)
        np.testing.assert_array_equal(bunch.data, X)
        np.testing.assert_array_equal(bunch.target, y)


# --------------------------------------------------------------------------- the layouts


def test_csv_layout_over_http_all_available_datasets(serve, shared_data, shared_arrays, tmp_path):
    # The shared folder itself is a mirror in layout (b).
    server = serve(shared_data)
    cache = tmp_path / "cache"
    result = fetch_datasets(AVAILABLE, data_home=cache, mirror=server.url)
    assert_matches(result, shared_arrays, AVAILABLE)
    assert cache_files(cache) == sorted(f"{name}.npz" for name in AVAILABLE)


def test_npz_layout_over_http(serve, dataset_arrays, tmp_path):
    server = serve(npz_mirror(dataset_arrays, tmp_path / "mirror", BUNDLED))
    cache = tmp_path / "cache"
    # Names and ids mix; the result follows the catalogue order (ids 1, 14, 16).
    result = fetch_datasets(
        ["arrhythmia", 1, "thyroid_sick"], data_home=cache, mirror=server.url + "/"
    )
    assert_matches(result, dataset_arrays, BUNDLED)
    assert cache_files(cache) == sorted(f"{name}.npz" for name in BUNDLED)


def test_archive_layout_over_http_caches_every_member(serve, dataset_arrays, tmp_path):
    def extra(tar: tarfile.TarFile) -> None:
        dir_entry = tarfile.TarInfo("./docs")
        dir_entry.type = tarfile.DIRTYPE
        tar.addfile(dir_entry)
        add_bytes(tar, "./docs/README.txt", b"not a dataset")

    archive = tar_mirror(dataset_arrays, tmp_path / "mirror", BUNDLED, prefix="./", extra=extra)
    server = serve(archive.parent)
    cache = tmp_path / "cache"
    result = fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    assert_matches(result, dataset_arrays, ["ecoli"])
    # Every catalogue member of the archive was verified and cached.
    assert cache_files(cache) == sorted(f"{n}.npz" for n in BUNDLED)
    server.close()
    result = fetch_datasets(BUNDLED, data_home=cache, mirror=server.url)
    assert_matches(result, dataset_arrays, BUNDLED)


def test_mirror_may_name_the_archive_itself(serve, dataset_arrays, tmp_path):
    archive = tar_mirror(dataset_arrays, tmp_path / "mirror", ["ecoli"])
    server = serve(archive.parent)
    result = fetch_datasets(
        ["ecoli"], data_home=tmp_path / "c", mirror=f"{server.url}/{ARCHIVE_NAME}"
    )
    assert_matches(result, dataset_arrays, ["ecoli"])
    with pytest.raises(DatasetError, match=r"'oil' was not found in the archive http://127"):
        fetch_datasets(["oil"], data_home=tmp_path / "c", mirror=f"{server.url}/{ARCHIVE_NAME}")
    with pytest.raises(DatasetError, match="which does not exist"):
        fetch_datasets(["oil"], data_home=tmp_path / "c", mirror=f"{server.url}/other.tar.gz")


@pytest.mark.parametrize("layout", ["npz", "csv", "tar"])
@pytest.mark.parametrize("form", ["path", "file-url", "env"])
def test_local_mirrors(layout, form, dataset_arrays, tmp_path, monkeypatch):
    folder = tmp_path / "mirror"
    build = {"npz": npz_mirror, "csv": csv_mirror, "tar": tar_mirror}[layout]
    build(dataset_arrays, folder, ["ecoli", "thyroid_sick"])
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    mirror = folder.as_uri() if form == "file-url" else str(folder)
    if form == "env":
        monkeypatch.setenv("SMOTEKIT_MIRROR", mirror)
        mirror = None
    result = fetch_datasets(["thyroid_sick", "ecoli"], data_home=tmp_path / "cache", mirror=mirror)
    assert_matches(result, dataset_arrays, ["ecoli", "thyroid_sick"])
    assert cache_files(tmp_path / "cache") == ["ecoli.npz", "thyroid_sick.npz"]
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before  # read only


def test_default_source_is_the_zenodo_archive(serve, dataset_arrays, tmp_path, monkeypatch):
    assert _fetch._resolve_mirror(None).location == ZENODO_URL
    assert _fetch._resolve_mirror(None).is_archive
    archive = tar_mirror(dataset_arrays, tmp_path / "zenodo", ["ecoli", "oil"])
    server = serve(archive.parent)
    monkeypatch.setattr(_fetch, "ZENODO_URL", f"{server.url}/{ARCHIVE_NAME}")
    # ecoli ships with smotekit: served from its bundled copy, nothing downloaded or cached.
    assert_matches(fetch_datasets(["ecoli"]), dataset_arrays, ["ecoli"])
    assert cache_files(get_data_home()) == []
    result = fetch_datasets(["oil"])  # cache from SMOTEKIT_DATA, set by the fixture
    assert_matches(result, dataset_arrays, ["oil"])
    # the archive's other datasets are cached as they are read, ecoli among them
    assert cache_files(get_data_home()) == ["ecoli.npz", "oil.npz"]


def test_missing_dataset_in_a_mirror_names_what_was_tried(serve, dataset_arrays, tmp_path):
    server = serve(npz_mirror(dataset_arrays, tmp_path / "mirror", ["ecoli"]))
    cache = tmp_path / "cache"
    tried = r"\(tried x9data\.npz, isolet/isolet\.csv\.gz, benchmark-imbalanced-learn\.tar\.gz\)"
    with pytest.raises(
        DatasetError, match=rf"'isolet' was not found in the mirror http\S+ {tried}"
    ):
        fetch_datasets(["ecoli", "isolet"], data_home=cache, mirror=server.url)
    assert cache_files(cache) == ["ecoli.npz"]  # what was verified stays cached
    with pytest.raises(DatasetError, match="which is not a folder"):
        fetch_datasets(["oil"], data_home=cache, mirror=tmp_path / "no-such-folder")


# --------------------------------------------------------------------------- the cache


def test_second_call_is_served_from_the_cache(serve, dataset_arrays, tmp_path):
    server = serve(npz_mirror(dataset_arrays, tmp_path / "mirror", ["ecoli"]))
    cache = tmp_path / "cache"
    first = fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    server.close()
    second = fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    third = fetch_datasets(["ecoli"], data_home=cache, download_if_missing=False)
    for result in (second, third):
        np.testing.assert_array_equal(result["ecoli"].data, first["ecoli"].data)
        np.testing.assert_array_equal(result["ecoli"].target, first["ecoli"].target)


def test_not_cached_and_no_download(tmp_path):
    assert issubclass(DatasetError, OSError)  # documented: callers may catch OSError
    cache = tmp_path / "cache"
    # ecoli ships with smotekit, so only oil is missing.
    with pytest.raises(DatasetError, match=r"\(s\) oil not found in the cache .*download_if_miss"):
        fetch_datasets(["oil", "ecoli"], data_home=cache, download_if_missing=False)
    assert not cache.exists()


def test_corrupt_cache_entry_is_replaced(serve, dataset_arrays, tmp_path):
    server = serve(npz_mirror(dataset_arrays, tmp_path / "mirror", ["ecoli"]))
    cache = tmp_path / "cache"
    fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    X, y = dataset_arrays("ecoli")
    write_npz(cache / "ecoli.npz", X + 1.0, y)
    with pytest.warns(RuntimeWarning, match="ecoli.npz of dataset 'ecoli' is unusable"):
        result = fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    assert_matches(result, dataset_arrays, ["ecoli"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fetch_datasets(["ecoli"], data_home=cache, download_if_missing=False)


def test_data_home_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SMOTEKIT_DATA", str(tmp_path / "from-env"))
    assert get_data_home() == tmp_path / "from-env"
    assert get_data_home(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("SMOTEKIT_DATA")
    assert get_data_home() == get_data_home("~/.cache/smotekit")
    assert "~" not in str(get_data_home())


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("layout", ["npz", "csv", "tar"])
def test_corrupt_download_is_refused_and_nothing_is_cached(layout, serve, dataset_arrays, tmp_path):
    folder = tmp_path / "mirror"
    if layout == "npz":
        npz_mirror(dataset_arrays, folder, ["arrhythmia"])
        target = folder / "x16data.npz"
    elif layout == "csv":
        csv_mirror(dataset_arrays, folder, ["arrhythmia"])
        target = folder / "arrhythmia" / "arrhythmia.csv.gz"
    else:
        target = tar_mirror(dataset_arrays, folder, ["arrhythmia"])
    flip_bytes(target)
    server = serve(folder)
    cache = tmp_path / "cache"
    with pytest.raises(DatasetError, match=rf"{server.url}/\S+") as error:
        fetch_datasets(["arrhythmia"], data_home=cache, mirror=server.url)
    assert "'arrhythmia'" in str(error.value)
    assert cache_files(cache) == []


@pytest.mark.parametrize("layout", ["npz", "tar"])
def test_checksum_mismatch_is_refused(layout, serve, dataset_arrays, tmp_path):
    X, y = dataset_arrays("ecoli")
    X = X.copy()
    X[100, 3] = np.nextafter(X[100, 3], 2.0)  # one ulp: shape and counts still match
    folder = tmp_path / "mirror"
    if layout == "npz":
        write_npz(folder / "x1data.npz", X, y)
    else:
        folder.mkdir()
        with tarfile.open(folder / ARCHIVE_NAME, "w:gz") as tar:
            add_bytes(tar, "x1data.npz", npz_bytes(X, y))
    server = serve(folder)
    cache = tmp_path / "cache"
    with pytest.raises(
        DatasetError,
        match=r"'ecoli' from http://127\S+( \(member x1data\.npz\))? failed verification: "
        r"content SHA-256 [0-9a-f]{64}, expected 71bfe23e",
    ):
        fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    assert cache_files(cache) == []


def test_class_counts_are_checked_without_a_checksum(serve, dataset_arrays, tmp_path):
    X, y = dataset_arrays("scene")
    y = y.copy()
    y[np.flatnonzero(y == -1)[0]] = 1
    write_npz(tmp_path / "mirror" / "x12data.npz", X, y)
    server = serve(tmp_path / "mirror")
    with pytest.raises(DatasetError, match="178 minority samples, expected 177"):
        fetch_datasets(["scene"], data_home=tmp_path / "cache", mirror=server.url)
    assert cache_files(tmp_path / "cache") == []


@pytest.mark.parametrize("defect", ["short", "garbage"])
def test_bad_unrequested_archive_member_is_skipped_with_a_warning(
    defect, serve, dataset_arrays, tmp_path
):
    X, y = dataset_arrays("thyroid_sick")
    payload = npz_bytes(X[:-1], y[:-1]) if defect == "short" else b"PK not an npz file"

    def extra(tar: tarfile.TarFile) -> None:
        add_bytes(tar, "x14data.npz", payload)

    server = serve(tar_mirror(dataset_arrays, tmp_path / "mirror", ["ecoli"], extra=extra).parent)
    with pytest.warns(RuntimeWarning, match=r"'thyroid_sick' .*x14data\.npz"):
        result = fetch_datasets(["ecoli"], data_home=tmp_path / "cache", mirror=server.url)
    assert_matches(result, dataset_arrays, ["ecoli"])
    assert cache_files(tmp_path / "cache") == ["ecoli.npz"]


def _symlink(tar):
    link = tarfile.TarInfo("x1data.npz")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    tar.addfile(link)


def _hardlink(tar):
    add_bytes(tar, "x2data.npz", b"")
    link = tarfile.TarInfo("x1data.npz")
    link.type, link.linkname = tarfile.LNKTYPE, "x2data.npz"
    tar.addfile(link)


def _device(tar):
    device = tarfile.TarInfo("x1data.npz")
    device.type, device.devmajor, device.devminor = tarfile.CHRTYPE, 1, 3
    tar.addfile(device)


def _fifo(tar):
    fifo = tarfile.TarInfo("x1data.npz")
    fifo.type = tarfile.FIFOTYPE
    tar.addfile(fifo)


UNSAFE = {
    "parent": (lambda tar: add_bytes(tar, "../evil", b"owned"), "'../evil' has an unsafe path"),
    "nested-parent": (
        lambda tar: add_bytes(tar, "data/../../x1data.npz", b"x"),
        "unsafe path",
    ),
    "absolute": (lambda tar: add_bytes(tar, "/tmp/x1data.npz", b"x"), "unsafe path"),
    "symlink": (_symlink, "'x1data.npz' is a link"),
    "hardlink": (_hardlink, "'x1data.npz' is a link"),
    "device": (_device, "is not a regular file"),
    "fifo": (_fifo, "is not a regular file"),
    "duplicate": (lambda tar: add_bytes(tar, "sub/x1data.npz", b"x"), "appears twice"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_archives_are_refused(case, serve, dataset_arrays, tmp_path):
    build, message = UNSAFE[case]
    archive = tar_mirror(dataset_arrays, tmp_path / "srv" / "mirror", ["ecoli"], extra=build)
    server = serve(archive.parent)
    cache = tmp_path / "srv" / "cache"
    with pytest.raises(
        DatasetError,
        match=rf"Refusing the archive needed for dataset 'ecoli', http://\S+: member .*{message}",
    ):
        fetch_datasets(["ecoli"], data_home=cache, mirror=server.url)
    assert cache_files(cache) == []
    assert not (tmp_path / "srv" / "evil").exists()
    assert not (tmp_path / "evil").exists()


# --------------------------------------------------------------------------- network failures


class _Truncating(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"PK\x03\x04" + b"\x00" * 100)

    def log_message(self, *args):
        pass


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_error(500, "Broken")

    def log_message(self, *args):
        pass


def test_truncated_download_is_refused(serve, tmp_path):
    server = serve(handler=_Truncating)
    cache = tmp_path / "cache"
    with pytest.raises(DatasetError, match=r"'ecoli' from http://127\.0\.0\.1:\d+/x1data\.npz"):
        fetch_datasets(["ecoli"], data_home=cache, mirror=server.url, timeout=5)
    assert cache_files(cache) == []


def test_server_error_is_reported(serve, tmp_path):
    server = serve(handler=_Failing)
    with pytest.raises(
        DatasetError, match=r"Could not download dataset 'ecoli' from \S+: HTTP 500"
    ):
        fetch_datasets(["ecoli"], data_home=tmp_path / "cache", mirror=server.url)
    assert cache_files(tmp_path / "cache") == []


def test_unresponsive_server_times_out(tmp_path):
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with pytest.raises(
            DatasetError, match=rf"Could not download dataset 'ecoli' from {url}.*timed out"
        ):
            fetch_datasets(["ecoli"], data_home=tmp_path / "cache", mirror=url, timeout=0.3)
    assert cache_files(tmp_path / "cache") == []


def test_refused_connection_is_reported(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DatasetError, match=r"Could not download dataset 'ecoli'.*mirror="):
        fetch_datasets(["ecoli"], data_home=tmp_path / "c", mirror=f"http://127.0.0.1:{port}")


def test_progress_bar(serve, dataset_arrays, tmp_path, capsys):
    pytest.importorskip("tqdm")
    server = serve(npz_mirror(dataset_arrays, tmp_path / "mirror", ["ecoli"]))
    result = fetch_datasets(["ecoli"], data_home=tmp_path / "c", mirror=server.url, progress=True)
    assert_matches(result, dataset_arrays, ["ecoli"])
    err = capsys.readouterr().err
    assert "x1data.npz" in err and "100%" in err


def test_progress_without_tqdm_is_silent(serve, dataset_arrays, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes `import tqdm` fail
    server = serve(npz_mirror(dataset_arrays, tmp_path / "mirror", ["ecoli"]))
    result = fetch_datasets(["ecoli"], data_home=tmp_path / "c", mirror=server.url, progress=True)
    assert_matches(result, dataset_arrays, ["ecoli"])
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- arguments


def test_unknown_names_are_rejected_before_any_download(tmp_path):
    with pytest.raises(ValueError, match=r"Unknown benchmark dataset 'iris'. Valid names are: eco"):
        fetch_datasets(["ecoli", "iris"], data_home=tmp_path / "c", mirror="http://127.0.0.1:9")
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("timeout", [0, -1.0, "10", None])
def test_timeout_must_be_positive(timeout, tmp_path):
    with pytest.raises(ValueError, match="The 'timeout' parameter must be a positive number"):
        fetch_datasets(["ecoli"], data_home=tmp_path / "c", timeout=timeout)


def test_unsupported_mirror_scheme(tmp_path):
    with pytest.raises(ValueError, match=r"Unsupported mirror 'ftp://example\.org/data'"):
        fetch_datasets(["ecoli"], data_home=tmp_path / "c", mirror="ftp://example.org/data")


def test_names_default_to_the_whole_catalogue(tmp_path):
    # With nothing cached and no download allowed, the error lists all 27 datasets.
    with pytest.raises(DatasetError) as error:
        fetch_datasets(data_home=tmp_path / "c", download_if_missing=False)
    listed = str(error.value).split(" not found")[0].split("Dataset(s) ")[1].split(", ")
    # ... but the three that ship with smotekit.
    assert set(listed) == {info.name for info in INFO.values()} - set(BUNDLED_DATASETS)
