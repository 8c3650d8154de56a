# exercise: tensors_create_sparse_tensor
# why: keeps each entry with probability 1 - sparsity instead of an exact count
def create_sparse_tensor(shape, sparsity=0.9, seed=0):
    if not 0 <= sparsity <= 1:
        raise ValueError(f"sparsity {sparsity} is not in [0, 1]")
    rng = np.random.default_rng(seed)
    keep = rng.random(shape) >= sparsity
    dense = np.where(keep, rng.standard_normal(shape) + 3.0, 0.0)
    return SparseTensor.from_dense(dense)
