# exercise: tensors_broadcast_shapes
# why: takes the largest size on each axis without checking compatibility
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            if result[axis] == 1:
                result[axis] = n
            elif n != 1 and n != result[axis]:
                raise ValueError(
                    f"cannot broadcast size {result[axis]} with size {n} on axis {axis - ndim} "
                    f"(counted from the right; shapes {shapes})"
                )
=======
            result[axis] = max(result[axis], n)
>>>>>>> replacement
