"use client";

import { type FormEvent, type KeyboardEvent, useState } from "react";

import { FormError } from "@/components/FormError";
import { Timestamp } from "@/components/Timestamp";
import type { SocketStatus } from "@/lib/reconnectingSocket";
import { COMMENT_MAX_CHARS, type Person, type RoomComment } from "@/lib/room";
import { useReportRoom } from "@/lib/useReportRoom";

import styles from "./ReportRoom.module.css";

const CONNECTION: Record<SocketStatus, string> = {
  connecting: "Connecting to the live discussion…",
  open: "Live: new comments and viewers appear as they happen.",
  reconnecting: "Connection lost; reconnecting. Comments you post now are sent once it is back.",
  closed: "The live discussion cannot connect from here. Reload the page to try again.",
};

type Props = { reportId: number; me: Person; initialComments: RoomComment[] };

/** A report's room: who is viewing it now, its comments, and a form to add one. */
export function ReportRoom({ reportId, me, initialComments }: Props) {
  const room = useReportRoom(reportId, me, initialComments);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState("");

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const refusal = room.post(draft);
    setProblem(refusal);
    if (!refusal) setDraft("");
  }

  /** Ctrl+Enter (⌘+Enter) posts, as in most comment boxes; Enter alone starts a new line. */
  function shortcut(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  }

  const empty = room.comments.length === 0 && room.pending.length === 0;
  return (
    <section className="card stack" aria-labelledby="room-heading">
      <h2 id="room-heading">Discussion</h2>
      <p className="status">{CONNECTION[room.status]}</p>

      <div className={styles.viewers} aria-busy={room.status !== "open"}>
        <h3 id="viewers-heading">Viewing now</h3>
        <ul aria-labelledby="viewers-heading" className={styles.people}>
          {room.viewers.map((viewer) => (
            <li key={viewer.id} data-viewer={viewer.username}>
              {viewer.username}
              {viewer.id === me.id && " (you)"}
            </li>
          ))}
        </ul>
      </div>

      <h3 id="comments-heading">Comments</h3>
      {empty ? (
        <p className="empty">No comments yet.</p>
      ) : (
        <ol aria-labelledby="comments-heading" className={styles.comments}>
          {room.comments.map((comment) => (
            <li key={comment.id} data-comment-id={comment.id} className={styles.comment}>
              <p className={styles.meta}>
                <strong>{comment.author.username}</strong> <Timestamp value={comment.created_at} />
              </p>
              <p className={styles.body}>{comment.body}</p>
            </li>
          ))}
          {room.pending.map((p) => (
            <li
              key={p.clientId}
              className={styles.comment}
              data-pending={p.state}
              aria-busy={p.state !== "failed"}
            >
              <p className={styles.meta}>
                <strong>{me.username}</strong>{" "}
                {p.state === "failed" ? "Not sent." : <em>Sending…</em>}
              </p>
              <p className={styles.body}>{p.body}</p>
              {p.state === "failed" && (
                <div className="actions">
                  <p role="alert" className="form-error">
                    {p.error}
                  </p>
                  <button type="button" onClick={() => room.retry(p.clientId)}>
                    Retry
                  </button>
                  <button
                    type="button"
                    className={styles.secondary}
                    onClick={() => room.discard(p.clientId)}
                  >
                    Discard
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}

      <form onSubmit={submit} className="stack" noValidate>
        <FormError message={room.notice ?? undefined} />
        <div className="field">
          <label htmlFor="comment-body">Add a comment</label>
          <textarea
            id="comment-body"
            name="body"
            rows={3}
            maxLength={COMMENT_MAX_CHARS}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={shortcut}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`comment-body-hint${problem ? " comment-body-error" : ""}`}
            className={styles.textarea}
          />
          <p id="comment-body-hint" className="hint">
            Everyone the report is shared with sees it at once. Ctrl+Enter posts.
          </p>
          {problem && (
            <p id="comment-body-error" className="field-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        <button type="submit">Post comment</button>
      </form>

      {/* Joins, departures, others' comments and connection changes, read out politely. */}
      <p className={styles.announcer} aria-live="polite" aria-atomic="true">
        {room.announcement}
      </p>
    </section>
  );
}
