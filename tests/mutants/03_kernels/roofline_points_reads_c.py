# exercise: kernels_roofline_points
# why: counts C as read and written, though the minimum traffic only writes it
<<<<<<< reference
        nbytes = (int(m) * int(k) + int(k) * int(n) + int(m) * int(n)) * int(itemsize)
=======
        nbytes = (int(m) * int(k) + int(k) * int(n) + 2 * int(m) * int(n)) * int(itemsize)
>>>>>>> replacement
