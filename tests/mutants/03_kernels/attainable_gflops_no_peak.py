# exercise: kernels_attainable_gflops
# why: forgets the compute ceiling: the bandwidth slope goes up forever
def attainable_gflops(intensity, peak_gflops, bandwidth_gbs):
    if intensity < 0 or peak_gflops <= 0 or bandwidth_gbs <= 0:
        raise ValueError("bad roofline arguments")
    return float(intensity * bandwidth_gbs)
