# exercise: capstone_prediction
# why: the textbook answer (i-p-j beats blocking) without reading the counts at n = 48
PREDICTED_RANKING = ["ipj", "blocked", "ijk"]
