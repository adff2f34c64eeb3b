"""The book's printed output keeps its lines whole however the kernel flushed them
(book/_ext/whole_lines.py)."""

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import whole_lines  # noqa: E402  (book/_ext is not a package)


def stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_a_line_split_by_a_flush_is_one_line_again():
    # print("sigmoid'(40): textbook", 0.0, "  cnnmath", 4.2e-18), flushed after the first
    outputs = [stream("sigmoid'(40): textbook"), stream(" 0.0   cnnmath 4.2e-18\n"),
               stream("tanh'(20):    textbook 0.0   cnnmath 1.7e-17\n")]
    merged = whole_lines.coalesce_streams(outputs)
    assert [o["text"] for o in merged] == [
        "sigmoid'(40): textbook 0.0   cnnmath 4.2e-18\n"
        "tanh'(20):    textbook 0.0   cnnmath 1.7e-17\n"]


def test_myst_nb_alone_breaks_that_line():
    # what the extension exists for: if myst-nb ever joins chunks verbatim, drop it
    outputs = [stream("a: textbook"), stream(" 0.0\n")]
    assert whole_lines._MYST_NB_COALESCE(outputs)[0]["text"] == "a: textbook\n 0.0\n"


def test_other_outputs_keep_their_place_and_streams_their_names():
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    outputs = [stream("x = "), figure, stream("1\n"), stream("careful\n", "stderr")]
    merged = whole_lines.join_chunks(outputs)
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "x = 1\n"), ("display_data", None, None),
        ("stream", "stderr", "careful\n")]
    assert outputs[0]["text"] == "x = "                  # the cell's own outputs untouched


def test_the_extension_replaces_what_myst_nb_renders_with():
    from myst_nb.core import render

    class App:
        def setup_extension(self, name):
            assert name == "myst_nb"

    original = render.coalesce_streams
    try:
        whole_lines.setup(App())
        assert render.coalesce_streams is whole_lines.coalesce_streams
    finally:
        render.coalesce_streams = original
