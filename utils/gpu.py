"""Choose between a real CUDA GPU and Numba's CUDA simulator.

Numba reads ``NUMBA_ENABLE_CUDASIM`` once, when it is first imported, so the choice must be made
before anything imports numba: the course set-up cell of every notebook calls ``configure()``,
and so does the grader before it starts any kernel.

The setting ``COURSE_GPU`` picks the path: ``auto`` (default: the GPU when one is present,
else the simulator), ``sim`` (always simulate) or ``cuda`` (require a GPU).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

SIM_ENV = "NUMBA_ENABLE_CUDASIM"
CHOICE_ENV = "COURSE_GPU"
CHOICES = ("auto", "sim", "cuda")


def gpu_name() -> str | None:
    """The first NVIDIA GPU's name as ``nvidia-smi -L`` reports it (numba is not imported),
    or ``None`` when no GPU answers."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-L"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    for line in out.stdout.splitlines():  # "GPU 0: NVIDIA H200 (UUID: GPU-...)"
        if line.startswith("GPU"):
            return line.split(":", 1)[-1].split("(UUID")[0].strip() or "GPU"
    return None


def gpu_present() -> bool:
    """True when an NVIDIA GPU answers ``nvidia-smi -L`` (checked without importing numba)."""
    return gpu_name() is not None


def choose(choice: str | None = None) -> str:
    """Return ``"cuda"`` or ``"sim"`` for ``choice`` (default: the ``COURSE_GPU`` setting).

    Raises:
        ValueError: ``choice`` is not one of ``auto``, ``sim``, ``cuda``.
        RuntimeError: ``cuda`` was asked for and no GPU is present.
    """
    choice = (choice or os.environ.get(CHOICE_ENV) or "auto").strip().lower()
    if choice not in CHOICES:
        raise ValueError(f"{CHOICE_ENV}={choice!r}: expected one of {', '.join(CHOICES)}")
    if choice == "sim":
        return "sim"
    present = gpu_present()
    if choice == "cuda" and not present:
        raise RuntimeError(f"{CHOICE_ENV}=cuda but no NVIDIA GPU answers nvidia-smi")
    return "cuda" if present else "sim"


def configure(choice: str | None = None, env: dict[str, str] | None = None) -> str:
    """Set ``NUMBA_ENABLE_CUDASIM`` in ``env`` (default ``os.environ``) for the chosen path.

    Returns:
        ``"cuda"`` or ``"sim"``.

    Raises:
        RuntimeError: numba is already imported with the other setting (restart the kernel).
    """
    target = os.environ if env is None else env
    path = choose(choice)
    wanted = "1" if path == "sim" else "0"
    if env is None and "numba" in sys.modules and os.environ.get(SIM_ENV, "0") != wanted:
        raise RuntimeError(
            f"numba was imported before the GPU choice ({path}); restart the kernel and run "
            "the set-up cell first"
        )
    target[SIM_ENV] = wanted
    return path


def is_simulator() -> bool:
    """True when numba's CUDA target is (or will be) the simulator in this process."""
    return os.environ.get(SIM_ENV, "0") == "1"


def describe() -> str:
    """``"simulator"``, or ``"cuda (<device name>)"`` on a real GPU."""
    if is_simulator():
        return "simulator"
    try:
        from numba import cuda

        return f"cuda ({cuda.get_current_device().name.decode()})"
    except Exception as exc:  # noqa: BLE001 - report, do not crash a notebook
        return f"cuda (unavailable: {exc})"
