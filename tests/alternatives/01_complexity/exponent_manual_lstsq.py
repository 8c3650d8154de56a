# exercise: complexity_exponent
# why: its own clock and median, log2 on both axes (the slope does not depend on the base), closed-form fit
def estimate_complexity_exponent(func, sizes, make_input):
    if len(set(sizes)) < 2 or min(sizes) < 1:
        raise ValueError("need two different positive sizes")
    xs, ys = [], []
    for n in sizes:
        x = make_input(n)
        func(x)
        runs = []
        for _ in range(7):
            t0 = time.perf_counter()
            func(x)
            runs.append(time.perf_counter() - t0)
        xs.append(math.log2(n))
        ys.append(math.log2(statistics.median(runs)))
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    den = sum((x - mean_x) ** 2 for x in xs)
    return num / den
