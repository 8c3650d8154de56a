# exercise: complexity_exponent
# why: log10 of the times against the natural log of the sizes, so every slope shrinks by 2.3x
def estimate_complexity_exponent(func, sizes, make_input):
    times_s = [median_time(func, make_input(n), repeats=5) for n in sizes]
    return float(np.polyfit(np.log(sizes), np.log10(times_s), 1)[0])
