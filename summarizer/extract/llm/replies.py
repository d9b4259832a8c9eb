"""What the LLM returns for one call, the checks that make it trustworthy, and grounding.

A call sends one or more consecutive chunks (summarizer.extract.llm.packing); their joined text is a
contiguous slice of the report, called the call text here (`chunk_text` in the validation
context, the name it had when a call was one chunk).

The response model is validated against the call text: a pydantic context `{"chunk_text": ...}`
or, during an instructor call, `checked_against(text)`. (instructor renders its messages as
Jinja templates whenever it is given a context, which would execute `{{ }}` in report text, so
the backend gives it none and sets the text here instead.) The validators enforce
the SPEC promises (a quote is a verbatim substring of the call text after whitespace trimming, a
metric's value is written inside its quote, enums are valid). Each error message is an
instruction, because instructor sends it back to the model as the re-ask prompt.

Offsets are never taken from the model: `locate()` finds each quote in the call text and
`output_item()` adds the slice's start, so `text[start:end] == quote` holds on the whole report.

The JSON schema is sent with every call, so it is kept lean: field names, types and enums
only (the system prompt says what the fields mean), with the item models written inline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass as plain_dataclass
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from summarizer.extract.llm.redact import redact
from summarizer.lexicon.numbers import value_in_quote
from summarizer.models import (
    Achievement,
    Category,
    Evidence,
    Horizon,
    Metric,
    Plan,
    Problem,
    Status,
)

__all__ = [
    "ITEM_MODELS",
    "MAX_FIELD_CHARS",
    "MAX_QUOTE_CHARS",
    "AchievementItem",
    "ChunkExtraction",
    "Located",
    "MetricItem",
    "PlanItem",
    "ProblemItem",
    "Salvaged",
    "checked_against",
    "entry_items",
    "items_from_entry",
    "locate",
    "output_item",
    "reply_payload",
    "salvage",
]

MAX_QUOTE_CHARS = 200  # the prompt asks for <= 120; a little slack before we reject
# The free-text fields are the model's own words, so an over-long one is cut, not re-asked:
# a server's 3.5-million-character "detail" must not reach the cache and every output.
MAX_FIELD_CHARS = {"title": 120, "detail": 500, "name": 60, "unit": 20, "period": 40}


@plain_dataclass(frozen=True)
class _CallCheck:
    text: str | None = None
    secrets: tuple[str, ...] = ()


_NO_CALL = _CallCheck()
_CALL: ContextVar[_CallCheck | None] = ContextVar("call_check", default=None)


@contextmanager
def checked_against(call_text: str, secrets: tuple[str, ...] = ()) -> Iterator[None]:
    """Validate quotes against `call_text`, and mask `secrets` in every string of the reply,
    in this thread, for validations given no context."""
    token = _CALL.set(_CallCheck(call_text, secrets))
    try:
        yield
    finally:
        _CALL.reset(token)


def _clean_field(value: Any, info: ValidationInfo) -> Any:
    """Every string of a reply, as it enters: the API key (or a prefix of it) masked, then cut
    to the field's cap. The one place a server's strings get in, so none reaches the cache,
    a file or the terminal unmasked."""
    if not isinstance(value, str):
        return value
    secrets = (info.context or {}).get("secrets", (_CALL.get() or _NO_CALL).secrets)
    value = redact(value, secrets)
    cap = MAX_FIELD_CHARS.get(info.field_name or "")
    if cap is not None and len(value) > cap:
        value = value[: cap - 1] + "…"
    return value


def _check_quote(quote: str, info: ValidationInfo) -> str:
    quote = quote.strip()
    if not quote:
        raise ValueError(
            "quote is empty: copy the sentence or clause of the text that states this item"
        )
    if len(quote) > MAX_QUOTE_CHARS:
        raise ValueError(
            f"quote has {len(quote)} characters: shorten it to the one clause "
            f"(at most 120 characters) that states this item, copied exactly"
        )
    chunk_text = (info.context or {}).get("chunk_text", (_CALL.get() or _NO_CALL).text)
    if chunk_text is not None and quote not in chunk_text:
        raise ValueError(
            f"quote {quote[:60]!r} is not a verbatim part of the text: copy the characters "
            "exactly as they appear (same digits, punctuation and wording; no paraphrase, no "
            "ellipsis, no joining of separate sentences), or remove this item"
        )
    return quote


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every `{"$ref": "#/$defs/X"}` replaced by X itself and `$defs` gone:
    each item model is used once, so references only add their names and paths."""
    defs = schema.pop("$defs", {})

    def expand(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return expand(defs[ref.rsplit("/", 1)[1]])
            return {key: expand(value) for key, value in node.items()}
        if isinstance(node, list):
            return [expand(value) for value in node]
        return node

    inlined: dict[str, Any] = expand(schema)
    return inlined


def _lean_schema(schema: dict[str, Any]) -> None:
    """Drop what the model does not need (titles, defaults, lengths the validators enforce):
    the schema is sent with every call and costs tokens. `required` still marks the optional."""
    for prop in schema.get("properties", {}).values():
        for noise in ("title", "default", "minLength"):
            prop.pop(noise, None)


def _lean_item_schema(schema: dict[str, Any]) -> None:
    _lean_schema(schema)
    schema.pop("title", None)  # the $defs key already names it


# The items are pydantic dataclasses rather than models because instructor walks the response
# model's classes, and every attribute of each model class, seven times per call (looking for
# async validators): with the four items as models that walk was 0.5 ms, a third of
# instructor's CPU per call, held under the GIL while the other calls wait; now it is 0.13 ms.
NonEmpty = Annotated[str, Field(min_length=1)]
_ITEM_CONFIG = ConfigDict(extra="ignore", json_schema_extra=_lean_item_schema)


@dataclass(config=_ITEM_CONFIG, kw_only=True)
class _Item:
    quote: str

    _clean = field_validator("*", mode="before")(_clean_field)
    _quote = field_validator("quote")(_check_quote)


@dataclass(config=_ITEM_CONFIG, kw_only=True)
class AchievementItem(_Item):
    title: NonEmpty
    detail: str = ""
    category: Category = "other"


@dataclass(config=_ITEM_CONFIG, kw_only=True)
class MetricItem(_Item):
    name: NonEmpty
    value: float
    unit: NonEmpty
    period: str | None = None
    status: Status = "actual"
    change_pct: float | None = None

    @model_validator(mode="after")
    def _figures_in_quote(self) -> MetricItem:
        if not value_in_quote(self.value, self.quote):
            raise ValueError(
                f"value {self.value:g} is not written in its quote {self.quote!r}: value must "
                "be the number exactly as written in the quote (4.01 for 4.01亿元); pick the "
                "quote that contains the figure"
            )
        if self.unit.strip() not in self.quote:
            raise ValueError(
                f"unit {self.unit!r} does not appear in the quote {self.quote!r}: give the "
                "unit exactly as written right after the number (亿元, 万元, %, 个 …)"
            )
        if self.change_pct is not None and not value_in_quote(abs(self.change_pct), self.quote):
            raise ValueError(
                f"change_pct {self.change_pct:g} is not written in the quote {self.quote!r}: "
                "use the year-on-year rate stated in the quote (negative for 下降/减少), or null"
            )
        return self


@dataclass(config=_ITEM_CONFIG, kw_only=True)
class ProblemItem(_Item):
    title: NonEmpty
    detail: str = ""


@dataclass(config=_ITEM_CONFIG, kw_only=True)
class PlanItem(_Item):
    title: NonEmpty
    detail: str = ""
    horizon: Horizon = "unspecified"


class ChunkExtraction(BaseModel):
    """Items stated in the text."""  # the tool description; instructor's default is longer

    model_config = ConfigDict(extra="ignore", json_schema_extra=_lean_schema)

    achievements: list[AchievementItem] = Field(default_factory=list)
    metrics: list[MetricItem] = Field(default_factory=list)
    problems: list[ProblemItem] = Field(default_factory=list)
    plans: list[PlanItem] = Field(default_factory=list)

    @field_validator("achievements", "metrics", "problems", "plans", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value  # some models write null for "none found"

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return _inline_refs(super().model_json_schema(*args, **kwargs))


ITEM_MODELS: dict[str, type[_Item]] = {
    "achievements": AchievementItem,
    "metrics": MetricItem,
    "problems": ProblemItem,
    "plans": PlanItem,
}
_ITEM_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    kind: TypeAdapter(model) for kind, model in ITEM_MODELS.items()
}


@plain_dataclass
class Salvaged:
    extraction: ChunkExtraction
    dropped: int


def salvage(payload: Any, chunk_text: str, secrets: tuple[str, ...] = ()) -> Salvaged | None:
    """Keep, from a reply that failed validation as a whole, only the items that validate
    (their strings cleaned of `secrets`). None when the payload is not a JSON object."""
    if not isinstance(payload, dict):
        return None
    kept: dict[str, list[Any]] = {key: [] for key in ITEM_MODELS}
    dropped = 0
    for key, adapter in _ITEM_ADAPTERS.items():
        raw_items = payload.get(key) or []
        if not isinstance(raw_items, list):
            dropped += 1
            continue
        for raw in raw_items:
            try:
                context = {"chunk_text": chunk_text, "secrets": secrets}
                kept[key].append(adapter.validate_python(raw, context=context))
            except ValidationError:
                dropped += 1
    return Salvaged(ChunkExtraction.model_validate(kept), dropped)


def reply_payload(completion: Any) -> Any:
    """The JSON object in a chat completion (tool-call arguments or message content)."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None) or []
    text = calls[0].function.arguments if calls else (message.content or "")
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1)
    for candidate in (text, text[text.find("{") : text.rfind("}") + 1]):
        try:
            return json.loads(candidate)
        except (json.JSONDecodeError, TypeError):
            continue
    return None


def _find_near(haystack: str, needle: str, hint: int) -> int:
    """The occurrence of `needle` at or after `hint`, else the first one (-1 if none).

    Models list items in reading order, so the previous item's position is a good hint when a
    quote ("同比增长5%") occurs more than once in the chunk."""
    after = haystack.find(needle, hint)
    return after if after >= 0 else haystack.find(needle)


@plain_dataclass(frozen=True)
class Located:
    """An item of a reply and where its quote starts in the call text."""

    kind: str  # "achievements" | "metrics" | "problems" | "plans"
    item: _Item
    pos: int


def locate(extraction: ChunkExtraction, chunk_text: str) -> tuple[list[Located], int]:
    """Each item with its quote's position in the call text; returns (located, items dropped)."""
    located: list[Located] = []
    dropped = 0
    for kind in ITEM_MODELS:
        hint = 0
        for item in getattr(extraction, kind):
            pos = _find_near(chunk_text, item.quote, hint)
            if pos < 0:  # validated without a chunk context; never emit ungrounded evidence
                dropped += 1
                continue
            hint = pos
            located.append(Located(kind, item, pos))
    return located, dropped


def _fields(item: _Item) -> dict[str, Any]:
    # The fields are all scalars, so a shallow copy will do (dataclasses.asdict deep-copies).
    return dict(vars(item))


def output_item(kind: str, item: _Item, start: int) -> Any:
    """The output-model item (Achievement, Metric …) for `item`, its quote at report `start`."""
    evidence = Evidence(quote=item.quote, start=start, end=start + len(item.quote))
    fields = _fields(item)
    del fields["quote"]
    return _OUTPUT[kind](**fields, evidence=evidence)


def entry_items(located: Sequence[Located], chunk_pos: int) -> dict[str, list[dict[str, Any]]]:
    """The cache form of one chunk's items: each reply item plus `at`, its quote's offset from
    the chunk's start (`chunk_pos` in the call text)."""
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in ITEM_MODELS}
    for found in located:
        out[found.kind].append({**_fields(found.item), "at": found.pos - chunk_pos})
    return out


def items_from_entry(
    entry: Any, text: str, chunk_start: int, secrets: tuple[str, ...] = ()
) -> dict[str, list[Any]] | None:
    """Output-model items from `entry_items` output, re-validated against the report `text`
    (and cleaned of `secrets`: a cache written by an older version may hold one); None when
    anything no longer holds (the entry is then treated as missing)."""
    if not isinstance(entry, dict):
        return None
    out: dict[str, list[Any]] = {key: [] for key in ITEM_MODELS}
    try:
        for kind, adapter in _ITEM_ADAPTERS.items():
            for raw in entry.get(kind, []):
                start = chunk_start + int(raw["at"])
                quote = str(raw["quote"])
                if start < 0 or text[start : start + len(quote)] != quote:
                    return None
                context = {"chunk_text": quote, "secrets": secrets}
                item = adapter.validate_python(raw, context=context)
                out[kind].append(output_item(kind, item, start))
    except (KeyError, TypeError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    return out


_OUTPUT: dict[str, type[BaseModel]] = {
    "achievements": Achievement,
    "metrics": Metric,
    "problems": Problem,
    "plans": Plan,
}
