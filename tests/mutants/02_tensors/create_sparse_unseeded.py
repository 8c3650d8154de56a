# exercise: tensors_create_sparse_tensor
# why: ignores the seed
def create_sparse_tensor(shape: Shape, sparsity: float = 0.9, seed: int = 0) -> SparseTensor:
    """A random SparseTensor of ``shape`` with about ``sparsity`` of its entries zero.

    Args:
        shape: the dense shape.
        sparsity: fraction of zeros, in [0, 1].
        seed: seed for ``np.random.default_rng``; the same seed gives the same tensor.

    Returns:
        A SparseTensor with nonzero float64 values.

    Raises:
        ValueError: ``sparsity`` is outside [0, 1].
    """
    # about 8 lines
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError(f"sparsity must be in [0, 1], got {sparsity}")
    shape = tuple(int(n) for n in shape)
    rng = np.random.default_rng()
    size = math.prod(shape)
    nnz = round((1.0 - sparsity) * size)
    flat = np.sort(rng.choice(size, size=nnz, replace=False))
    values = rng.uniform(0.5, 1.5, size=nnz) * rng.choice([-1.0, 1.0], size=nnz)
    return SparseTensor(shape, values, np.stack(np.unravel_index(flat, shape), axis=1))
