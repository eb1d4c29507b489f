import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public reference data sets beside the repository (../shared/data).

    CI always has them, so there a missing folder fails; on a developer's machine without them
    the reference tests are skipped with the reason.
    """
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"reference data not found at {SHARED_DATA}")
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA
