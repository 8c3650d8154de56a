# exercise: kernels_parallel_batch
# why: collects results in the order the threads finish, not in the batch's order
def parallel_batch_processing(batch, operation=None, num_workers=4):
    from concurrent.futures import as_completed

    if num_workers < 1:
        raise ValueError(f"num_workers must be >= 1, got {num_workers}")
    op = vectorized_relu if operation is None else operation
    with ThreadPoolExecutor(max_workers=num_workers) as pool:
        futures = [pool.submit(op, item) for item in batch]
        return [f.result() for f in as_completed(futures)]
