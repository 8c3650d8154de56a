# exercise: kernels_roofline_points
# why: takes the larger of the two ceilings as the roof, so a memory-bound kernel gets the peak
<<<<<<< reference
            "roof_gflops": min(float(peak_gflops), intensity * bandwidth_gbs),
=======
            "roof_gflops": max(float(peak_gflops), intensity * bandwidth_gbs),
>>>>>>> replacement
