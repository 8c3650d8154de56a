# attack: Resources: allocate 6 GiB (the default limit is 4 GiB)
blocks = []
try:
    for _ in range(24):
        blocks.append(bytearray(256 << 20))
except MemoryError:
    print("memory limit reached after", len(blocks) * 256, "MiB")
del blocks
