# exercise: kernels_attainable_gflops
# why: takes the larger of the two limits instead of the smaller
def attainable_gflops(intensity, peak_gflops, bandwidth_gbs):
    if intensity < 0 or peak_gflops <= 0 or bandwidth_gbs <= 0:
        raise ValueError("bad roofline arguments")
    return float(max(peak_gflops, intensity * bandwidth_gbs))
