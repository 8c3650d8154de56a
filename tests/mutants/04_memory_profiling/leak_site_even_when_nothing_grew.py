# exercise: memory_find_leak
# why: always names a site, also when nothing grew
<<<<<<< reference
    if top is not None and top.size_diff > 0:
=======
    if top is not None:
>>>>>>> replacement
