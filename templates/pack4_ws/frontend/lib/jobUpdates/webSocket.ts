import { isTerminal, type Job } from "@/lib/jobs";
import { openReconnectingSocket, type ReconnectingSocket } from "@/lib/reconnectingSocket";

import { followOverEventSource } from "./eventSource";
import type { FollowJob, SetJobState } from "./types";

/**
 * Every job a tab follows rides one WebSocket, `/ws/jobs/`. Each job is subscribed once
 * however many components follow it; the server answers a subscription with the job at once,
 * then pushes every change until the job ends. After a reconnection every job still followed
 * is subscribed again, and that first answer is the catch-up. With nothing left to follow the
 * socket closes after a while.
 *
 * Should the handshake keep failing (a proxy that drops upgrades, say), the tab falls back to
 * the jobs' event streams, and they to polling, for this job and every later one.
 */

/** How long the socket stays open with nothing to follow: the next job reuses it. */
const IDLE_CLOSE_MS = 15_000;

const LOST_CONTACT = "Lost contact with the server; reconnecting.";
const NOT_SHOWN = "This job cannot be shown. Sign in again and retry.";

type Follower = { setState: SetJobState; fallBack(): void };
type Followed = { followers: Set<Follower>; job: Job | null };

type ServerFrame =
  | { type: "job"; job: Job }
  | { type: "error"; code: string; detail?: string; job?: string };

// One connection per tab, shared by every useJob: module state, created on first use.
const followed = new Map<string, Followed>();
let socket: ReconnectingSocket | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let unavailable = false;

export const followOverWebSocket: FollowJob = (id, setState) => {
  if (unavailable || typeof WebSocket === "undefined") return followOverEventSource(id, setState);
  let stopFallback: (() => void) | undefined;
  const follower: Follower = {
    setState,
    fallBack: () => {
      stopFallback = followOverEventSource(id, setState);
    },
  };
  add(id, follower);
  return () => {
    remove(id, follower);
    stopFallback?.();
  };
};

function add(id: string, follower: Follower): void {
  clearTimeout(idleTimer);
  const entry = followed.get(id);
  if (entry) {
    entry.followers.add(follower);
    const { job } = entry;
    if (job) follower.setState(() => ({ job, error: null }));
    return;
  }
  followed.set(id, { followers: new Set([follower]), job: null });
  // Not connected yet: the subscription goes out in onOpen.
  connection().send({ type: "subscribe", job: id });
}

function remove(id: string, follower: Follower): void {
  const entry = followed.get(id);
  if (!entry?.followers.delete(follower)) return;
  if (entry.followers.size === 0) {
    followed.delete(id);
    socket?.send({ type: "unsubscribe", job: id });
  }
  closeWhenIdle();
}

function closeWhenIdle(): void {
  if (followed.size > 0) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    socket?.close();
    socket = null;
  }, IDLE_CLOSE_MS);
}

function connection(): ReconnectingSocket {
  socket ??= openReconnectingSocket("/ws/jobs/", {
    onOpen(send) {
      for (const id of followed.keys()) send({ type: "subscribe", job: id });
    },
    onFrame: (frame) => receive(frame as ServerFrame),
    onStatus(status) {
      if (status !== "reconnecting") return;
      for (const { followers } of followed.values()) {
        for (const { setState } of followers) setState((s) => ({ ...s, error: LOST_CONTACT }));
      }
    },
    onGiveUp() {
      unavailable = true;
      socket = null;
      const stranded = [...followed.values()];
      followed.clear();
      for (const { followers } of stranded) for (const follower of followers) follower.fallBack();
    },
  });
  return socket;
}

function receive(frame: ServerFrame): void {
  if (frame.type === "job") {
    const { job } = frame;
    const entry = followed.get(job.id);
    if (!entry) return; // no longer followed
    entry.job = job;
    for (const { setState } of entry.followers) setState(() => ({ job, error: null }));
    // The server sends nothing more about a finished job.
    if (isTerminal(job.status)) forget(job.id);
  } else if (frame.type === "error" && frame.job) {
    // Not found, or not this user's job: asking again will not change the answer.
    const entry = followed.get(frame.job);
    for (const { setState } of entry?.followers ?? []) {
      setState((s) => ({ ...s, error: NOT_SHOWN }));
    }
    forget(frame.job);
  } else if (frame.type === "error") {
    console.error("the jobs socket refused a frame", frame);
  }
}

function forget(id: string): void {
  followed.delete(id);
  closeWhenIdle();
}
