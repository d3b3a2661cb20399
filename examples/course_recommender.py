#!/usr/bin/env python3
"""A course-style recommender service: the template a student starts from.

It speaks the protocol of the course's `botify/server.py` (Flask + Flask-RESTful), so the
course's simulator (`sim/run.py --recommender remote`) and botify (`botify simulate --strategy
http://127.0.0.1:5001`, `botify play --strategy http://...`, `botify ab --arms i2i,http://...`)
both drive it unchanged:

    GET  /                 -> 200 {"status": "alive", "message": ...}
    GET  /track/<int>      -> 200 {"track", "artist", "title", "recommendations"}; unknown -> 404
    POST /next/<int:user>  {"track": int, "time": float} -> 200 {"user": int, "track": int}
    POST /last/<int:user>  {"track": int, "time": float} -> 200 {"user": int}

`time` is the fraction of `track` the listener heard (the first /next of a session carries
the session's first track with time 1.0). Every call is logged as one JSON line in the course's
format (`--log-jsonl FILE`) so the course's notebooks read it.

Standard library only (http.server), so it runs anywhere Python 3.9+ does; the recommender
itself (`CourseRecommender`) knows nothing about HTTP and runs unchanged behind Flask — see
examples/README.md. Replace `CourseRecommender.recommend_next` with your own model.
"""

import argparse
import csv
import json
import random
import re
import signal
import sys
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LISTEN_HISTORY_LIMIT = 10  # the course service keeps each user's last 10 listens


class Catalog:
    """Tracks by id (botify's ids are the rows of its catalog file, 0, 1, 2, ...)."""

    def __init__(self, artists, titles):
        self.artists = artists
        self.titles = titles
        self.by_artist = defaultdict(list)
        for track, artist in enumerate(artists):
            self.by_artist[artist].append(track)

    @classmethod
    def load_csv(cls, path):
        """botify's catalog CSV (catalog/tracks.csv: columns `artist`, `title`, one row per track)."""
        artists, titles = [], []
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                artists.append(row["artist"])
                titles.append(row["title"])
        return cls(artists, titles)

    def __len__(self):
        return len(self.artists)


class CourseRecommender:
    """The recommender, free of HTTP: keep this class and swap the service around it.

    Like the course's baselines it keeps each user's last 10 listens (track, time) and answers
    from them: after a track heard at least half-way, another unheard track by the same artist
    (the course's sticky artist); otherwise, or when the artist has nothing left, a random
    unheard track (the course's random fallback). Each user's choices come from the user's own
    seeded generator, so the answers depend only on that user's own calls: botify's results
    then do not depend on its --threads.
    """

    def __init__(self, catalog, seed=0):
        self.catalog = catalog
        self.seed = seed
        self.lock = threading.Lock()
        self.history = defaultdict(lambda: deque(maxlen=LISTEN_HISTORY_LIMIT))
        self.rngs = {}
        self.calls = {"next": 0, "last": 0}

    def _rng(self, user):
        if user not in self.rngs:
            self.rngs[user] = random.Random(f"{self.seed}:{user}")
        return self.rngs[user]

    def _remember(self, user, track, track_time):
        self.history[user].appendleft((track, track_time))

    def recommend_next(self, user, track, track_time):
        with self.lock:
            self.calls["next"] += 1
            self._remember(user, track, track_time)
            rng = self._rng(user)
            seen = {t for t, _ in self.history[user]}
            if 0 <= track < len(self.catalog) and track_time >= 0.5:
                same = [t for t in self.catalog.by_artist[self.catalog.artists[track]] if t not in seen]
                if same:
                    return rng.choice(same)
            for _ in range(100):
                candidate = rng.randrange(len(self.catalog))
                if candidate not in seen:
                    return candidate
            return rng.randrange(len(self.catalog))

    def last(self, user, track, track_time):
        with self.lock:
            self.calls["last"] += 1
            self._remember(user, track, track_time)


