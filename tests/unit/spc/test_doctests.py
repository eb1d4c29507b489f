import doctest

import pytest

import mhsip.spc
from mhsip.spc import rules


@pytest.mark.parametrize("module", [mhsip.spc, rules])
def test_examples_in_docstrings_run(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0
    assert failures == 0
