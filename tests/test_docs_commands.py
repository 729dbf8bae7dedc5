"""Every ``hwspec`` command that README.md and docs/*.md show runs as written from a clone.

The conventions the pages follow (CONTRIBUTING.md, "Commands in the docs"):

- A command is a line of a ```sh or ```console block that begins with ``hwspec`` or
  ``python -m hwspec`` (a ``\\`` at the end of a line continues it). Other lines (``pip``,
  ``check-jsonschema``, a profiler) are not hwspec commands and are not run.
- A ```console block is a session: each ``$ `` line is a command and the lines after it, up to the
  next ``$ `` line, are what it prints (stdout and stderr, as a terminal shows them). A command
  with no lines after it shows no output. A ```sh block holds commands only.
- A command exits 0 unless its trailing comment says ``exit N``.
- A block that must not run (it installs into a new environment, or needs a file the clone does
  not hold) has ``<!-- not run: why -->`` on the line before its fence.

Each command runs in-process (click's ``CliRunner``) in a temporary folder that holds copies of
the folders it names, so a command that writes a file writes it there. ``< FILE`` feeds a file to
standard input and ``> FILE`` writes standard output to one; nothing else of a shell is read.

``HWSPEC_REGENERATE_DOCS=1 pytest tests/test_docs_commands.py`` rewrites the shown outputs from
what the commands print now; run it after a change that alters output, never edit them by hand.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import ROOT, invoke

REGENERATE = "HWSPEC_REGENERATE_DOCS"
PAGES = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)(.*)$")
NOT_RUN = re.compile(r"^<!-- not run: (\S.*?) -->$")
PROGRAM = re.compile(r"^(?:hwspec|python3? -m hwspec)(?:\s|$)")
EXIT = re.compile(r"\bexit (\d+)\b")
# hwspec run as a program anywhere in a line: `hwspec validate`, `.venv/bin/hwspec validate`.
MENTION = re.compile(r"(?:^|[\s/])hwspec\s+[\w-]|-m hwspec\b")
# The environment a user's terminal may set that changes what hwspec prints.
CLEAN_ENV: dict[str, str | None] = dict.fromkeys(
    ("GITHUB_ACTIONS", "HWSPEC_OUTPUT_FORMAT", "NO_COLOR", "FORCE_COLOR", "CI"))


@dataclass(frozen=True)
class Command:
    """One documented command: where it is, what it says, what it shows."""

    page: Path
    line: int                        # 1-based line of the command on the page
    ordinal: int                     # its place among the page's commands
    text: str                        # the command as shown, continuation lines joined
    session: bool                    # in a ```console block
    shown: tuple[str, ...]           # the output lines shown after it (a session only)
    output_lines: tuple[int, int]    # 0-based [start, end) of those lines on the page

    @property
    def id(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page.name
        return f"{page}:{self.line} {self.text.split(' #')[0].strip()}"


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int                        # 1-based line of the opening fence
    info: str
    body: tuple[str, ...]
    not_run: str | None              # the reason given, for a block marked not to run


def blocks(page: Path) -> list[Block]:
    """The page's fenced code blocks, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        fence = opening.group(1)
        end = i + 1
        while end < len(lines) and not lines[end].startswith(fence):
            end += 1
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marked = NOT_RUN.match(before.strip())
        found.append(Block(page, i + 1, opening.group(2), tuple(lines[i + 1:end]),
                           marked.group(1) if marked else None))
        i = end + 1
    return found


def _joined(body: tuple[str, ...], start: int) -> tuple[str, int]:
    """The logical line starting at ``body[start]`` with its ``\\`` continuations, and the index
    after it."""
    text, i = body[start].rstrip(), start
    while text.endswith("\\") and i + 1 < len(body):
        i += 1
        text = text[:-1].rstrip() + " " + body[i].strip()
    return text, i + 1


