#!/usr/bin/env python3
"""The article's TCP heartbeat server for benchmarks: a 0x02 pong for every 0x01 ping.

  heartbeat_server.py HOST:PORT...   listens on each address (loopback only) until killed;
                                     prints "ready" once every listener is bound, and the
                                     number of open connections to stderr every 5 s.

A connection silent for 60 s is closed, as the article's server resets its read deadline on
every ping and drops a connection that stops pinging.
"""
import asyncio
import sys

READ_DEADLINE = 60
open_connections = 0


async def serve(reader, writer):
    global open_connections
    open_connections += 1
    try:
        while True:
            data = await asyncio.wait_for(reader.read(64), READ_DEADLINE)
            if not data:
                return
            pongs = data.count(1)
            if pongs:
                writer.write(b"\x02" * pongs)
                await writer.drain()
    except (asyncio.TimeoutError, ConnectionError):
        pass
    finally:
        open_connections -= 1
        writer.close()


async def report():
    while True:
        await asyncio.sleep(5)
        print(f"open {open_connections}", file=sys.stderr, flush=True)


async def main(addresses):
    servers = []
    for address in addresses:
        host, port = address.rsplit(":", 1)
        if not host.startswith("127."):
            raise SystemExit("loopback only")
        servers.append(await asyncio.start_server(serve, host, int(port), backlog=4096))
    print("ready", flush=True)
    asyncio.get_running_loop().create_task(report())
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
