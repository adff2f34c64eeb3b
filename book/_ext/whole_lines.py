"""Sphinx extension: a cell's printed output on the page exactly as the cell printed it.

The kernel sends what a cell prints in chunks, each time its flush timer fires, and the
timer can fire in the middle of a line: between two arguments of one ``print``, say.
myst-nb's ``coalesce_streams`` (``nb_merge_streams: true``) joins a cell's chunks into
one block, but it strips the end of every chunk and adds a newline, so a line split by
a flush shows as two lines, its spaces lost. Here the chunks of each stream are first
joined verbatim; myst-nb then sees one chunk per stream and merges nothing.
"""

import copy

from myst_nb.core import render

_MYST_NB_COALESCE = render.coalesce_streams


def join_chunks(outputs):
    """``outputs`` with each stream's chunks (stdout, stderr) joined verbatim into its
    first chunk, in place of the rest; other outputs as they were, in their order."""
    joined, first = [], {}
    for output in outputs:
        if output.get("output_type") == "stream":
            name = output["name"]
            if name in first:
                first[name]["text"] += output["text"]
                continue
            output = first[name] = copy.deepcopy(output)
        joined.append(output)
    return joined


def coalesce_streams(outputs):
    return _MYST_NB_COALESCE(join_chunks(outputs))


def setup(app):
    app.setup_extension("myst_nb")
    render.coalesce_streams = coalesce_streams
    return {"parallel_read_safe": True, "parallel_write_safe": True}
