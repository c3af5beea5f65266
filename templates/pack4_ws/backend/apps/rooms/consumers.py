"""/ws/reports/<id>/: a report's room, for its owner and members (anyone else: 403).

Presence: joining or leaving broadcasts the room's viewers. Comments: stored in PostgreSQL,
then broadcast to the room with their id (the sender's copy is its acknowledgement, matched by
its `client_id`); `{"type": "hello", "after": n}` sends the comments after id n, oldest first,
at most 200, so a client that reconnects catches up on what it missed while away.

Which `after` a client may send: one report's comments commit in id order (the report's row is
locked while one is written), but their broadcasts may arrive out of order (two web processes
publish at once), so the newest id a client has is not a cursor: with 9 still on its way, a
client that has 10 and says `after: 10` would never get 9. Each `comment` frame therefore names
`previous`, the id of the report's comment just before it (0 for the first). A client keeps the
id up to which it has every comment: a `comments` answer to `hello` moves it to the answer's
last id (everything after the `after` it sent is in the answer, up to a full page), a `comment`
frame moves it only when its `previous` is at or below it (then on through the frames held
above it), and `hello` sends that id. Comments are told apart by id: a catch-up repeats those
the client already holds. Ids are not consecutive per report (one sequence for all), which is
why the frame names its predecessor instead of leaving the client to guess.
"""

import asyncio
import contextlib
import logging
import time
from collections import deque

from django.conf import settings
from redis.exceptions import RedisError

from apps.asyncdb import in_thread
from apps.sockets.frames import Invalid, JsonSocket

from . import presence, services
from .models import MAX_COMMENT_LENGTH
from .serializers import CommentSerializer

logger = logging.getLogger(__name__)
MAX_CLIENT_ID = 64

can_view = in_thread(services.can_view)


@in_thread
def _comments_after(report_id: int, after: int) -> list[dict]:
    comments = services.comments_after(report_id, after)
    return [dict(data) for data in CommentSerializer(comments, many=True).data]


@in_thread
def _add_comment(report_id: int, author, body: str) -> tuple[dict, int]:
    comment, previous = services.add_comment(report_id, author, body)
    return dict(CommentSerializer(comment).data), previous


def _room(report_id: int) -> str:
    return f"reports.{report_id}"


class ReportRoomConsumer(JsonSocket):
    consumer = "room"
    handlers = {"hello": "hello", "comment": "comment"}
    refresher: asyncio.Task | None = None

    async def connect(self) -> None:
        user = self.scope["user"]
        self.report_id = int(self.scope["url_route"]["kwargs"]["report_id"])
        if user is None or not user.is_authenticated or not await can_view(self.report_id, user.pk):
            await self.refuse()
            return
        self.user = user
        self.presence_version = 0
        self.viewers: list[dict] | None = None
        self.recent_comments: deque[float] = deque()
        self.member = presence.entry(self.channel_name, user.pk, user.username)
        await self.channel_layer.group_add(_room(self.report_id), self.channel_name)
        await self.accept()
        await self.announce(await presence.join(self.report_id, self.member))
        self.refresher = asyncio.create_task(self.keep_present())

    async def disconnect(self, code) -> None:
        if not self.opened:
            return
        if self.refresher is not None:
            self.refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.refresher
        await self.channel_layer.group_discard(_room(self.report_id), self.channel_name)
        await self.announce(await presence.leave(self.report_id, self.member))

    async def keep_present(self) -> None:
        while True:
            await asyncio.sleep(settings.WS_PRESENCE_TTL_SECONDS / 3)
            try:
                changed = await presence.refresh(self.report_id, self.member)
            except RedisError:  # try again next time; the entry outlives two missed refreshes
                logger.warning("Presence in report %s not refreshed", self.report_id, exc_info=True)
                continue
            if changed is not None:  # viewers of a crashed worker expired
                await self.announce(changed)

    async def announce(self, room: tuple[int, list[dict]]) -> None:
        version, viewers = room
        message = {"type": "room.presence", "version": version, "viewers": viewers}
        await self.channel_layer.group_send(_room(self.report_id), message)

    async def room_presence(self, message: dict) -> None:
        """Sent on when the viewers changed: another tab of a viewer changes nothing, and an
        older list (broadcast at the same time by another process) is dropped."""
        if message["version"] <= self.presence_version:
            return
        self.presence_version = message["version"]
        if message["viewers"] != self.viewers:
            self.viewers = message["viewers"]
            await self.send_frame({"type": "presence", "viewers": self.viewers})

    async def hello(self, frame: dict) -> None:
        after = frame.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise Invalid("`after` must be the last comment id seen (0 at first).")
        comments = await _comments_after(self.report_id, after)
        await self.send_frame({"type": "comments", "comments": comments})

    async def comment(self, frame: dict) -> None:
        body, client_id = frame.get("body"), frame.get("client_id")
        if client_id is not None and (
            not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID
        ):
            raise Invalid(f"`client_id` must be a string of at most {MAX_CLIENT_ID} characters.")
        if not isinstance(body, str) or not 1 <= len(body.strip()) <= MAX_COMMENT_LENGTH:
            # Named by its client_id, so the client knows which of its pending comments failed.
            detail = f"`body` must be text of 1 to {MAX_COMMENT_LENGTH} characters."
            await self.error("invalid", detail, client_id=client_id)
            return
        if not self.may_comment():
            count, seconds = settings.WS_COMMENT_RATE
            detail = f"At most {count} comments in {seconds:g} seconds: wait a moment."
            await self.error("rate_limited", detail, client_id=client_id)
            return
        # Stored first: the channel layer only delivers, it never keeps anything.
        comment, previous = await _add_comment(self.report_id, self.user, body.strip())
        message = {
            "type": "room.comment",
            "comment": comment,
            "previous": previous,
            "client_id": client_id,
        }
        await self.channel_layer.group_send(_room(self.report_id), message)

    def may_comment(self) -> bool:
        count, seconds = settings.WS_COMMENT_RATE
        now = time.monotonic()
        while self.recent_comments and self.recent_comments[0] <= now - seconds:
            self.recent_comments.popleft()
        if len(self.recent_comments) >= count:
            return False
        self.recent_comments.append(now)
        return True

    async def room_comment(self, message: dict) -> None:
        # No `previous` from a process still running the code before it: the client then
        # holds the comment without moving its cursor, and catches up on it again.
        previous = message.get("previous")
        frame = {"type": "comment", "comment": message["comment"], "previous": previous}
        await self.send_frame({**frame, "client_id": message["client_id"]})
