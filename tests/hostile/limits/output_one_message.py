# attack: Resources: a 100 MB line, sent in one kernel message over the grader's 64 MiB message cap
# status: partly graded: the kernel's output was lost
print("y" * 100_000_000)
