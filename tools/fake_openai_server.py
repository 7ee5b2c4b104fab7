#!/usr/bin/env python3
"""A stand-in OpenAI streaming server with known timing, to check `podserve bench` end to end.

  fake_openai_server.py [--port 8000] [--first-ms 100] [--gap-ms 20]

POST /v1/completions and /v1/chat/completions stream `max_tokens` one-word chunks: the first
--first-ms after the request arrives, the rest --gap-ms apart (each on its own schedule from the
first, so scheduling jitter does not accumulate), then a usage chunk and [DONE], as OpenAI sends
them. Every request is served at once and concurrently (no batching, no queue), so the timing a
client should report is known: TTFT = first-ms, ITL = TPOT = gap-ms, E2E = first + (n-1) * gap.
Standard library only (asyncio); one process, one thread.
"""
import argparse, asyncio, json, time


def chunk(chat, text):
    if chat:
        return {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": text}}]}
    return {"object": "text_completion", "choices": [{"index": 0, "text": text}]}


async def handle(reader, writer, first_s, gap_s):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        arrived = time.monotonic()
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        length = next((int(l.split(":", 1)[1]) for l in lines if l.lower().startswith("content-length:")), 0)
        body = json.loads(await reader.readexactly(length))
        chat = path.endswith("/chat/completions")
        if not (chat or path.endswith("/completions")):
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        n = int(body.get("max_completion_tokens") or body.get("max_tokens") or 16)
        prompt = body["messages"][-1]["content"] if chat else body["prompt"]
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
        for i in range(n):
            await asyncio.sleep(max(0.0, arrived + first_s + i * gap_s - time.monotonic()))
            writer.write(b"data: " + json.dumps(chunk(chat, " tok")).encode() + b"\n\n")
            await writer.drain()
        usage = {"choices": [], "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": n}}
        writer.write(b"data: " + json.dumps(usage).encode() + b"\n\ndata: [DONE]\n\n")
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--first-ms", type=float, default=100)
    p.add_argument("--gap-ms", type=float, default=20)
    a = p.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, a.first_ms / 1e3, a.gap_ms / 1e3),
                                        "127.0.0.1", a.port, backlog=1024)
    print(f"fake OpenAI server on http://127.0.0.1:{a.port} (first {a.first_ms} ms, gap {a.gap_ms} ms)", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
