# exercise: memory_find_leak
# why: reports every function as leaking
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return {"leaking": growth > LEAK_THRESHOLD_BYTES_PER_ITER, "growth_bytes_per_iter": growth, "top_allocation_site": site}
=======
    return {"leaking": True, "growth_bytes_per_iter": growth, "top_allocation_site": site}
>>>>>>> replacement
