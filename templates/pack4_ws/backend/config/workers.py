"""The gunicorn worker of the web process: uvicorn's, with WebSocket limits set for this app.

uvicorn takes these from its worker class only (gunicorn has no setting for them).
"""

from uvicorn_worker import UvicornWorker as _UvicornWorker


class UvicornWorker(_UvicornWorker):
    CONFIG_KWARGS = {
        **_UvicornWorker.CONFIG_KWARGS,
        # A message larger than this closes the socket (1009) before it is read whole; the
        # consumers answer anything over 4 KiB with an error frame (WS_MAX_FRAME_BYTES).
        "ws_max_size": 64 * 1024,
        # A ping every 20 s keeps idle sockets open through proxies that cut silent
        # connections, and finds dead peers: no pong within 20 s closes the socket.
        "ws_ping_interval": 20.0,
        "ws_ping_timeout": 20.0,
        # No permessage-deflate: frames here are a few hundred bytes, and compressing each one
        # for each socket (its own zlib context) is CPU spent on every broadcast.
        "ws_per_message_deflate": False,
    }
