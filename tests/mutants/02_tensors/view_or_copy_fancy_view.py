# exercise: tensors_view_or_copy
# why: believes fancy indexing and boolean masks return views
VIEW_OR_COPY: dict[str, bool] = {}
# about 13 lines: one entry per expression above, True for a view and False for a copy
VIEW_OR_COPY = {
    "a[1:3]": True,
    "a[::2, ::3]": True,
    "a[1]": True,
    "a[[0, 2]]": True,
    "a[a > 5]": True,
    "np.asarray(a)": True,
    "a.reshape(6, 4)": True,
    "a.T": True,
    "a.T.reshape(24)": False,
    "a.ravel()": True,
    "a.T.ravel()": False,
    "a.flatten()": False,
    "a + 1": False,
}
