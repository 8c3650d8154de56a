# exercise: kernels_parallel_batch
# why: right results, but everything runs on the calling thread
def parallel_batch_processing(batch, operation=None, num_workers=4):
    if num_workers < 1:
        raise ValueError(f"num_workers must be >= 1, got {num_workers}")
    op = vectorized_relu if operation is None else operation
    return [op(item) for item in batch]
