# exercise: tensors_broadcast_to
# why: does not check that the target is reachable
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    if not compatible:
        raise ValueError(f"cannot broadcast an array of shape {a.shape} to shape {shape}")
=======
>>>>>>> replacement
