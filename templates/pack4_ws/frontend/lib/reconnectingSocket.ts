/**
 * A WebSocket to this site that comes back by itself: the one place that knows how this app's
 * sockets connect, drop and reconnect. Browser code only.
 *
 * Sockets go to the page's own origin (`/ws/...`, proxied to Django by next.config.ts), so the
 * session cookie goes along and Django checks the Origin. When a connection drops (a server
 * restart, a deploy, a network blip) it is opened again after a delay that doubles with every
 * attempt that did not stay connected, capped, with jitter: a restarted server is not hit by
 * every tab at the same instant. Going back online retries at once. `onOpen` runs on every (re)connection, so the
 * owner re-sends what the server must know again (subscriptions, the last message seen).
 *
 * A socket that never opened after `giveUpAfter` handshakes is reported through `onGiveUp` and
 * closed for good: WebSockets do not get through here (a proxy without upgrades, a refused
 * handshake), and the owner can fall back to another transport. Once a socket has opened,
 * WebSockets work: it keeps trying after a drop, however long the server is away.
 */

/** `reconnecting`: it was open and dropped; `closed`: it gave up. */
export type SocketStatus = "connecting" | "open" | "reconnecting" | "closed";

export type SocketHandlers = {
  /** Connected (again): send what the server must know. */
  onOpen(send: (frame: object) => boolean): void;
  /** A JSON frame from the server. */
  onFrame(frame: unknown): void;
  /** Every change of status, for a status line. */
  onStatus?(status: SocketStatus): void;
  /** The handshake kept failing: the socket is closed for good. */
  onGiveUp?(): void;
};

export type SocketOptions = {
  /** Handshakes that may fail before the first open, before giving up. */
  giveUpAfter?: number;
  /** The first reconnection delay, and the cap the doubling stops at (ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
};

export type ReconnectingSocket = {
  /** Send a frame if connected; false when it could not be sent (not connected). */
  send(frame: object): boolean;
  /** Close for good: no reconnection, no more callbacks. */
  close(): void;
};

/** The delay before reconnection attempt `attempt` (0-based): half fixed, half random. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** `ws:` or `wss:` URL of `path` on this page's origin. */
export function socketUrl(path: string): string {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/**
 * A connection must stay open this long before the next drop starts the delays from the
 * shortest again: a server that accepts and then closes at once is not hammered.
 */
const STABLE_MS = 10_000;

export function openReconnectingSocket(
  path: string,
  handlers: SocketHandlers,
  { giveUpAfter = 4, baseDelayMs = 500, maxDelayMs = 15_000 }: SocketOptions = {},
): ReconnectingSocket {
  let socket: WebSocket | null = null;
  let closed = false;
  let everOpened = false;
  let attempt = 0;
  let openedAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (frame: object): boolean => {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };

  const status = (value: SocketStatus) => handlers.onStatus?.(value);

  function connect(): void {
    timer = undefined;
    const current = new WebSocket(socketUrl(path));
    socket = current;
    current.onopen = () => {
      everOpened = true;
      openedAt = Date.now();
      status("open");
      handlers.onOpen(send);
    };
    current.onmessage = (message: MessageEvent) => {
      if (typeof message.data !== "string") return;
      let frame: unknown;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return; // not ours to understand: the protocol is JSON text frames only
      }
      handlers.onFrame(frame);
    };
    // An error is always followed by close: reconnection is decided there, once.
    current.onclose = () => {
      if (closed || socket !== current) return;
      socket = null;
      if (openedAt > 0 && Date.now() - openedAt >= STABLE_MS) attempt = 0;
      openedAt = 0;
      if (!everOpened && attempt + 1 >= giveUpAfter) {
        stop();
        status("closed");
        handlers.onGiveUp?.();
        return;
      }
      status(everOpened ? "reconnecting" : "connecting");
      timer = setTimeout(connect, backoffDelay(attempt, baseDelayMs, maxDelayMs));
      attempt += 1;
    };
  }

  /** Back online: a waiting reconnection need not wait out its delay. */
  const online = () => {
    if (closed || timer === undefined) return;
    clearTimeout(timer);
    connect();
  };

  function stop(): void {
    closed = true;
    clearTimeout(timer);
    window.removeEventListener("online", online);
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.close(1000);
      socket = null;
    }
  }

  window.addEventListener("online", online);
  status("connecting");
  connect();
  return { send, close: stop };
}
