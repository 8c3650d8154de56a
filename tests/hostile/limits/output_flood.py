# attack: Resources: 200 MB printed in a loop, each line flushed, to grow the grader's memory while the cell runs
# status: graded
import sys
for _ in range(200):
    print("y" * 1_000_000)
    sys.stdout.flush()
