# exercise: capstone_prediction
# why: the ranking read off the counts by code rather than typed in
_counts_48 = miss_counts(48, 4096, 64, 4, block=8)
PREDICTED_RANKING = sorted(_counts_48, key=_counts_48.get)
