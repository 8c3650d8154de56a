# exercise: tensors_view_or_copy
# why: believes fancy indexing and boolean masks return views
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    "a[[0, 2]]": False,
    "a[a > 5]": False,
=======
    "a[[0, 2]]": True,
    "a[a > 5]": True,
>>>>>>> replacement
