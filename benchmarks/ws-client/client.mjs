// P5's load client: COUNT WebSocket clients of one user in one process (benchmarks/p5_ws_fanout.py).
//   node client.mjs URL ORIGIN COOKIE COUNT TERMINAL_STATUSES
// Connects every socket, prints "ready", reads the job id from stdin, subscribes every socket
// to it and records each job frame with the time it was read, until every socket saw the job
// end (or 10 minutes); prints the frames per socket as one JSON line.
import { createInterface } from "node:readline";

import WebSocket from "ws";

const [url, origin, cookie, countText, terminalText] = process.argv.slice(2);
const count = Number(countText);
const terminal = new Set(terminalText.split(","));

function open() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      origin,
      headers: { Cookie: cookie },
      perMessageDeflate: false,
      handshakeTimeout: 120_000,
    });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

const sockets = [];
for (let start = 0; start < count; start += 50) {
  const batch = Array.from({ length: Math.min(50, count - start) }, open);
  sockets.push(...(await Promise.all(batch)));
}
console.log("ready");

const lines = createInterface({ input: process.stdin });
const job = (await lines[Symbol.asyncIterator]().next()).value.trim();
const frames = sockets.map(() => []);
let unfinished = sockets.length;

await new Promise((resolve) => {
  const deadline = setTimeout(resolve, 600_000);
  sockets.forEach((socket, index) => {
    socket.on("message", (data) => {
      const at = Date.now() / 1000;
      const frame = JSON.parse(data.toString());
      if (frame.type !== "job") {
        frames[index].push([`frame:${frame.type}`, -1, at]);
        return;
      }
      frames[index].push([frame.job.status, frame.job.progress, at]);
      if (terminal.has(frame.job.status) && --unfinished === 0) {
        clearTimeout(deadline);
        resolve();
      }
    });
    socket.send(JSON.stringify({ type: "subscribe", job }));
  });
});
for (const socket of sockets) socket.terminate();
lines.close();
console.log(JSON.stringify(frames));
