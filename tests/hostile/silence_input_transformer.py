# attack: Silenced checks: an input_transformers_cleanup entry turns every cell into pass
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\n"])
