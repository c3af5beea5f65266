"""P3's slow upstream: every request is answered with a small JSON body after DELAY seconds.

    python benchmarks/slow_upstream.py PORT DELAY

A stand-in for a remote service (an LLM, a third-party API) on loopback: HTTP/1.1 with
keep-alive, a protocol on asyncio with no framework, and uvloop when the interpreter has it (P3
runs it with the generated backend's venv, which does), so that it takes as little as it can of
the two cores the measured app needs. Standard library only otherwise.
"""

import asyncio
import sys

BODY = b'{"matches": ["BENCH", "hcneb"]}'
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
    len(BODY),
    BODY,
)


class SlowUpstream(asyncio.Protocol):
    delay = 0.2

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            _, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            asyncio.get_running_loop().call_later(self.delay, self.answer)

    def answer(self) -> None:
        if not self.transport.is_closing():
            self.transport.write(ANSWER)


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(SlowUpstream, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


def main() -> None:
    port, SlowUpstream.delay = int(sys.argv[1]), float(sys.argv[2])
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(port))
    else:
        uvloop.run(serve(port))


if __name__ == "__main__":
    main()
