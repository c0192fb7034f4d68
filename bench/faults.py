#!/usr/bin/env python3
"""Loopback HTTP servers, healthy and faulty, for bench/soak.sh.

usage: faults.py HOSTS BASE_PORT
Listens on 127.0.0.1 .. 127.0.0.HOSTS, one port per behaviour starting at BASE_PORT, in the
order of BEHAVIOURS, then prints one line "ready <behaviour>=<port> ..." and serves until
SIGTERM. Only loopback addresses are bound.

Behaviours (what a heartbeat client meets in production):
  healthy     keep-alive 200 {"status":"UP"}
  slow        keep-alive 200 after 200 ms
  status503   keep-alive 503 {"status":"DOWN"}
  close       200 with Connection: close, then closes (a new connection per probe)
  idleclose   keep-alive 200, but closes a connection idle for 0.9 s (stale pooled connections)
  hang        accepts, reads, never answers (the client's deadline must fire)
  trickle     headers, then one body byte every 100 ms (the deadline must cover the body)
  reset       reads the request, then resets the connection (RST)
  garbage     answers bytes that are not HTTP, then closes
  huge        200 with a chunked body of 2 MiB (over Pulse's 1 MiB cap), no Content-Length
"""
import asyncio
import signal
import socket
import struct
import sys

BEHAVIOURS = ["healthy", "slow", "status503", "close", "idleclose", "hang", "trickle", "reset", "garbage", "huge"]
UP = b'{"status":"UP"}'
DOWN = b'{"status":"DOWN"}'


def response(status, body, close=False):
    reason = {200: "OK", 503: "Service Unavailable"}[status]
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    head += "Connection: close\r\n" if close else ""
    return head.encode() + b"\r\n" + body


async def read_request(reader, timeout=None):
    """Read one request head (and a Content-Length body); None when the peer is gone."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, asyncio.TimeoutError):
        return None
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return head


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        # SO_LINGER 0: close() sends RST instead of FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def serve(kind, reader, writer):
    try:
        while True:
            idle = 0.9 if kind == "idleclose" else None
            head = await read_request(reader, idle)
            if head is None:
                break
            close = b"connection: close" in head.lower()
            if kind == "healthy" or kind == "idleclose":
                writer.write(response(200, UP, close))
            elif kind == "slow":
                await asyncio.sleep(0.2)
                writer.write(response(200, UP, close))
            elif kind == "status503":
                writer.write(response(503, DOWN, close))
            elif kind == "close":
                writer.write(response(200, UP, True))
                close = True
            elif kind == "hang":
                await reader.read()  # until the client gives up and closes
                break
            elif kind == "trickle":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
                for _ in range(100):
                    await writer.drain()
                    await asyncio.sleep(0.1)
                    writer.write(b"x")
            elif kind == "reset":
                reset(writer)
                return
            elif kind == "garbage":
                writer.write(b"\x00\x01garbage\r\n\r\n" + bytes(range(64)))
                close = True
            elif kind == "huge":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"%x\r\n" % 65536 + b"x" * 65536 + b"\r\n"
                for _ in range(32):
                    writer.write(chunk)
                    await writer.drain()
                writer.write(b"0\r\n\r\n")
            await writer.drain()
            if close:
                break
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main():
    hosts, base = int(sys.argv[1]), int(sys.argv[2])
    addresses = [f"127.0.0.{h}" for h in range(1, hosts + 1)]
    servers, ports = [], []
    for i, kind in enumerate(BEHAVIOURS):
        port = base + i
        handler = (lambda k: lambda r, w: serve(k, r, w))(kind)
        servers.append(await asyncio.start_server(handler, addresses, port, backlog=1024))
        ports.append(f"{kind}={port}")
    print("ready " + " ".join(ports), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


if __name__ == "__main__":
    asyncio.run(main())
