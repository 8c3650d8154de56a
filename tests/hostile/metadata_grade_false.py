# attack: Metadata: grade: false on one grade cell; a full solution must keep full marks
# answers: solution
# metadata: grade-false
# expect: 5
# status: graded
x = 1
