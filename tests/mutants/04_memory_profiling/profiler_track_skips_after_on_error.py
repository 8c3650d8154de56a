# exercise: memory_profiler
# why: track logs after the block only when the block succeeds
class MemoryProfiler:
    """Log memory readings at named points of a program and keep the highest one.

    Attributes:
        device: ``"cuda"`` or ``"cpu"``.
        memory_log: one dict per ``log_memory`` call, in order.
        peak_memory: the highest device reading (MB) logged since creation or the last reset.
    """

    def __init__(self, device: str | None = None) -> None:
        """Start with an empty log and a peak of 0.

        Args:
            device: ``"cpu"``, ``"cuda"``, or ``None`` for ``"cuda"`` when available, else ``"cpu"``.

        Raises:
            ValueError: ``device`` is not ``"cpu"`` or ``"cuda"``, or is ``"cuda"`` without a GPU.
        """
        # about 8 lines
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device not in ("cpu", "cuda"):
            raise ValueError(f"device {device!r}: expected 'cpu', 'cuda' or None")
        if device == "cuda" and not torch.cuda.is_available():
            raise ValueError("device 'cuda' was asked for but torch.cuda.is_available() is False")
        self.device = device
        self.memory_log: list[dict[str, Any]] = []
        self.peak_memory = 0.0

    def get_memory_usage(self) -> dict[str, float]:
        """Current readings in MB: ``cpu_memory`` (process RSS) and, on CUDA, ``gpu_memory``."""
        # about 4 lines
        usage = {"cpu_memory": psutil.Process().memory_info().rss / BYTES_PER_MB}
        if self.device == "cuda":
            usage["gpu_memory"] = torch.cuda.memory_allocated() / BYTES_PER_MB
        return usage

    def log_memory(self, operation_name: str) -> None:
        """Append ``{"operation": operation_name, **self.get_memory_usage()}``; update the peak.

        Raises:
            TypeError: ``operation_name`` is not a string.
        """
        # about 6 lines
        if not isinstance(operation_name, str):
            raise TypeError(f"operation_name must be a string, got {operation_name!r}")
        entry = {"operation": operation_name, **self.get_memory_usage()}
        self.memory_log.append(entry)
        key = "gpu_memory" if self.device == "cuda" else "cpu_memory"
        self.peak_memory = max(self.peak_memory, entry[key])

    def reset(self) -> None:
        """Empty the log and set the peak back to 0."""
        # about 2 lines
        self.memory_log = []
        self.peak_memory = 0.0

    def get_peak_memory(self) -> float:
        """The highest device reading (MB) logged since creation or the last reset."""
        # about 1 line
        return self.peak_memory

    @contextlib.contextmanager
    def track(self, name: str) -> Iterator[None]:
        """Log ``name`` before the ``with`` block and after it, even if the block raises."""
        # about 5 lines
        self.log_memory(f"{name}: before")
        yield
        self.log_memory(f"{name}: after")
