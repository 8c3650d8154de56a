# exercise: tensors_view_or_copy
# why: believes a reshape or ravel of a transpose is still a view
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    "a.T.reshape(24)": False,
=======
    "a.T.reshape(24)": True,
>>>>>>> replacement
<<<<<<< reference
    "a.T.ravel()": False,
=======
    "a.T.ravel()": True,
>>>>>>> replacement
