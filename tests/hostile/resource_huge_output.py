# attack: Resources: a 30 MB line of output
print("x" * 30_000_000)
