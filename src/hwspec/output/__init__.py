"""Reporters: render checked reports as text, JSON and other formats, looked up by name.

Each reporter module exposes ``render(reports, options) -> str``. Modules are imported only when
their format is asked for, so the start-up path of ``hwspec validate`` stays small.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from attrs import frozen

if TYPE_CHECKING:
    from hwspec._validate import Report

REPORTER_BY_NAME: dict[str, str] = {
    "text": "hwspec.output.text",
    "json": "hwspec.output.json",
}
"""Format name -> module that renders it."""

FORMATS = tuple(REPORTER_BY_NAME)


@frozen
class RenderOptions:
    """What a reporter needs to know beyond the reports."""

    strict: bool = False
    show_facts: bool = True


def reporter(name: str) -> Callable[[Sequence[Report], RenderOptions], str]:
    """The render function of a format."""
    module = importlib.import_module(REPORTER_BY_NAME[name])
    render: Callable[[Sequence[Report], RenderOptions], str] = module.render
    return render
