"""``--isolated``: the command line's settings with no configuration file read at all (as ruff's
``--isolated``): no ``hwspec.toml`` and no ``[tool.hwspec]``, wherever the specs are."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from hwspec.checker import Checker, Options
from hwspec.project.checkers import checkers_for
from hwspec.project.parallel import Settings


@frozen
class IsolatedSettings(Settings):
    """``Settings`` whose checkers take no configuration file; worker processes rebuild them as
    they rebuild ``Settings``."""

    def plan(self, files: Sequence[Path], by_config: dict[Path | None, Checker] | None = None,
             base: Options | None = None) -> list[tuple[Path, Checker]]:
        """Each file with the checker of the command line's settings alone."""
        base = base or self.options()
        return checkers_for(files, base, cli_select=bool(self.select), by_config=by_config,
                            isolated=True)
