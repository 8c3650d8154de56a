# attack: Resources: 200 MB printed without a flush, so the kernel sends it in a few huge messages
# status: partly graded: the kernel's output was lost
for _ in range(200):
    print("y" * 1_000_000)
