"""Makes the command-line tools nbgrader shells out to findable.

nbgrader runs ``alembic`` to create or upgrade a gradebook. The one installed beside this Python
is put first on ``PATH`` when it is not there (a virtual environment that was never activated),
so nobody meets ``FileNotFoundError: 'alembic'``. Imported for this effect by
:mod:`homs.grading.course`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["tools_on_path"]


def tools_on_path() -> None:
    """Puts the folder of this Python's scripts first on ``PATH`` if it is missing."""
    here = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if here not in parts:
        os.environ["PATH"] = os.pathsep.join([here, *parts])


tools_on_path()
