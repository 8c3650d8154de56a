# exercise: complexity_benchmark
# why: its own perf_counter loop and median, reset_peak around each call, float32 inputs
def benchmark_operations(sizes=(1_000, 10_000, 100_000, 1_000_000)):
    def median_seconds(func, a, b, repeats=5):
        func(a, b)
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            func(a, b)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    def peak_bytes(func, a, b):
        tracemalloc.start()
        tracemalloc.reset_peak()
        try:
            func(a, b)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    sizes = list(sizes)
    if not sizes or min(sizes) < 1:
        raise ValueError(f"sizes must be positive and not empty, got {sizes}")
    funcs = {"loop": elementwise_multiply_loop, "vectorized": elementwise_multiply_vectorized}
    inputs = {n: np.random.default_rng(n).random((2, n), dtype=np.float32) for n in sizes}
    out = {"sizes": sizes}
    for name, func in funcs.items():
        out[f"{name}_times"] = {n: median_seconds(func, *inputs[n]) for n in sizes}
        out[f"memory_{name}"] = {n: peak_bytes(func, *inputs[n]) for n in sizes}
    return out
