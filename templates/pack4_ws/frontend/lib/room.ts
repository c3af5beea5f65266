import type { components } from "@/lib/api/schema";
import type { SocketStatus } from "@/lib/reconnectingSocket";

/**
 * A report's room as the browser keeps it: who is viewing the report now, its comments, and
 * the comments this tab has sent that the server has not acknowledged yet. The frames are
 * those of `/ws/reports/{id}/`; the state changes only through `reduceRoom`, so what the page
 * shows follows from the frames received, in order. Safe in browser code.
 */

/** A user as the API shows one; presence frames carry the same. */
export type Person = components["schemas"]["User"];
/** A comment as `GET /api/reports/{id}/comments/` and the room's frames carry it. */
export type RoomComment = components["schemas"]["Comment"];

/** The most a comment may hold (Django's limit too). */
export const COMMENT_MAX_CHARS = 2000;
/** Frames larger than this are refused by the server (`too_large`). */
export const FRAME_MAX_BYTES = 4096;
/** The most comments one `comments` frame (or the REST list) holds: a full one may have more. */
export const COMMENTS_PAGE = 200;

export type ServerFrame =
  | { type: "presence"; viewers: Person[] }
  | { type: "comments"; comments: RoomComment[] }
  | {
      type: "comment";
      comment: RoomComment;
      /** The id of the report's comment just before this one (0: none); absent from old servers. */
      previous?: number | null;
      client_id?: string | null;
    }
  | { type: "error"; code: string; detail?: string; client_id?: string | null };

/**
 * A comment sent from this tab, shown at once but marked until the server's broadcast of it
 * (carrying its `clientId`) arrives: `queued` waits for a connection, `sent` for that
 * acknowledgement, `failed` says why it did not go through (and may be retried).
 */
export type PendingComment = {
  clientId: string;
  body: string;
  state: "queued" | "sent" | "failed";
  error?: string;
};

export type RoomState = {
  me: Person;
  status: SocketStatus;
  viewers: Person[];
  /** Ascending by id, each once. */
  comments: RoomComment[];
  /**
   * Every comment of the report up to this id is in `comments`: what `hello` asks to have the
   * comments after. Not simply the newest id held: broadcasts may arrive out of order.
   */
  caughtUpTo: number;
  /** For comments above `caughtUpTo` that arrived one by one: the id of the comment before each. */
  previousOf: ReadonlyMap<number, number>;
  pending: PendingComment[];
  /** What a screen reader should hear about the room's latest change. */
  announcement: string;
  /** A refusal from the server that names no pending comment, shown until the next post. */
  notice: string | null;
};

export type RoomAction =
  | { type: "frame"; frame: ServerFrame }
  | { type: "status"; status: SocketStatus }
  | { type: "queue"; clientId: string; body: string }
  | { type: "sent"; clientId: string }
  | { type: "unconfirmed"; clientId: string }
  | { type: "retry"; clientId: string }
  | { type: "discard"; clientId: string };

export function initialRoom(me: Person, comments: RoomComment[]): RoomState {
  const sorted = mergeComments([], comments);
  return {
    me,
    status: "connecting",
    viewers: [],
    // The page's comments are the first ones of the report, all of them up to the last.
    comments: sorted,
    caughtUpTo: sorted.at(-1)?.id ?? 0,
    previousOf: new Map(),
    pending: [],
    announcement: "",
    notice: null,
  };
}

export function reduceRoom(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case "frame":
      return receive(state, action.frame);
    case "status":
      return changeStatus(state, action.status);
    case "queue": {
      const { clientId, body } = action;
      const queued: PendingComment = { clientId, body, state: "queued" };
      return { ...state, pending: [...state.pending, queued], notice: null };
    }
    case "sent":
      return updatePending(state, action.clientId, { state: "sent", error: undefined });
    case "unconfirmed": {
      // Still waiting for its acknowledgement after the timeout: say so, offer a retry.
      const waiting = state.pending.find((p) => p.clientId === action.clientId);
      if (waiting?.state !== "sent") return state;
      const error = "The server has not confirmed it yet.";
      return updatePending(state, action.clientId, { state: "failed", error });
    }
    case "retry":
      return updatePending(state, action.clientId, { state: "queued", error: undefined });
    case "discard":
      return { ...state, pending: state.pending.filter((p) => p.clientId !== action.clientId) };
  }
}

