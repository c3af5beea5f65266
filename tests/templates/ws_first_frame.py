"""Subscribe to a job on /ws/jobs/ as a signed-in browser tab does and print the first frame.

Run with the generated app's venv (it has the websockets library, a pack 4 dev dependency):
`python ws_first_frame.py SERVER_URL SESSION_ID JOB_ID`. Exits non-zero, with websockets' own
error, when the handshake is refused or no frame comes within 10 s.
"""

import json
import sys

from websockets.sync.client import connect


def main(server: str, session: str, job: str) -> None:
    with connect(
        server.replace("http", "ws", 1) + "/ws/jobs/",
        origin=server,  # the page's own origin, as a browser sends it
        additional_headers={"Cookie": f"sessionid={session}"},
        open_timeout=10,
    ) as socket:
        socket.send(json.dumps({"type": "subscribe", "job": job}))
        print(socket.recv(timeout=10))


if __name__ == "__main__":
    main(*sys.argv[1:])
