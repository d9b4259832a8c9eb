"""A scripted OpenAI-compatible chat server on 127.0.0.1 for tests and benchmarks.

    with ScriptedServer() as server:
        server.enqueue(Row(status=429, headers={"Retry-After": "1"}))
        ... point the openai backend at server.url ...
        assert len(server.requests) == 2

A request's text is its chunks' `text` blocks (fenced, see summarizer.extract.llm.prompts) joined: the
report slice the call covers.
Each request takes the first queued Row whose `match` occurs in the request's text (a sticky
row stays queued); with no row it answers with a valid extraction derived from the text itself
(first sentence → achievement, "数字+亿元" → metric, 不足/问题 sentence → problem, 明年/将 …
sentence → plan), so whole batches work. Replies follow the request's shape: a tool call when
the request has `tools`, JSON content otherwise (fenced for md_json, which has no
response_format). Every request body is recorded. Usage counts tokens with `estimate_tokens`.

It also speaks the Files and Batches API (/v1/files, /v1/batches: create, retrieve, cancel,
list; file content). A batch is `validating` when created, `in_progress` from its first
retrieve, and ends after `BatchScript.polls` more retrieves (never while `hold` is set):
`completed`, `expired` (lines after the first `answered` go to the error file as
batch_expired) or `failed` (no output). Each line takes a Row as a chat request would, so
per-line faults are scripted the same way: a status other than 200 puts the line in the error
file, `expire` leaves it unanswered. Lines answered in batches are recorded in
`batch_requests`, never in `requests` (the live chat completions).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from summarizer.extract.llm.prompts import split_fenced

__all__ = [
    "BatchScript",
    "Row",
    "ScriptedServer",
    "default_extraction",
    "estimate_tokens",
    "request_blocks",
    "request_chunk",
]


def estimate_tokens(text: str) -> float:
    """A consistent token estimate: one per CJK character, four other characters per token."""
    cjk = sum(1 for c in text if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return cjk + (len(text) - cjk) / 4


@dataclass
class Row:
    """One scripted answer. Exactly one of the fault fields is normally set."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    sleep: float = 0.0  # seconds before answering (a timeout when past the client's)
    trickle: float = 0.0  # headers at once, then the body one byte per `trickle` seconds
    malformed: bool = False  # the reply is not JSON
    bad_quote: bool = False  # the first achievement's quote is not in the chunk
    payload: dict[str, Any] | None = None  # the extraction to return, as given
    match: str | None = None  # only for requests whose chunk contains this
    sticky: bool = False  # stays queued: answers every matching request
    expire: bool = False  # in a batch: the line is left unanswered (batch_expired)


@dataclass
class BatchScript:
    """How a batch behaves (the next one created takes the first queued)."""

    outcome: str = "completed"  # completed | expired | failed
    polls: int = 1  # retrieves it stays in_progress before it ends
    answered: int | None = None  # expired: lines answered before the window closed


def request_blocks(body: dict[str, Any]) -> list[str]:
    """The chunk texts of a request: each fenced `text` block of the first user message."""
    for message in body.get("messages", []):
        if message.get("role") == "user":
            content = message.get("content") or ""
            if isinstance(content, list):
                content = "".join(part.get("text", "") for part in content)
            blocks, _ = split_fenced(content)
            return [text for label, text in blocks if label == "text"] or [content]
    return []


def request_chunk(body: dict[str, Any]) -> str:
    """The text of a request: its chunks joined, the report slice the call covers."""
    return "".join(request_blocks(body))


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[。；;\n]", text) if 4 <= len(c.strip()) <= 110]


def default_extraction(chunk: str) -> dict[str, Any]:
    """A valid extraction that a careful model could give for `chunk`."""
    clauses = _clauses(chunk)
    out: dict[str, Any] = {"achievements": [], "metrics": [], "problems": [], "plans": []}
    if clauses:
        out["achievements"].append(
            {"title": clauses[0][:20], "category": "other", "quote": clauses[0]}
        )
    for m in re.finditer(r"([^，。；、\n0-9]{2,12})(\d+(?:\.\d+)?)亿元", chunk):
        clause = next((c for c in clauses if m.group(0) in c), m.group(0))
        out["metrics"].append(
            {"name": m.group(1), "value": float(m.group(2)), "unit": "亿元", "quote": clause}
        )
    for c in clauses:
        if re.search(r"不足|问题|短板", c):
            out["problems"].append({"title": c[:20], "quote": c})
        elif re.search(r"明年|下一步|将", c):
            out["plans"].append({"title": c[:20], "horizon": "next_year", "quote": c})
    return out


