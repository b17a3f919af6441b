"""The stack's ceiling: a do-nothing FastAPI endpoint served exactly as the hub serves its app.

Same uvicorn, same connection guard (the hub's protocol class with its default limits), same
keep-alive and log level as `homelab-cmd serve`; the heartbeat route reads the body and answers
a fixed JSON object, so whatever the hub does beyond that is what `bench/ingest.py --ceiling`
compares. Run as `python bench/_ceiling.py PORT`.
"""

import sys

import uvicorn
from fastapi import FastAPI, Request

from homelab_cmd.connections import ConnectionGuard

app = FastAPI()


@app.post("/api/v1/agents/heartbeat")
async def heartbeat(request: Request) -> dict[str, str]:
    await request.body()
    return {"status": "ok"}


@app.get("/api/v1/system/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    guard = ConnectionGuard()  # the hub's defaults (HOMELAB_CMD_HEADER_TIMEOUT_SECONDS, ...)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        http=guard.protocol(),
        timeout_keep_alive=5,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
