"use client";

import { useCallback, useEffect, useReducer, useRef } from "react";

import { openReconnectingSocket, type ReconnectingSocket } from "@/lib/reconnectingSocket";
import {
  COMMENT_MAX_CHARS,
  COMMENTS_PAGE,
  FRAME_MAX_BYTES,
  initialRoom,
  reduceRoom,
  type Person,
  type RoomComment,
  type RoomState,
  type ServerFrame,
} from "@/lib/room";

/** How long a sent comment may wait for the server's acknowledgement before it is marked. */
const ACK_TIMEOUT_MS = 10_000;
/**
 * How long a gap in the comments (one arrived, the one before it not yet) may stay open before
 * the hook asks for what is missing: a late broadcast fills it sooner, a lost one never would.
 */
const GAP_WAIT_MS = 3_000;

export type ReportRoom = RoomState & {
  /** Queue a comment (shown at once, as pending); "" when queued, else why it cannot be. */
  post(body: string): string;
  retry(clientId: string): void;
  discard(clientId: string): void;
};

/**
 * Join a report's room over `/ws/reports/{id}/` while the component is mounted: presence,
 * comments as they are posted, and posting. On every (re)connection the hook says `hello` with
 * the id up to which it has every comment (not simply the newest: broadcasts may arrive out of
 * order), so the server sends what was missed, again or not. A gap that stays open while
 * connected (a broadcast lost on its way) is asked for the same way after GAP_WAIT_MS. Comments
 * queued while disconnected go out once connected. `initialComments` are those the page was
 * rendered with.
 */
export function useReportRoom(
  reportId: number,
  me: Person,
  initialComments: RoomComment[],
): ReportRoom {
  const [state, dispatch] = useReducer(reduceRoom, undefined, () =>
    initialRoom(me, initialComments),
  );
  const socket = useRef<ReconnectingSocket | null>(null);
  // The socket's callbacks run outside rendering: they read the latest state from here.
  const latest = useRef(state);
  const ackTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    latest.current = state;
  }, [state]);

  useEffect(() => {
    const timers = ackTimers.current;
    const room = openReconnectingSocket(`/ws/reports/${reportId}/`, {
      onOpen: (send) => send({ type: "hello", after: latest.current.caughtUpTo }),
      onFrame(data) {
        const frame = data as ServerFrame;
        dispatch({ type: "frame", frame });
        // A full page of catch-up may not be all: ask for the comments after it.
        if (frame.type === "comments" && frame.comments.length >= COMMENTS_PAGE) {
          const last = frame.comments.at(-1);
          if (last) room.send({ type: "hello", after: last.id });
        }
      },
      onStatus: (status) => dispatch({ type: "status", status }),
    });
    socket.current = room;
    return () => {
      socket.current = null;
      room.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    };
  }, [reportId]);

  // A gap that outlasts GAP_WAIT_MS: ask for the comments after the last one held without one.
  // Any progress (a late broadcast, a catch-up) moves `caughtUpTo` and restarts the wait.
  const { status, pending, caughtUpTo } = state;
  const gap = state.previousOf.size > 0;
  useEffect(() => {
    if (status !== "open" || !gap) return;
    const timer = setTimeout(() => {
      socket.current?.send({ type: "hello", after: caughtUpTo });
    }, GAP_WAIT_MS);
    return () => clearTimeout(timer);
  }, [status, gap, caughtUpTo]);

  // Queued comments go out whenever the room is connected, in the order they were written.
  useEffect(() => {
    if (status !== "open") return;
    const timers = ackTimers.current;
    for (const { clientId, body, state: where } of pending) {
      if (where !== "queued") continue;
      if (!socket.current?.send({ type: "comment", body, client_id: clientId })) return;
      dispatch({ type: "sent", clientId });
      clearTimeout(timers.get(clientId));
      const timer = setTimeout(() => {
        timers.delete(clientId);
        dispatch({ type: "unconfirmed", clientId });
      }, ACK_TIMEOUT_MS);
      timers.set(clientId, timer);
    }
  }, [status, pending]);

  const post = useCallback((raw: string): string => {
    const body = raw.trim();
    if (!body) return "Write something first.";
    if (body.length > COMMENT_MAX_CHARS) {
      return `A comment holds at most ${COMMENT_MAX_CHARS} characters.`;
    }
    const clientId = crypto.randomUUID();
    const frame = JSON.stringify({ type: "comment", body, client_id: clientId });
    if (new TextEncoder().encode(frame).length > FRAME_MAX_BYTES) {
      return "This comment is too long to send; shorten it.";
    }
    dispatch({ type: "queue", clientId, body });
    return "";
  }, []);

  const retry = useCallback((clientId: string) => dispatch({ type: "retry", clientId }), []);
  const discard = useCallback((clientId: string) => dispatch({ type: "discard", clientId }), []);

  return { ...state, post, retry, discard };
}
