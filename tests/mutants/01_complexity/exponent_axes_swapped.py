# exercise: complexity_exponent
# why: regresses log(n) on log(time), which estimates 1/k instead of k
def estimate_complexity_exponent(func, sizes, make_input):
    times_s = [median_time(func, make_input(n), repeats=5) for n in sizes]
    return float(np.polyfit(np.log(times_s), np.log(sizes), 1)[0])
