"""The portable-runner path (Spark/Flink job servers speak the same API): Beam's own local job service
and an external SDK worker pool, each in a separate process, give the same bytes as the DirectRunner.

The worker pool runs winnow as cluster workers get it: from a wheel, installed into a venv of its own
and started outside the source tree, so a package-data file missing from the wheel, or an import that
only works from the source tree, fails here."""

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

from pipelines.sample import write_sample
from tests.e2e_helpers import clean


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("localhost", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


def worker_venv(folder: Path) -> Path:
    """A venv holding winnow's wheel; its dependencies come from this venv's site-packages by a plain
    path entry (not this venv's .pth files, which would put the source tree back through the editable install)."""
    wheels = folder / "wheels"
    folder.mkdir(parents=True)
    # built from a copy of the sources, so no build/ folder of an earlier build can slip a stale module in
    source = folder / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".data", ".peers", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(source)], check=True, timeout=300, cwd=folder)
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    target = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            check=True, capture_output=True, text=True).stdout.strip()
    (Path(target) / "winnow_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    [wheel] = wheels.glob("winnow-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, str(wheel)],
                   check=True, timeout=300)
    return python


@pytest.fixture
def job_service(tmp_path):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    worker_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    worker_python = worker_venv(tmp_path / "worker")
    where = subprocess.run([str(worker_python), "-c", "import pipelines; print(pipelines.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path, env=worker_env).stdout
    assert str(tmp_path / "worker" / "venv") in where and str(REPO) not in where
    job_port, pool_port = free_port(), free_port()
    services = [
        subprocess.Popen([sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main", "--port", str(job_port)],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([str(worker_python), "-m", "apache_beam.runners.worker.worker_pool_main", "--service_port", str(pool_port)],
                         env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path / "worker"),
    ]
    try:
        wait_for(job_port)
        wait_for(pool_port)
        yield job_port, pool_port, env
    finally:
        for service in services:
            service.terminate()
            service.wait(timeout=30)


def test_portable_runner_with_separate_sdk_workers_matches_direct_runner(tmp_path, job_service):
    job_port, pool_port, env = job_service
    write_sample(str(tmp_path / "sample"))
    direct, portable = tmp_path / "direct", tmp_path / "portable"
    common = ["--input", str(tmp_path / "sample" / "web"), "--set", "output.target_shard_bytes=40000"]
    assert clean(*common, "--output", str(direct)) == 0
    winnow = os.path.join(os.path.dirname(sys.executable), "winnow")
    run = subprocess.run(
        [winnow, "clean", *common, "--output", str(portable), "--runner", "PortableRunner",
         "--job_endpoint", f"localhost:{job_port}", "--environment_type", "EXTERNAL",
         "--environment_config", f"localhost:{pool_port}"],
        env=env, check=False, timeout=300, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    files = sorted(p.relative_to(direct) for p in direct.rglob("*.parquet"))
    assert files == sorted(p.relative_to(portable) for p in portable.rglob("*.parquet"))
    for name in files:
        assert (direct / name).read_bytes() == (portable / name).read_bytes(), name