def commands(page: Path) -> list[Command]:
    """Every hwspec command of the page's ```sh and ```console blocks not marked not run."""
    found: list[Command] = []
    for block in blocks(page):
        if block.info not in ("sh", "console") or block.not_run is not None:
            continue
        body, i = block.body, 0
        while i < len(body):
            start = i
            text, i = _joined(body, i)
            if block.info == "console":
                if not text.startswith("$ "):
                    continue
                text = text[2:]
                end = i
                while end < len(body) and not body[end].startswith("$ "):
                    end += 1
                shown, span = body[i:end], (block.line + i, block.line + end)
                i = end
            else:
                shown, span = (), (0, 0)
            if PROGRAM.match(text.strip()):
                found.append(Command(page, block.line + 1 + start, len(found), text.strip(),
                                     block.info == "console", tuple(shown), span))
    return found


ALL = [command for page in PAGES for command in commands(page)]


@dataclass(frozen=True)
class Invocation:
    """How to run a command: its arguments, standard input and output, and the exit code the
    docs state."""

    args: tuple[str, ...]
    stdin: str | None
    stdout: str | None
    exit_code: int


def invocation(command: Command) -> Invocation:
    """Read the command as a shell would, for the few shell forms the docs use."""
    comment = re.search(r"(?:^|\s)#(.*)$", command.text)
    expected = EXIT.search(comment.group(1)) if comment else None
    lexer = shlex.shlex(command.text, posix=True, punctuation_chars="<>|&;()")
    lexer.whitespace_split = True
    tokens = list(lexer)
    words, stdin, stdout = [], None, None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("<", ">") and i + 1 < len(tokens):
            if token == "<":
                stdin = tokens[i + 1]
            else:
                stdout = tokens[i + 1]
            i += 2
            continue
        assert not set(token) <= set("<>|&;()"), (
            f"{command.id}: `{token}` is more shell than the docs' commands use "
            "(hwspec ARGS [< FILE] [> FILE])")
        words.append(token)
        i += 1
    args = words[3:] if words[0].startswith("python") else words[1:]
    return Invocation(tuple(args), stdin, stdout, int(expected.group(1)) if expected else 0)


def _clone(run: Invocation, folder: Path) -> None:
    """Copy into ``folder`` what the command names: for a file, its whole folder (a config names
    its neighbours), for a folder, itself; and the repository's pyproject.toml."""
    shutil.copy2(ROOT / "pyproject.toml", folder / "pyproject.toml")
    for word in (*run.args, run.stdin or ""):
        for candidate in {word, word.partition("=")[2]} - {""}:
            path = ROOT / candidate
            if candidate.startswith("-") or not path.exists() or path.resolve() == ROOT:
                continue
            source = path if path.is_dir() else path.parent
            if source.resolve() == ROOT:
                shutil.copy2(path, folder / candidate)
                continue
            relative = source.resolve().relative_to(ROOT)
            shutil.copytree(source, folder / relative, dirs_exist_ok=True)


def _printed(result: Result, run: Invocation) -> str:
    """What a terminal shows: stdout and stderr interleaved, or stderr alone when stdout is
    redirected."""
    return result.stderr if run.stdout else result.output


def _normalise(text: str, folder: Path) -> list[str]:
    """The printed lines, with the temporary folder's path shown as the clone's ``.``."""
    return [line.rstrip() for line in text.replace(str(folder), ".").splitlines()]


