"""Reading tabular files people send us (CSV, XLSX) and saying what is wrong with them.

Pure: no Django. Every import (MHSDS extracts, incident-system exports, bed days, national
statistics) reports its problems as `Problem`s naming the file, row and field.
"""

from mhsip.tabular.problems import Problem, Problems

__all__ = ["Problem", "Problems"]
