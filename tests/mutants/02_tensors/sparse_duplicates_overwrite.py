# exercise: tensors_sparse_tensor
# why: duplicate coordinates keep the last value instead of the sum
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        np.add.at(summed, inverse, values)
=======
        summed[inverse] = values
>>>>>>> replacement
