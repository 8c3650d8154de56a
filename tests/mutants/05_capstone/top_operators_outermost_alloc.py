# exercise: capstone_top_operators
# why: charges an allocation to the outermost running operator instead of the innermost
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
                if stack:
                    alloc[stack[-1]["name"]] = alloc.get(stack[-1]["name"], 0) + int(e["args"]["Bytes"])
=======
                if stack:
                    alloc[stack[0]["name"]] = alloc.get(stack[0]["name"], 0) + int(e["args"]["Bytes"])
>>>>>>> replacement
