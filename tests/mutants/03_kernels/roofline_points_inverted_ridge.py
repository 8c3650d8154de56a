# exercise: kernels_roofline_points
# why: puts the ridge point at bandwidth / peak instead of peak / bandwidth
<<<<<<< reference
            "bound": "memory" if intensity * bandwidth_gbs < peak_gflops else "compute",
=======
            "bound": "memory" if intensity < bandwidth_gbs / peak_gflops else "compute",
>>>>>>> replacement
