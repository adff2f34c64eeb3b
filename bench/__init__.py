"""``make bench``: time the reference loops, cnnmath and PyTorch on the book's layers.

Run it as ``python -m bench.run`` (see ``--help``); it prints a table and writes the
results, with a description of the machine, to ``book/data/bench-results.json``,
which the chapter "Making it fast" reads.
"""
