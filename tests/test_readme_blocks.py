"""The README's shell examples work as written: run in order in a fresh copy of the repository, in this virtual environment.

Every command of the README's ```bash, ```sh and ```console blocks (in a console block, the lines that begin
with "$ ") runs in a copy of the repository's files, with this virtual environment's bin first on PATH as
`source .venv/bin/activate` puts it; `.venv` in the copy is this environment. Only the commands in SKIPPED
are left out, each with its reason. Each must end with exit status 0 (or the one in EXIT_STATUS), and where
the README shows the output (a ```text block right after the shell block that the prose calls output, or the
lines under a "$ " command), its lines must appear in what the command printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# What the test does not run: the commands that install or that never end. Pattern → reason.
SKIPPED = {
    r"^python3? -m venv\b": "creates the virtual environment; the test runs in the one it would create",
    r"\bpip install\b": "installs sovmap into that environment; the test uses the sovmap installed there",
    r"^bash \.ci/run\b": "installs the test tools and runs the whole test suite, this test included",
    r"^sovmap dashboard\b(?!.*--help)": "starts the dashboard's web server, which runs until it is stopped",
}
# A command whose documented exit status is not 0: pattern → status. (None in today's README.)
EXIT_STATUS: dict[str, int] = {}
SHELLS = ("bash", "sh", "console", "shell")


@dataclass
class Command:
    line: str  # the command as the README writes it
    expected: list[str] = field(default_factory=list)  # lines of output the README shows for it


def skip_reason(command: str) -> str | None:
    return next((why for pattern, why in SKIPPED.items() if re.search(pattern, command)), None)


def readme_commands(text: str) -> list[Command]:
    """The README's shell commands in order, each ``a && b`` part on its own, with the output shown for them.

    >>> cmds = readme_commands("```bash\\npip install x && sovmap show --demo\\n```\\nIts output:\\n```text\\nItems\\n```\\n")
    >>> [(c.line, c.expected) for c in cmds]
    [('pip install x', []), ('sovmap show --demo', ['Items'])]
    >>> [(c.line, c.expected) for c in readme_commands("```console\\n$ sovmap a\\nfirst\\n...\\n$ sovmap b\\n```")]
    [('sovmap a', ['first']), ('sovmap b', [])]
    """
    blocks = list(re.finditer(r"^```(\w*)[^\n]*\n(.*?)^```", text, re.M | re.S))
    out: list[Command] = []
    for i, block in enumerate(blocks):
        lang, body = block.group(1).lower(), block.group(2)
        if lang not in SHELLS:
            continue
        cmds: list[Command] = []
        if lang == "console":
            for line in body.splitlines():
                if line.startswith("$ "):
                    cmds.extend(Command(part) for part in _parts(line[2:]))
                elif cmds and line.strip() and line.strip() not in ("...", "…"):
                    cmds[-1].expected.append(line.strip())
        else:
            for line in body.splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    cmds.extend(Command(part) for part in _parts(line))
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        between = text[block.end():nxt.start()] if nxt else ""
        if (nxt and nxt.group(1).lower() == "text" and "output" in between.lower()
                and not re.search(r"^#", between, re.M)):
            ran = [c for c in cmds if skip_reason(c.line) is None]
            if ran:
                ran[-1].expected += [ln.strip() for ln in nxt.group(2).splitlines()
                                     if ln.strip() and ln.strip() not in ("...", "…")]
        out.extend(cmds)
    return out


def _parts(line: str) -> list[str]:
    line = line.split(" #")[0].strip()  # a trailing comment
    return [p.strip() for p in line.split(" && ") if p.strip()]


def _fresh_copy(target: Path) -> None:
    """The repository's files as a clone has them (tracked, and new ones not ignored), without build output."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)


def test_parser_examples():
    import doctest

    result = doctest.testmod(sys.modules[__name__])
    assert result.attempted >= 2 and result.failed == 0


def test_the_readme_shows_commands_to_run():
    cmds = readme_commands(README.read_text("utf-8"))
    ran = [c for c in cmds if skip_reason(c.line) is None]
    assert len(ran) >= 5 and any(c.expected for c in ran)
    assert all(skip_reason(c.line) for c in cmds if "pip install" in c.line or c.line.startswith("bash .ci/run"))
    assert any(c.line.startswith("sovmap demo") for c in ran)  # the examples' inputs come from the installed package


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="the README's commands run in the virtual environment "
                    "that its first command creates; this Python is not a virtual environment")
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="a fresh clone is made from the git checkout")
def test_readme_commands_run_in_order_from_a_fresh_copy(tmp_path):
    repo = tmp_path / "sovmap"
    repo.mkdir()
    _fresh_copy(repo)
    venv = Path(sys.prefix)
    (repo / ".venv").symlink_to(venv, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOVMAP_")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv), NO_COLOR="1")
    ran = 0
    for cmd in readme_commands(README.read_text("utf-8")):
        if skip_reason(cmd.line):
            continue
        result = subprocess.run(["bash", "-c", cmd.line], cwd=repo, env=env, capture_output=True, text=True,
                                timeout=180)
        status = next((s for pattern, s in EXIT_STATUS.items() if re.search(pattern, cmd.line)), 0)
        output = result.stdout + result.stderr
        assert result.returncode == status, f"README command {cmd.line!r} ended with {result.returncode}:\n{output}"
        shown = {line.strip() for line in output.splitlines()}
        missing = [line for line in cmd.expected if line not in shown]
        assert not missing, f"README command {cmd.line!r} did not print {missing}:\n{result.stdout}"
        ran += 1
    assert ran >= 5
