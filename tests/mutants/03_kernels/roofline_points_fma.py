# exercise: kernels_roofline_points
# why: counts a fused multiply-add as one FLOP, so every intensity and rate is half the convention
<<<<<<< reference
        flops = 2 * int(m) * int(k) * int(n)
=======
        flops = int(m) * int(k) * int(n)
>>>>>>> replacement
