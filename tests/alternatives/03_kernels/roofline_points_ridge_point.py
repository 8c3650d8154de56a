# exercise: kernels_roofline_points
# why: compares the intensity with the ridge point peak / bandwidth, and builds the rows in a comprehension
def roofline_points(measurements, peak_gflops, bandwidth_gbs, itemsize=4):
    if not (itemsize > 0 and peak_gflops > 0 and bandwidth_gbs > 0):
        raise ValueError(f"need positive itemsize, peak and bandwidth: {itemsize}, {peak_gflops}, {bandwidth_gbs}")
    if any(min(shape) <= 0 or s <= 0 for _, shape, s in measurements):
        raise ValueError("every dimension and every time must be positive")
    ridge = peak_gflops / bandwidth_gbs

    def row(kernel, shape, seconds):
        m, k, n = (int(v) for v in shape)
        work, traffic = 2 * m * k * n, itemsize * (m * k + k * n + m * n)
        intensity = work / traffic
        return {"kernel": kernel, "shape": shape, "flops": work, "bytes": traffic, "intensity": intensity,
                "gflops": work / (seconds * 1e9), "roof_gflops": float(np.minimum(peak_gflops, intensity * bandwidth_gbs)),
                "bound": "compute" if intensity >= ridge else "memory"}

    return [row(*measurement) for measurement in measurements]
