#!/usr/bin/env python3
"""Independent reference for the float16 listener test (FloatingTypeTests.swift).

Writes Fixtures/float16-world/: a small course world (tracks.json, embeddings.npy as float16,
users.json) and expected.bin, one byte per (state, track) evaluation: round(100 * time) where
time is computed by the course's own `User.listen` arithmetic (sim/sim/envs/user.py):

    score = np.dot(recommendation_embedding, session.embedding)       # float16 . float16
    raw_time = ss.expit((score - self.consume_bias) * self.consume_sharpness)
    artist_discount = np.power(self.artist_discount_gamma, session.artist_counter[artist])
    time = np.around(raw_time * artist_discount, decimals=2)

with the user's parameters as the Python floats json.loads gives and the counter as a Python
int. Run with NumPy 2 and SciPy (generated with NumPy 2.4.6, SciPy 1.17.1):

    python3 make-float16-fixture.py Fixtures/float16-world

States: state s = 4 * u + k is user u (its one interest is the session embedding) with k prior
plays of the recommended track's artist. expected.bin is row-major [state][track].
"""
import json
import os
import sys

import numpy as np
import scipy.special as ss

TRACKS, DIM, USERS, MAX_PLAYS, GENRES = 400, 32, 64, 4, 8


def course_time(track_embedding, session_embedding, bias, sharpness, gamma, artist_plays):
    # Verbatim from the course's User.listen.
    score = np.dot(track_embedding, session_embedding)
    raw_time = ss.expit((score - bias) * sharpness)
    artist_discount = np.power(gamma, artist_plays)
    return np.around(raw_time * artist_discount, decimals=2)


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20260316)
    genres = rng.standard_normal((GENRES, DIM))
    genre_of = rng.integers(0, GENRES, TRACKS)
    z = genres[genre_of] + 0.6 * rng.standard_normal((TRACKS, DIM))
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    embeddings = z.astype(np.float16)
    np.save(os.path.join(out, "embeddings.npy"), embeddings)

    with open(os.path.join(out, "tracks.json"), "w") as f:
        for t in range(TRACKS):
            f.write(json.dumps({"track": t, "artist": f"artist {t // 4}", "title": f"track {t}"}) + "\n")

    users = []
    with open(os.path.join(out, "users.json"), "w") as f:
        for u in range(USERS):
            line = {
                "user": u,
                "interests": [int(rng.integers(0, TRACKS))],
                "consume_bias": round(float(rng.uniform(0.1, 0.6)), 6),
                "consume_sharpness": round(float(rng.uniform(4, 15)), 6),
                "session_budget": 5,
                "artist_discount_gamma": 0.8,
            }
            text = json.dumps(line)
            f.write(text + "\n")
            users.append(json.loads(text))  # the values the course reads back

    expected = bytearray()
    for u in users:
        session_embedding = embeddings[u["interests"][0]]
        for k in range(MAX_PLAYS):
            for t in range(TRACKS):
                time = course_time(embeddings[t], session_embedding, u["consume_bias"],
                                   u["consume_sharpness"], u["artist_discount_gamma"], k)
                expected.append(int(round(float(time) * 100)))
    with open(os.path.join(out, "expected.bin"), "wb") as f:
        f.write(bytes(expected))

    # The same fractions in float64 throughout (what botify did before): how many differ.
    differ = 0
    e64 = embeddings.astype(np.float64)
    for u in users:
        s = e64[u["interests"][0]]
        for k in range(MAX_PLAYS):
            for t in range(TRACKS):
                a = course_time(e64[t], s, u["consume_bias"], u["consume_sharpness"], u["artist_discount_gamma"], k)
                differ += int(round(float(a) * 100)) != expected[(users.index(u) * MAX_PLAYS + k) * TRACKS + t]
    print(f"{len(expected)} evaluations; float64 arithmetic differs in {differ} "
          f"(numpy {np.__version__}, scipy {__import__('scipy').__version__})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "Fixtures", "float16-world"))
