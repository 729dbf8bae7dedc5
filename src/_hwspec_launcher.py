"""The ``hwspec`` command's entry point, outside the ``hwspec`` package so that starting the
command imports nothing before the garbage collector is off.

Start-up makes tens of thousands of objects (modules, classes, the catalog, compiled rules) and
no garbage worth collecting, so ``hwspec.cli.main`` runs with the collector off until a command
starts its work. Importing ``hwspec.cli`` (attrs, click and hwspec's modules) comes before
``main``, though, and the collector ran 26 times during it: 9.6 M instructions, 2.2 % of a cold
``hwspec validate``. This module turns it off first, then imports and runs the command line,
which puts it back as each command needs (docs/performance.md).
"""

import gc


def main() -> None:
    """Console-script entry point: ``hwspec.cli.main`` with the collector off from the start."""
    gc.disable()
    from hwspec.cli import main as command_line

    command_line()
