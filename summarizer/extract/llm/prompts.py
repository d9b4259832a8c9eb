"""Prompt templates: plain files under `prompts/`, rendered per call, versioned by content.

A call (summarizer.extract.llm.packing) holds consecutive chunks; the user message is one block per chunk,
rendered from `extract_user.md` with the chunk's section path, role and verbatim text, and the
blocks are joined by a blank line. The system prompt is sent as it is.

`prompt_version` is `p1:` + 12 hex of SHA-256 over canonical JSON of the template files, the
response model's JSON schema and the instructor mode, so editing a prompt, a field or the mode
changes it. It goes into `run.prompt_version` and into every cache key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from summarizer.errors import ConfigError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from summarizer.read.chunking import Chunk

__all__ = [
    "PROMPTS_DIR",
    "PromptSet",
    "fence_width",
    "fenced",
    "load_prompts",
    "prompt_version",
    "split_fenced",
]


def _prompts_dir() -> Path:
    """`prompts/` of the checkout, or its copy inside an installed wheel (summarizer/_prompts)."""
    package = Path(__file__).resolve().parents[2]  # summarizer/
    installed = package / "_prompts"
    return installed if installed.is_dir() else package.parent / "prompts"


PROMPTS_DIR = _prompts_dir()
SYSTEM_FILE = "extract_system.md"
USER_FILE = "extract_user.md"


_ANGLE_RUN = re.compile(r"<+|>+")


def fence_width(*texts: str) -> int:
    """A fence longer than any run of < or > in the texts: report text cannot close it early
    and go on to speak as the prompt."""
    longest = max((len(m.group()) for t in texts for m in _ANGLE_RUN.finditer(t)), default=0)
    return max(4, longest + 1)


def fenced(label: str, text: str, width: int) -> str:
    """`text` verbatim between a `<<<< label` line and a `>>>>` line of `width` characters."""
    return f"{'<' * width} {label}\n{text}\n{'>' * width}"


_OPEN = re.compile(r"^(<{4,}) (\w+)\n", re.M)


def split_fenced(content: str) -> tuple[list[tuple[str, str]], str]:
    """Inverse of `fenced` over a whole message: ([(label, text) …], what lies outside)."""
    blocks: list[tuple[str, str]] = []
    outside: list[str] = []
    pos = 0
    while (m := _OPEN.search(content, pos)) is not None:
        close = "\n" + ">" * len(m.group(1))
        end = content.find(close, m.end() - 1)
        if end < 0:
            break
        outside.append(content[pos : m.start()])
        blocks.append((m.group(2), content[m.end() : end] if end >= m.end() else ""))
        pos = end + len(close)
    outside.append(content[pos:])
    return blocks, "".join(outside)


@dataclass(frozen=True)
class PromptSet:
    system: str
    user: str  # string.Template for one chunk's block, with $section, $role, $chunk

    def block(self, chunk: Chunk) -> str:
        """One chunk's part of the user message. The section path (the report's own heading
        text) and the chunk text are report data, so each sits inside its own fence."""
        section = " > ".join(chunk.section_path) or "(none)"
        width = fence_width(section, chunk.text)
        return Template(self.user).substitute(
            section=fenced("section", section, width),
            role=chunk.role,
            chunk=fenced("text", chunk.text, width),
        )

    def chat(self, blocks: Sequence[str]) -> list[dict[str, str]]:
        """Chat messages for chunk blocks already rendered with `block`."""
        user = "\n\n".join(blocks)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def files(self) -> dict[str, str]:
        return {SYSTEM_FILE: self.system, USER_FILE: self.user}


def load_prompts(folder: Path = PROMPTS_DIR) -> PromptSet:
    texts = {}
    for name in (SYSTEM_FILE, USER_FILE):
        try:
            texts[name] = (folder / name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{folder / name}: prompt file unreadable ({exc.strerror})") from None
    user = texts[USER_FILE]
    missing = [v for v in ("$section", "$role", "$chunk") if v not in user]
    if missing:
        raise ConfigError(f"{folder / USER_FILE}: template lacks {', '.join(missing)}")
    return PromptSet(system=texts[SYSTEM_FILE], user=user)


def prompt_version(prompts: PromptSet, response_model: type[BaseModel], mode: str) -> str:
    payload = {
        "files": prompts.files(),
        "schema": response_model.model_json_schema(),
        "mode": mode,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "p1:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
