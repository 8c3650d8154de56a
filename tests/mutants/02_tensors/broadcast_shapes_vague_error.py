# exercise: tensors_broadcast_shapes
# why: the error message names neither the sizes nor the axis
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
                raise ValueError(
                    f"cannot broadcast size {result[axis]} with size {n} on axis {axis - ndim} "
                    f"(counted from the right; shapes {shapes})"
                )
=======
                raise ValueError("shapes do not broadcast")
>>>>>>> replacement
