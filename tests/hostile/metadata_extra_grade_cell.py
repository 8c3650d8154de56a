# attack: Metadata: an extra grade cell with an unknown id; a full solution must keep full marks
# answers: solution
# metadata: extra-grade-cell
# expect: 5
# status: graded
x = 1
