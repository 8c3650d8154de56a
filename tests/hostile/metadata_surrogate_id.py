# attack: Metadata: a cell whose grade id holds a lone surrogate and terminal escapes, which reach the notes, grades.csv and the printed table
# metadata: surrogate-id
pass
