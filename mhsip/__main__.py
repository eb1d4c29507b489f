"""`python -m mhsip ...` does what the `mhsip` console script does."""

import sys

from mhsip.cli import main

sys.exit(main())
