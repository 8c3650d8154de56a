# exercise: kernels_roofline_points
# why: never checks the dimensions or the times, so an empty product becomes a point at intensity 0
<<<<<<< reference
        if min(m, k, n) < 1:
            raise ValueError(f"{kernel}: dimensions must be >= 1, got m={m}, k={k}, n={n}")
        if seconds <= 0:
            raise ValueError(f"{kernel}: the time must be positive, got {seconds} s")
=======
>>>>>>> replacement
