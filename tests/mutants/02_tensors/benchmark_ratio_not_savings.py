# exercise: tensors_benchmark_sparse_vs_dense
# why: reports the ratio sparse / dense as the savings
def benchmark_sparse_vs_dense(shape: Shape, sparsity: float = 0.9) -> dict:
    """Memory of a random sparse tensor against its dense form.

    Returns:
        ``{"sparse_memory": bytes, "dense_memory": bytes, "memory_savings": 1 - sparse / dense}``,
        the savings 0.0 when the dense form is empty.
    """
    # about 6 lines
    sparse = create_sparse_tensor(shape, sparsity, seed=0)
    sparse_memory = int(member(sparse, "memory_usage"))
    dense_memory = int(sparse.to_dense().nbytes)
    savings = sparse_memory / dense_memory if dense_memory else 0.0
    return {"sparse_memory": sparse_memory, "dense_memory": dense_memory, "memory_savings": savings}
