"""The stage rule: a module knows the stages before it, never the ones after.

Every import inside the package (lazy ones in functions too) is read from the source and checked
against the order load -> resolve -> derive -> check -> project -> views -> render -> command line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hwspec"

# Each stage, in pipeline order, with the modules (or folders) that make it up.
STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "escape", "findings", "formulas", "spec.vocab", "spec.read", "spec.locate",
     "shipped", "toml_writer", "attrs_cache", "compiled", "by_name"),
    ("spec",),
    ("catalog",),
    ("resolve", "unknown"),
    ("facts",),
    ("engine",),
    ("checker",),
    ("project", "search"),
    ("views", "tools"),
    ("output", "tools.screenshots"),  # draws the rendered report, so it comes after output
    ("cli", "cli_commands", "completion", "__main__", ""),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> int:
    """The stage of a module: its longest matching entry in STAGES."""
    best, best_length = None, -1
    for index, members in enumerate(STAGES):
        for member in members:
            if (module == member or module.startswith(member + ".") or member == "") \
                    and len(member) > best_length:
                best, best_length = index, len(member)
    assert best is not None, module
    return best


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "hwspec" or node.module.startswith("hwspec.")):
                target = node.module.removeprefix("hwspec").removeprefix(".")
            else:
                continue
            for alias in node.names:  # `from hwspec.spec import model` imports spec.model
                if not target and alias.name == "__version__":
                    continue  # the installed version, metadata rather than a stage
                candidate = f"{target}.{alias.name}" if target else alias.name
                is_module = (PACKAGE / candidate.replace(".", "/")).with_suffix(".py").exists()
                found.add(candidate if is_module else target)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("hwspec.") for a in node.names
                      if a.name.startswith("hwspec.")}
    found.discard(module)
    return found


MODULES = sorted((p, _module_name(p)) for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize(("path", "module"), MODULES, ids=[m or "hwspec" for _, m in MODULES])
def test_a_module_imports_only_its_own_stage_and_earlier_ones(path: Path, module: str) -> None:
    later = sorted(i for i in _imports(path, module) if _stage(i) > _stage(module))
    assert later == [], f"{module or 'hwspec'} imports later stages: {later}"


def test_every_module_belongs_to_a_stage() -> None:
    """A new folder or module gets its place in STAGES, so the rule covers it: only the package
    root and ``__main__`` fall to the command line's catch-all."""
    named = {s for stage in STAGES for s in stage if s}
    unplaced = [m for _, m in MODULES if m not in ("", "__main__")
                and not any(m == s or m.startswith(s + ".") for s in named)]
    assert unplaced == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "output").glob("*.py")), ids=lambda p: p.name)
def test_renderers_load_no_rule_pack(path: Path) -> None:
    """Renderers read the reports and the rule records they are given; loading packs is the
    checker's job (a renderer that did could describe rules the checks did not run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             for a in node.names}
    assert names & {"builtin_packs", "load_pack", "load_packs", "load_pack_text"} == set()


TOPIC_MODULES = sorted(p for p in (PACKAGE / "facts").glob("*.py")
                       if p.stem not in ("__init__", "compose", "record", "shared"))


@pytest.mark.parametrize("path", TOPIC_MODULES, ids=lambda p: p.stem)
def test_a_topic_of_derive_imports_no_other_topic(path: Path) -> None:
    """A topic gets other topics' facts only as the inputs it declares, never by importing their
    module: it may import the records (facts.record), the build readings (facts.shared) and the
    stages before derive."""
    topics = {p.stem for p in TOPIC_MODULES}
    module = _module_name(path)
    imported = {i.removeprefix("facts.") for i in _imports(path, module) if i.startswith("facts.")}

    assert sorted(imported & topics) == []


GENERATED = ("compiled.py", "shipped.py")  # written by tools/precompile.py and tools/ship.py
MAX_MODULE_LINES = 1200
MAX_FUNCTION_LINES = 80


def test_no_module_outgrows_its_room() -> None:
    """A module over 1,200 lines holds more than one concept; it is split before it grows on
    (the generated data modules aside)."""
    long = {str(p.relative_to(PACKAGE)): n for p, _ in MODULES if p.name not in GENERATED
            and (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_longer_than_a_screenful() -> None:
    """A function over 80 lines does several things; each gets a name of its own."""
    long = [f"{p.relative_to(PACKAGE)}:{node.lineno} {node.name} "
            f"({node.end_lineno - node.lineno + 1} lines)"
            for p, _ in MODULES if p.name not in GENERATED
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno is not None
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
