# exercise: kernels_transpose_naive
# why: x and y swapped, so x runs down the rows of a: the grid, laid out for x along the columns, leaves part of a uncopied, and each warp would read a down a column
@cuda.jit
def transpose_naive_kernel(a, out):
    y, x = cuda.grid(2)
    if y < a.shape[0] and x < a.shape[1]:
        out[x, y] = a[y, x]
