"""Tools that turn the book's notebooks into what a self-studying reader takes home: the
workbook (tools.workbook), the student kit (tools.kit) and the whole-book PDF
(tools.pdf)."""
