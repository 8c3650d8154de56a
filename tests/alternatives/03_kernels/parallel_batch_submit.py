# exercise: kernels_parallel_batch
# why: submit one task per item and read the futures back in submission order
def parallel_batch_processing(batch, operation=None, num_workers=4):
    if num_workers < 1:
        raise ValueError(f"num_workers={num_workers}: need at least one worker")
    if operation is None:
        operation = vectorized_relu
    with ThreadPoolExecutor(num_workers) as pool:
        futures = [pool.submit(operation, item) for item in batch]
    return [f.result() for f in futures]
