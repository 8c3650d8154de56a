# attack: Metadata: every cell's nbgrader metadata stripped; a full solution must keep full marks
# answers: solution
# metadata: strip
# expect: 5
# status: graded
x = 1