@pytest.mark.parametrize("command", ALL, ids=[command.id for command in ALL])
def test_documented_command_runs(command: Command, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The command exits with the code the docs state, prints no traceback, and prints what the
    docs show."""
    run = invocation(command)
    _clone(run, tmp_path)
    monkeypatch.chdir(tmp_path)
    stdin = (tmp_path / run.stdin).read_text(encoding="utf-8") if run.stdin else None
    result = invoke(run.args, input=stdin, env=CLEAN_ENV)
    if run.stdout and run.stdout != "/dev/null":
        (tmp_path / run.stdout).write_text(result.stdout, encoding="utf-8")
    printed = _normalise(_printed(result, run), tmp_path)
    context = f"{command.id}\n--- printed:\n" + "\n".join(printed)

    assert "Traceback (most recent call last)" not in result.output, context
    assert result.exit_code == run.exit_code, context
    if command.shown:
        if os.environ.get(REGENERATE):
            _rewrite(command, printed)
            pytest.skip(f"regenerated {command.id}; run again without {REGENERATE} to check it")
        assert printed == list(command.shown), (
            f"{context}\n--- shown; run `{REGENERATE}=1 pytest tests/test_docs_commands.py`")


def _rewrite(command: Command, printed: list[str]) -> None:
    """Replace the output the page shows after the command with ``printed``, finding the command
    again by its place on the page as it is now."""
    current = commands(command.page)[command.ordinal]
    assert current.text == command.text, f"{command.id}: the page changed under the run"
    lines = command.page.read_text(encoding="utf-8").splitlines()
    start, end = current.output_lines
    lines[start:end] = printed
    command.page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_readme_seed_session_is_read_with_its_output_and_exit_code() -> None:
    """The README's first session is found: the seed's validate, expected to exit 1, showing the
    seed's findings first."""
    seed = next(c for c in ALL if c.page.name == "README.md" and c.session)

    assert (seed.text.split(" #")[0].rstrip(), invocation(seed).exit_code,
            seed.shown[0].split()[:2]) == (
        "hwspec validate specs/epyc-dual.toml", 1, ["specs/epyc-dual.toml:8:1:", "CST002"])


def test_sessions_are_console_blocks() -> None:
    """A `$ hwspec` line appears only in a ```console block, so every shown output is read one
    way."""
    elsewhere = [f"{block.page.relative_to(ROOT)}:{block.line} ({block.info or 'no info'})"
                 for page in PAGES for block in blocks(page) if block.info != "console"
                 and any(PROGRAM.match(line.removeprefix("$ ")) and line.startswith("$ ")
                         for line in block.body)]

    assert elsewhere == []


def test_not_run_markers_stand_before_commands() -> None:
    """Each `<!-- not run: why -->` stands before a shell block that runs hwspec, so a marker
    never outlives what it excused."""
    stale = [f"{block.page.relative_to(ROOT)}:{block.line}" for page in PAGES
             for block in blocks(page) if block.not_run is not None
             and not (block.info in ("sh", "console")
                      and any(MENTION.search(line) for line in block.body))]

    assert stale == []


def test_every_hwspec_line_of_a_shell_block_is_run_or_marked() -> None:
    """A command line of an unmarked shell block that runs hwspec is one of the commands run: a
    chain (`&&`) or a path to the program would otherwise go unchecked."""
    run = {(c.page, c.line) for c in ALL}
    unread = [f"{block.page.relative_to(ROOT)}:{block.line + 1 + i}: {line.strip()}"
              for page in PAGES for block in blocks(page)
              if block.info in ("sh", "console") and block.not_run is None
              for i, line in enumerate(block.body)
              if (block.info == "sh" or line.startswith("$ "))
              and MENTION.search(line.split(" #")[0])
              and (block.page, block.line + 1 + i) not in run
              and (i == 0 or not block.body[i - 1].rstrip().endswith("\\"))]

    assert unread == []


PAGE = """\
Some prose.

```console
$ hwspec validate a.toml   # exit 1
a.toml: FAILED
$ hwspec rules \\
    --rules p.toml
MEM001
```

```sh
pip install hwspec
hwspec validate - --stdin-filename a.toml < a.toml   # read from standard input
hwspec schema > s.json
```

<!-- not run: a synopsis -->
```sh
hwspec model import FILE.gguf
```
"""


def test_pages_are_read_by_the_documented_conventions(tmp_path: Path) -> None:
    """Console lines after a `$ ` command are its output, a trailing backslash continues a line,
    non-hwspec lines and marked blocks are left out, and `exit N`, `<` and `>` are read."""
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    found = commands(page)

    assert [(c.line, c.text, c.shown, invocation(c)) for c in found] == [
        (4, "hwspec validate a.toml   # exit 1", ("a.toml: FAILED",),
         Invocation(("validate", "a.toml"), None, None, 1)),
        (6, "hwspec rules --rules p.toml", ("MEM001",),
         Invocation(("rules", "--rules", "p.toml"), None, None, 0)),
        (13, "hwspec validate - --stdin-filename a.toml < a.toml   # read from standard input", (),
         Invocation(("validate", "-", "--stdin-filename", "a.toml"), "a.toml", None, 0)),
        (14, "hwspec schema > s.json", (), Invocation(("schema",), None, "s.json", 0))]