class ScriptedServer:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency  # added to every answer (benchmarks)
        self.script: list[Row] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.times: list[float] = []  # time.monotonic() of each request's arrival
        self.record: Any = None  # a text file to append each request body to, as JSON lines
        self.files: dict[str, dict[str, Any]] = {}  # id → file object plus its "data"
        self.batches: dict[str, dict[str, Any]] = {}  # id → batch object
        self.batch_scripts: list[BatchScript] = []
        self.batch_requests: list[dict[str, Any]] = []  # bodies of lines answered in batches
        self.batch_creations = 0
        self.hold = threading.Event()  # set: batches stay in_progress
        self._runs: dict[str, tuple[BatchScript, int]] = {}  # batch id → script, polls left
        self.lock = threading.Lock()
        self._arrival = threading.local()  # when the handler thread got its request's headers
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def enqueue(self, *rows: Row) -> None:
        with self.lock:
            self.script.extend(rows)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _take(self, chunk: str) -> Row:
        with self.lock:
            for i, row in enumerate(self.script):
                if row.match is None or row.match in chunk:
                    return row if row.sticky else self.script.pop(i)
        return Row()

    def answer(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        # Latency counts from the request's arrival, before its body is read and parsed: this
        # server's own Python work is part of the answer time, as a model's would be.
        arrived = getattr(self._arrival, "time", None) or time.monotonic()
        chunk = request_chunk(body)
        with self.lock:
            self.requests.append(body)
            self.headers.append(headers)
            self.times.append(arrived)
            if self.record is not None:
                self.record.write(json.dumps(body, ensure_ascii=False) + "\n")
                self.record.flush()
        row = self._take(chunk)
        self._arrival.trickle = row.trickle
        reply = self._reply(body, chunk, row)
        # The answer leaves `latency` (+ the row's sleep) after the request arrived: the time
        # this server spends building it is part of that, as a model's would be.
        time.sleep(max(0.0, arrived + self.latency + row.sleep - time.monotonic()))
        return reply

    def _reply(
        self, body: dict[str, Any], chunk: str, row: Row
    ) -> tuple[int, dict[str, str], bytes]:
        if row.status != 200:
            error = {"error": {"message": f"scripted {row.status}", "type": "scripted"}}
            return row.status, row.headers, json.dumps(error).encode()
        payload = row.payload if row.payload is not None else default_extraction(chunk)
        if row.bad_quote:
            payload = json.loads(json.dumps(payload))
            payload.setdefault("achievements", []).insert(
                0, {"title": "编造", "category": "other", "quote": "这句话不在原文里出现过"}
            )
        text = "{not json" if row.malformed else json.dumps(payload, ensure_ascii=False)
        return 200, row.headers, json.dumps(self._completion(body, text)).encode()

    def _completion(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": None}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message["tool_calls"] = [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": text}}
            ]
        elif body.get("response_format"):
            message["content"] = text
        else:
            message["content"] = f"```json\n{text}\n```"
        sent = json.dumps(
            [body.get("messages"), body.get("tools"), body.get("response_format")],
            ensure_ascii=False,
        )
        prompt, completion = int(estimate_tokens(sent)), int(estimate_tokens(text))
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "test"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }

    # --- Files and Batches API -------------------------------------------------------------

    def _new_file(self, name: str, purpose: str, data: bytes) -> dict[str, Any]:
        with self.lock:
            fid = f"file-{len(self.files) + 1:04d}"
            self.files[fid] = {
                "id": fid,
                "object": "file",
                "bytes": len(data),
                "created_at": int(time.time()),
                "filename": name,
                "purpose": purpose,
                "status": "processed",
                "data": data,
            }
        return self.files[fid]

    def upload(self, content_type: str, body: bytes) -> tuple[int, Any]:
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True)
            fields[str(name)] = (part.get_filename(), data if isinstance(data, bytes) else b"")
        if "file" not in fields:
            return 400, {"error": {"message": "no file", "type": "invalid_request_error"}}
        name, data = fields["file"]
        purpose = fields.get("purpose", (None, b""))[1].decode()
        stored = self._new_file(name or "upload.jsonl", purpose, data)
        return 200, {k: v for k, v in stored.items() if k != "data"}

    def create_batch(self, body: dict[str, Any]) -> tuple[int, Any]:
        fid = body.get("input_file_id")
        if fid not in self.files:
            return 404, {"error": {"message": f"no file {fid}", "type": "invalid_request_error"}}
        lines = [x for x in self.files[fid]["data"].decode().splitlines() if x.strip()]
        with self.lock:
            self.batch_creations += 1
            bid = f"batch_{self.batch_creations:04d}"
            script = self.batch_scripts.pop(0) if self.batch_scripts else BatchScript()
            self._runs[bid] = (script, script.polls)
            self.batches[bid] = {
                "id": bid,
                "object": "batch",
                "endpoint": body.get("endpoint"),
                "input_file_id": fid,
                "completion_window": body.get("completion_window", "24h"),
                "status": "validating",
                "created_at": int(time.time()),
                "metadata": body.get("metadata"),
                "output_file_id": None,
                "error_file_id": None,
                "errors": None,
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            }
        return 200, self.batches[bid]

    def retrieve_batch(self, bid: str) -> tuple[int, Any]:
        if bid not in self.batches:
            return 404, {"error": {"message": f"no batch {bid}", "type": "invalid_request_error"}}
        batch = self.batches[bid]
        script, polls = self._runs[bid]
        status = batch["status"]
        if status == "validating":
            if script.outcome == "failed":
                batch["status"] = "failed"
                batch["errors"] = {
                    "object": "list",
                    "data": [{"code": "invalid_request", "message": "scripted failure"}],
                }
            else:
                batch["status"] = "in_progress"
        elif status == "in_progress" and not self.hold.is_set():
            if polls > 0:
                self._runs[bid] = (script, polls - 1)
            else:
                self._run_lines(batch, script)
                batch["status"] = "finalizing"
        elif status == "finalizing":
            batch["status"] = "expired" if script.outcome == "expired" else "completed"
        elif status == "cancelling":
            batch["status"] = "cancelled"
        return 200, batch

    def _run_lines(self, batch: dict[str, Any], script: BatchScript) -> None:
        out: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        lines = self.files[batch["input_file_id"]]["data"].decode().splitlines()
        for n, line in enumerate(x for x in lines if x.strip()):
            item = json.loads(line)
            body = item["body"]
            chunk = request_chunk(body)
            row = self._take(chunk)
            late = script.outcome == "expired" and n >= (script.answered or 0)
            base = {"id": f"batch_req_{n}", "custom_id": item["custom_id"]}
            if row.expire or late:
                message = "This request could not be executed before the window expired."
                errors.append(
                    {
                        **base,
                        "response": None,
                        "error": {"code": "batch_expired", "message": message},
                    }
                )
                continue
            with self.lock:
                self.batch_requests.append(body)
            status, _, data = self._reply(body, chunk, row)
            response = {"status_code": status, "request_id": f"req_{n}", "body": json.loads(data)}
            (out if status == 200 else errors).append({**base, "response": response, "error": None})
        counts = batch["request_counts"]
        counts["completed"], counts["failed"] = len(out), len(errors)
        for key, rows in (("output_file_id", out), ("error_file_id", errors)):
            if rows:
                text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
                batch[key] = self._new_file(
                    f"{batch['id']}_{key}.jsonl", "batch_output", text.encode()
                )["id"]

    def cancel_batch(self, bid: str) -> tuple[int, Any]:
        if bid not in self.batches:
            return 404, {"error": {"message": f"no batch {bid}", "type": "invalid_request_error"}}
        self.batches[bid]["status"] = "cancelling"
        return 200, self.batches[bid]

    def list_batches(self) -> tuple[int, Any]:
        data = sorted(self.batches.values(), key=lambda b: b["id"], reverse=True)
        first, last = (data[0]["id"], data[-1]["id"]) if data else (None, None)
        return 200, {
            "object": "list",
            "data": data,
            "first_id": first,
            "last_id": last,
            "has_more": False,
        }

    def get(self, path: str) -> tuple[int, Any]:
        """GET routes: a batch, the batch list, a file, a file's content (bytes)."""
        parts = path.split("?")[0].strip("/").split("/")  # v1/<what>/<id>[/content]
        if parts[1:] == ["batches"]:
            return self.list_batches()
        if len(parts) == 3 and parts[1] == "batches":
            return self.retrieve_batch(parts[2])
        if len(parts) >= 3 and parts[1] == "files" and parts[2] in self.files:
            stored = self.files[parts[2]]
            if parts[3:] == ["content"]:
                return 200, bytes(stored["data"])
            return 200, {k: v for k, v in stored.items() if k != "data"}
        return 404, {"error": {"message": f"no route {path}", "type": "invalid_request_error"}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else headers and body meet a 40 ms delayed ACK

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def send(self, status: int, payload: Any) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:
                self.send(*server.get(self.path))

            def do_POST(self) -> None:
                server._arrival.time = time.monotonic()
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = self.path.split("?")[0].rstrip("/")
                if path.endswith("/files"):
                    return self.send(*server.upload(self.headers["Content-Type"], raw))
                if path.endswith("/batches"):
                    return self.send(*server.create_batch(json.loads(raw or b"{}")))
                if path.endswith("/cancel"):
                    return self.send(*server.cancel_batch(path.split("/")[-2]))
                body = json.loads(raw or b"{}")
                headers_in = {k.lower(): v for k, v in self.headers.items()}
                status, headers, data = server.answer(body, headers_in)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    trickle = getattr(server._arrival, "trickle", 0.0)
                    if trickle:
                        for i in range(len(data)):
                            self.wfile.write(data[i : i + 1])
                            time.sleep(trickle)
                    else:
                        self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

        return Handler


def main() -> None:
    """A server in its own process (benchmarks): prints its URL, then appends each request
    body to --record as one JSON line."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--record", default=None)
    args = parser.parse_args()
    with ScriptedServer(latency=args.latency) as srv:
        if args.record:
            srv.record = open(args.record, "a", encoding="utf-8")  # noqa: SIM115
        print(srv.url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
