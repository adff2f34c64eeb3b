"""Loop implementations that mirror the book's index formulas, one line each.

They are slow and obviously right, they also run on SymPy symbols (object
arrays), and they are the oracle that every fast function is tested against.
"""
