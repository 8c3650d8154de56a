# exercise: memory_profiler
# why: tracks the peak from the log itself, labels entries differently, builds readings step by step
class MemoryProfiler:
    def __init__(self, device=None):
        available = torch.cuda.is_available()
        chosen = device if device is not None else ("cuda" if available else "cpu")
        if chosen not in {"cpu", "cuda"} or (chosen == "cuda" and not available):
            raise ValueError(f"cannot profile on device {device!r}")
        self.device = chosen
        self.memory_log = []
        self.peak_memory = 0

    def get_memory_usage(self):
        readings = {}
        readings["cpu_memory"] = psutil.Process().memory_info().rss / 1e6
        if self.device == "cuda":
            readings["gpu_memory"] = torch.cuda.memory_allocated() / 1e6
        return readings

    def log_memory(self, operation_name):
        if type(operation_name) is not str:
            raise TypeError("operation_name should be a str")
        reading = self.get_memory_usage()
        reading["operation"] = operation_name
        self.memory_log.append(reading)
        field = "gpu_memory" if self.device == "cuda" else "cpu_memory"
        self.peak_memory = max(entry[field] for entry in self.memory_log)

    def reset(self):
        self.memory_log.clear()
        self.peak_memory = 0

    def get_peak_memory(self):
        return float(self.peak_memory)

    @contextlib.contextmanager
    def track(self, name):
        self.log_memory("enter " + name)
        try:
            yield self
        finally:
            self.log_memory("exit " + name)
