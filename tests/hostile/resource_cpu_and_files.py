# attack: Resources: a 2 GiB file and many processes (limits on file size and processes)
try:
    with open("/tmp/big", "wb") as fh:
        for _ in range(2048):
            fh.write(b"\0" * (1 << 20))
except OSError as exc:
    print("file size limit:", exc)
