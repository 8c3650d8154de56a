"""``python -m utils formgrader``: nbgrader's formgrader for this course's gradebook.

Run it from the course root. It starts a Jupyter server on 127.0.0.1 whose only job is the
formgrader: the course root is its root, its nbgrader configuration is the course's (``--db`` /
``COURSE_DB_URL`` included) whatever folder Jupyter would otherwise use, and the exchange folder
exists, so no page warns about it. The gradebook is opened first: a missing SQLite file or a
database that cannot be reached stops it in one line. SIGTERM and SIGHUP stop the server too. Open the URL it prints; grade written answers
under "Manual Grading"; then ``python -m utils feedback`` and ``python -m utils export``.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import course


@dataclass
class Server:
    """A formgrader command ready to run: argument list, folder, environment and its URL."""

    argv: list[str]
    cwd: Path
    env: dict[str, str]
    url: str
    token: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exchange_root(root: Path) -> Path:
    """The exchange folder of the course at ``root`` (created if missing)."""
    cfg = course.nbgrader_config(root)
    path = Path(cfg.Exchange.root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _config_text(root: Path, db_url: str) -> str:
    lines = [
        "# Written by python -m utils formgrader: the course's configuration, pointed at one course.",
        "c = get_config()  # noqa: F821",
        f"load_subconfig({str(course.ROOT / 'nbgrader_config.py')!r})  # noqa: F821",
        f"c.CourseDirectory.root = {str(root)!r}",
        f"c.CourseDirectory.db_url = {db_url!r}",
        f"c.Exchange.root = {str(exchange_root(root))!r}",
        "c.FormgradeExtension.debug = False  # its config panel cannot show the course's preprocessor classes",
    ]
    return "\n".join(lines) + "\n"


def prepare(root: Path = course.ROOT, db_url: str | None = None, port: int = 0, token: str | None = None,
            config_dir: Path | None = None) -> Server:
    """Everything needed to start the formgrader of the course at ``root``.

    Args:
        root: the course root.
        db_url: the gradebook (default: ``COURSE_DB_URL`` or the course's SQLite file).
        port: the port on 127.0.0.1 (0: a free one).
        token: the server's access token (default: a fresh random one).
        config_dir: where to write the server's nbgrader configuration (default: a temp folder).
    """
    root = Path(root).resolve()
    if not (root / "modules").is_dir():
        raise ValueError(f"{root} is not a course root (no modules/ folder)")
    cfg = course.nbgrader_config(root, db_url=db_url)
    url = cfg.CourseDirectory.db_url
    check_gradebook(url, cfg.CourseDirectory.course_id)
    port = port or free_port()
    token = token or secrets.token_hex(16)
    where = Path(config_dir or tempfile.mkdtemp(prefix="course-formgrader-"))
    where.mkdir(parents=True, exist_ok=True)
    (where / "nbgrader_config.py").write_text(_config_text(root, url), encoding="utf-8")
    argv = [
        sys.executable, "-m", "jupyter_server",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
        f"--IdentityProvider.token={token}", "--ServerApp.log_level=WARN",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # a container or a VM as root: Jupyter refuses it otherwise
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(course.ROOT) + os.pathsep + env.get("PYTHONPATH", "")  # the course's preprocessors
    return Server(argv, where, env, f"http://127.0.0.1:{port}/formgrader?token={token}", token)


def check_gradebook(db_url: str, course_id: str) -> None:
    """Open the gradebook once, so a bad one stops the command instead of failing every page.

    Raises:
        ValueError: a SQLite gradebook that does not exist, or one nbgrader cannot open.
    """
    from nbgrader.api import Gradebook

    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).is_file():
        raise ValueError(f"no gradebook at {db_url[len('sqlite:///'):]}; run 'python -m utils grade' first")
    try:
        with Gradebook(db_url, course_id):
            pass
    except Exception as exc:  # noqa: BLE001 - any driver's error: one line, the cause named
        cause = getattr(exc, "orig", None) or exc
        raise ValueError(f"cannot open the gradebook {db_url.split('@')[-1]}: {' '.join(str(cause).split())[:200]}") from None


def start(server: Server, **popen) -> subprocess.Popen:
    """Start ``server`` in the background (nbgrader reads its configuration from ``server.cwd``)."""
    return subprocess.Popen(server.argv, cwd=server.cwd, env=server.env, **popen)


def run(root: Path = course.ROOT, db_url: str | None = None, port: int = 0) -> int:
    """Run the formgrader in the foreground until Ctrl-C; returns the server's exit status."""
    server = prepare(root, db_url, port)
    print(f"formgrader: {server.url}", flush=True)
    print("stop it with Ctrl-C", flush=True)
    proc = start(server)

    def forward(signum, _frame):
        proc.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=20)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
