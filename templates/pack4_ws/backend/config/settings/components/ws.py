"""WebSockets: Django Channels on the ASGI server, a Redis channel layer, presence.

The channel layer is delivery, not storage: what must survive a dropped connection (job
receipts, comments) is in PostgreSQL first, and a reconnecting socket catches up from there.
"""

from urllib.parse import urlparse

INSTALLED_APPS += ["channels", "apps.sockets", "apps.rooms"]

# At --queue celery the same Redis is Celery's broker (the `queues` component read it too).
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# Redis pub/sub, not the list-based RedisChannelLayer: a group_send is one PUBLISH that each
# web process receives once and hands to its own sockets, so a job update to 1,000 open tabs
# costs Redis one message per process, not one list push per socket. It keeps nothing for a
# consumer that is not listening (no capacity or expiry to tune), which is what we want: a
# socket that missed a message catches up from PostgreSQL. Pub/sub channels ignore the
# database number of the URL, so the prefix carries it: apps on one Redis stay apart.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [REDIS_URL],
            "prefix": f"asgi{urlparse(REDIS_URL).path.strip('/') or '0'}",
        },
    },
}

# Inbound frames larger than this get an error frame and the socket stays open. The server
# itself closes a socket (1009) whose message exceeds 64 KiB, before reading it whole:
# config/workers.py for uvicorn, --websocket-max-message-size for Daphne.
WS_MAX_FRAME_BYTES = 4096
# Comments: at most this many per connection in this many seconds.
WS_COMMENT_RATE = (10, 10.0)
# A viewer's presence lives this long in Redis unless its connection refreshes it (every
# third of it): a crashed worker's viewers disappear after at most this long.
WS_PRESENCE_TTL_SECONDS = env.int("WS_PRESENCE_TTL_SECONDS", default=30)