class DataLogger:
    """The course's data log (`botify/data.py`): one JSON object per call."""

    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8") if path else None
        self.lock = threading.Lock()

    def log(self, location, user, track, track_time, latency, recommendation=None):
        if self.file is None:
            return
        line = json.dumps({"message": location, "timestamp": int(time.time() * 1000), "user": user,
                           "track": track, "time": track_time, "latency": latency,
                           "recommendation": recommendation, "experiments": {}})
        with self.lock:
            self.file.write(line + "\n")
            self.file.flush()


ROUTE = re.compile(r"^/(next|last)/(-?[^/]+)$")
TRACK = re.compile(r"^/track/([^/]+)$")


class Handler(BaseHTTPRequestHandler):
    """The HTTP side, answering as Flask-RESTful does (status codes and error bodies)."""

    protocol_version = "HTTP/1.1"  # keep-alive: botify reuses its connections
    # Headers and body go out as two writes; with Nagle's algorithm the body would wait for the
    # client's delayed ACK of the headers (about 40 ms a call on Linux).
    disable_nagle_algorithm = True
    recommender = None  # set by make_server
    data_logger = DataLogger(None)

    def log_message(self, format, *args):  # quiet: the data log records every call
        pass

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self):
        if self.path == "/":
            return self.send_json(200, {"status": "alive", "message": "welcome to a course-style botify recommender"})
        m = TRACK.match(self.path)
        if m and m.group(1).isdigit() and int(m.group(1)) < len(self.recommender.catalog):
            t = int(m.group(1))
            c = self.recommender.catalog
            return self.send_json(200, {"track": t, "artist": c.artists[t], "title": c.titles[t], "recommendations": []})
        if ROUTE.match(self.path):
            return self.send_json(405, {"message": "The method is not allowed for the requested URL."})
        self.send_json(404, {"message": "The requested URL was not found on the server."})

    def do_POST(self):
        body = self.read_body()  # read it whatever the route, so the connection stays usable
        m = ROUTE.match(self.path)
        if not m or not m.group(2).isdigit():  # Flask's <int:user> takes digits only
            return self.send_json(404, {"message": "The requested URL was not found on the server."})
        endpoint, user = m.group(1), int(m.group(2))
        try:
            args = json.loads(body) if body else None
        except ValueError:
            args = None
        if not isinstance(args, dict):
            return self.send_json(400, {"message": "Failed to decode JSON object"})
        for field, kind in (("track", int), ("time", float)):
            value = args.get(field)
            if value is None:
                return self.send_json(400, {"message": {field: "Missing required parameter in the JSON body"}})
            try:
                args[field] = kind(value)
            except (TypeError, ValueError):
                return self.send_json(400, {"message": {field: f"invalid literal for {kind.__name__}(): {value!r}"}})
        self.answer(endpoint, user, args["track"], args["time"])

    def answer(self, endpoint, user, track, track_time):
        """The /next and /last bodies (a test's misbehaving service overrides this)."""
        start = time.time()
        if endpoint == "next":
            recommendation = self.recommender.recommend_next(user, track, track_time)
            self.data_logger.log("next", user, track, track_time, time.time() - start, recommendation)
            self.send_json(200, {"user": user, "track": recommendation})
        else:
            self.recommender.last(user, track, track_time)
            self.data_logger.log("last", user, track, track_time, time.time() - start)
            self.send_json(200, {"user": user})


def make_server(args, handler=Handler):
    catalog = Catalog.load_csv(args.catalog)
    handler.recommender = CourseRecommender(catalog, seed=args.seed)
    handler.data_logger = DataLogger(args.log_jsonl)
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.daemon_threads = True
    return server


def parser():
    default_catalog = Path(__file__).resolve().parent.parent / "catalog" / "tracks.csv"
    p = argparse.ArgumentParser(description="A course-style recommender service (the course's /next and /last protocol).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5001, help="0 picks a free port (printed on the first line)")
    p.add_argument("--catalog", default=str(default_catalog), help="botify's catalog CSV (default: the shipped one)")
    p.add_argument("--seed", type=int, default=0, help="seeds each user's generator")
    p.add_argument("--log-jsonl", help="log every call as a JSON line, in the course's format")
    return p


def serve(server):
    # SIGTERM stops it cleanly, even when started by a process that blocks the signal (the
    # mask is inherited: test runners and some supervisors block it).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    serve(make_server(parser().parse_args()))
    sys.exit(0)
