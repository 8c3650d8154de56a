# exercise: complexity_exponent
# why: fits time against n directly; the slope is seconds per element, not an exponent
def estimate_complexity_exponent(func, sizes, make_input):
    times_s = [median_time(func, make_input(n), repeats=5) for n in sizes]
    return float(np.polyfit(sizes, times_s, 1)[0])
