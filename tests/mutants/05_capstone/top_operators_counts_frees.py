# exercise: capstone_top_operators
# why: adds frees as well as allocations (net bytes per operator)
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        elif e.get("name") == "[memory]" and e.get("args", {}).get("Bytes", 0) > 0:
=======
        elif e.get("name") == "[memory]":
>>>>>>> replacement
