# exercise: capstone_top_operators
# why: puts every thread on one stack, so an operator of one thread can parent another's
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        by_thread.setdefault((e.get("pid"), e.get("tid")), []).append((key, e))
=======
        by_thread.setdefault(e.get("pid"), []).append((key, e))
>>>>>>> replacement
