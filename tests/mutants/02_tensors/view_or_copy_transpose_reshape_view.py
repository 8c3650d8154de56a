# exercise: tensors_view_or_copy
# why: believes a reshape or ravel of a transpose is still a view
VIEW_OR_COPY: dict[str, bool] = {}
# about 13 lines: one entry per expression above, True for a view and False for a copy
VIEW_OR_COPY = {
    "a[1:3]": True,
    "a[::2, ::3]": True,
    "a[1]": True,
    "a[[0, 2]]": False,
    "a[a > 5]": False,
    "np.asarray(a)": True,
    "a.reshape(6, 4)": True,
    "a.T": True,
    "a.T.reshape(24)": True,
    "a.ravel()": True,
    "a.T.ravel()": True,
    "a.flatten()": False,
    "a + 1": False,
}
