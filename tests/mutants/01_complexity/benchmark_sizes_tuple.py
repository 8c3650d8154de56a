# exercise: complexity_benchmark
# why: returns "sizes" as the tuple it was given, not as a list
def benchmark_operations(sizes=(1_000, 10_000, 100_000, 1_000_000)):
    rng = np.random.default_rng(0)
    results = {"sizes": sizes, "loop_times": {}, "vectorized_times": {},
               "memory_loop": {}, "memory_vectorized": {}}
    for n in sizes:
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        for name, func in (("loop", elementwise_multiply_loop), ("vectorized", elementwise_multiply_vectorized)):
            results[f"{name}_times"][n] = median_time(func, a, b, repeats=3)
            tracemalloc.start()
            func(a, b)
            results[f"memory_{name}"][n] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return results
