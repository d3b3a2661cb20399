#!/usr/bin/env python3
"""examples/course_recommender.py, misbehaving on purpose (RemoteStrategyCLITests).

Each user's /next calls cycle through six answers, by the user's own call count, so which
calls misbehave does not depend on how botify spreads users over threads:
  0 a normal answer, 1 too slow (sleeps --sleep seconds), 2 HTTP 500 (the course's i2i does this
  when only zero-time anchors are left), 3 a body that is not JSON, 4 a track outside the
  catalog, 5 a repeat (the track just heard).
/last calls answer normally.
"""

import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import course_recommender as course  # noqa: E402


class FlakyHandler(course.Handler):
    sleep = 2.0
    lock = threading.Lock()
    calls = defaultdict(int)

    def answer(self, endpoint, user, track, track_time):
        if endpoint != "next":
            return super().answer(endpoint, user, track, track_time)
        with self.lock:
            n = self.calls[user]
            self.calls[user] += 1
        mode = n % 6
        try:
            if mode == 1:
                time.sleep(self.sleep)
                super().answer(endpoint, user, track, track_time)
            elif mode == 2:
                self.send_json(500, {"message": "Internal Server Error"})
            elif mode == 3:
                data = b"<html>not json</html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif mode == 4:
                self.send_json(200, {"user": user, "track": 10 ** 9})
            elif mode == 5:
                self.send_json(200, {"user": user, "track": track})
            else:
                super().answer(endpoint, user, track, track_time)
        except (BrokenPipeError, ConnectionResetError):
            pass  # botify gave up on the slow answer and closed the connection


if __name__ == "__main__":
    p = course.parser()
    p.add_argument("--sleep", type=float, default=2.0, help="seconds a slow answer takes")
    args = p.parse_args()
    FlakyHandler.sleep = args.sleep
    course.serve(course.make_server(args, FlakyHandler))