function receive(state: RoomState, frame: ServerFrame): RoomState {
  switch (frame.type) {
    case "presence":
      return {
        ...state,
        viewers: frame.viewers,
        announcement: presenceChange(state.viewers, frame.viewers, state.me) ?? state.announcement,
      };
    case "comments": {
      // The catch-up after (re)connecting. A comment whose acknowledgement was lost with the
      // connection shows up here: it went through after all.
      const arrived = (p: PendingComment) =>
        frame.comments.some((c) => c.author.id === state.me.id && c.body === p.body);
      // Every comment after the `after` this tab sent (at most `caughtUpTo`), up to the last.
      const last = frame.comments.at(-1)?.id ?? 0;
      return {
        ...state,
        ...advance(Math.max(state.caughtUpTo, last), state.previousOf),
        comments: mergeComments(state.comments, frame.comments),
        pending: state.pending.filter((p) => p.state === "queued" || !arrived(p)),
      };
    }
    case "comment": {
      const { comment, previous, client_id: clientId } = frame;
      const known = state.comments.some((c) => c.id === comment.id);
      const mine = state.pending.some((p) => p.clientId === clientId);
      const links =
        typeof previous === "number" && comment.id > state.caughtUpTo
          ? new Map(state.previousOf).set(comment.id, previous)
          : state.previousOf;
      return {
        ...state,
        ...advance(state.caughtUpTo, links),
        comments: known ? state.comments : mergeComments(state.comments, [comment]),
        pending: mine ? state.pending.filter((p) => p.clientId !== clientId) : state.pending,
        announcement:
          known || comment.author.id === state.me.id
            ? state.announcement
            : `${comment.author.username} commented: ${comment.body}`,
      };
    }
    case "error":
      return refused(state, frame);
  }
}

/**
 * The server refused a frame. A refusal that names no comment (`client_id`) is about the
 * oldest one still awaiting acknowledgement: the server answers a connection's frames in order.
 */
function refused(state: RoomState, frame: ServerFrame & { type: "error" }): RoomState {
  const sent = state.pending.filter((p) => p.state === "sent");
  const refusedOne = sent.find((p) => p.clientId === frame.client_id) ?? sent[0];
  const error = refusalMessage(frame);
  if (!refusedOne) return { ...state, notice: error };
  return updatePending(state, refusedOne.clientId, { state: "failed", error });
}

export function refusalMessage({ code, detail }: { code: string; detail?: string }): string {
  switch (code) {
    case "rate_limited":
      return "You are commenting faster than the room allows. Wait a few seconds, then retry.";
    case "too_large":
      return "This comment is too long to send.";
    default:
      return detail || "The server refused this comment.";
  }
}

function changeStatus(state: RoomState, status: SocketStatus): RoomState {
  if (status === state.status) return state;
  const next = { ...state, status };
  if (status === "open" && state.status === "reconnecting") {
    return { ...next, announcement: "Reconnected." };
  }
  if (status !== "reconnecting") return next;
  // Whatever was on its way may or may not have arrived: the catch-up after reconnecting
  // shows the ones that did.
  return {
    ...next,
    pending: state.pending.map((p) =>
      p.state === "sent"
        ? { ...p, state: "failed", error: "The connection dropped before the server confirmed it." }
        : p,
    ),
    announcement: "Connection lost; reconnecting.",
  };
}

function updatePending(
  state: RoomState,
  clientId: string,
  change: Partial<PendingComment>,
): RoomState {
  return {
    ...state,
    pending: state.pending.map((p) => (p.clientId === clientId ? { ...p, ...change } : p)),
  };
}

/**
 * Move `caughtUpTo` on through the comments held above it, in id order, while each one's
 * predecessor is at or below it (then nothing lies between them); stop at the first gap.
 */
function advance(
  caughtUpTo: number,
  previousOf: ReadonlyMap<number, number>,
): Pick<RoomState, "caughtUpTo" | "previousOf"> {
  let upTo = caughtUpTo;
  for (const [id, previous] of [...previousOf].sort(([a], [b]) => a - b)) {
    if (id <= upTo) continue;
    if (previous > upTo) break;
    upTo = id;
  }
  return { caughtUpTo: upTo, previousOf: new Map([...previousOf].filter(([id]) => id > upTo)) };
}

/** Comments by id, each once, ascending: frames may repeat what the page already has. */
export function mergeComments(known: RoomComment[], incoming: RoomComment[]): RoomComment[] {
  const byId = new Map(known.map((c) => [c.id, c]));
  for (const comment of incoming) if (!byId.has(comment.id)) byId.set(comment.id, comment);
  if (byId.size === known.length) return known;
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function presenceChange(before: Person[], after: Person[], me: Person): string | null {
  const ids = (people: Person[]) => new Set(people.map((p) => p.id));
  const [was, is] = [ids(before), ids(after)];
  const joined = after.filter((p) => !was.has(p.id) && p.id !== me.id).map((p) => p.username);
  const left = before.filter((p) => !is.has(p.id) && p.id !== me.id).map((p) => p.username);
  const parts = [
    ...joined.map((name) => `${name} is viewing this report.`),
    ...left.map((name) => `${name} left.`),
  ];
  return parts.length > 0 ? parts.join(" ") : null;
}
