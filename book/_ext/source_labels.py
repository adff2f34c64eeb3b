"""Sphinx extension: the bibliography labels the five sources by their number.

The book calls the five public texts it follows "source 000" to "source 004" (their
BibTeX keys are source000 ... source004). None names an author, so the alpha style would
label them by the first letters of the key ([soua], [soub], ...). This style, the alpha
style otherwise, labels them [S000] to [S004] instead.
"""

from pybtex.plugin import register_plugin
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels.alpha import LabelStyle as AlphaLabelStyle


class LabelStyle(AlphaLabelStyle):
    def format_label(self, entry):
        if entry.key.startswith("source") and entry.key[6:].isdigit():
            return "S" + entry.key[6:]
        return super().format_label(entry)


class Style(AlphaStyle):
    default_label_style = LabelStyle


def setup(app):
    register_plugin("pybtex.style.formatting", "cnnmath", Style)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
