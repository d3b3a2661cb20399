#!/usr/bin/env python3
"""The course's listener model in NumPy, as a careful NumPy programmer would write it: the
reference that `botify simulate`'s whole-process throughput is compared with (issue #13, item 4;
`scripts/numpy-reference` runs both sides).

The model is the course's `sim/sim/envs/user.py` `User` (docs/ARCHITECTURE.md §3, "A session"),
written from that description, vectorised over every session of a block at once instead of one
gym step at a time:

- a session starts with an interest drawn uniformly from the user's interests; its embedding is
  that track's; the first track is uniform among the first `interest_neighbours` tracks nearest
  to it by inner product (faiss `Flat`, METRIC_INNER_PRODUCT in the course; exact here, ties to
  the lower id) and is heard in full (fraction 1.0);
- each recommendation is the course's `Random` (`redis.randomkey()`): uniform over the whole
  catalog, repeats allowed;
- fraction = 0 for a track already played this session, else
  round(expit((e_r . s - b) * c) * gamma ** n_artist, 2), n_artist = plays so far this session by
  the track's artist (the first track included; every play counts, repeats too);
- the budget (session_budget) drops by one when a uniform draw exceeds the fraction; the session
  ends at budget 0.

Floating types follow NumPy 2 as the course's code gets them: a float32 world computes the dot,
`- b`, `* c` and expit in float32 (b, c are Python floats, cast to the array's dtype), the
discount `np.power(gamma, n)` in float64 and the product and rounding in float64; a float16 world
computes the dot and `- b`, `* c` in float16 and expit in float64 (SciPy's `expit` has no float16
loop). SciPy is not needed: expit is 1 / (1 + exp(-x)) in the same dtype, as SciPy's own loop.

Traffic is botify's default (`--traffic per-user`): each of the first --users users has --sessions
sessions. Every play is logged to SQLite (WAL, synchronous NORMAL, as botify) in one transaction
per block of about --batch-plays plays; sessions are rows of their own. Seeded (numpy PCG64).

Prints one JSON object: sessions, plays, mean session length with its 95% CI over users (the
ratio of sums, whose delta-method interval is the interval of the per-user means when every user
has the same number of sessions), and the seconds of each phase.
"""
import argparse
import json
import os
import sqlite3
import sys
import time

import numpy as np


def read_world(directory, users):
    embeddings = np.load(os.path.join(directory, "embeddings.npy"))
    if embeddings.dtype not in (np.float32, np.float16):
        sys.exit(f"numpy-reference: {directory}/embeddings.npy: dtype {embeddings.dtype}, expected float32 or float16")
    artists = []
    with open(os.path.join(directory, "tracks.json")) as f:
        for line in f:
            row = json.loads(line)
            artists.append((row["track"], row["artist"]))
    artists.sort()
    if [t for t, _ in artists] != list(range(len(embeddings))):
        sys.exit(f"numpy-reference: {directory}/tracks.json: track ids are not 0..{len(embeddings) - 1}")
    _, artist_of_track = np.unique(np.array([a for _, a in artists], dtype=object).astype(str), return_inverse=True)
    population = []
    with open(os.path.join(directory, "users.json")) as f:
        for line in f:
            if len(population) == users:
                break
            population.append(json.loads(line))
    if len(population) < users:
        sys.exit(f"numpy-reference: {directory}/users.json: {len(population)} users, --users {users}")
    return embeddings, artist_of_track.astype(np.int32), population


def nearest(embeddings, queries, k):
    """Row q: the k tracks of highest inner product with track queries[q], best first, ties to the
    lower id. Scored in float32 blocks of queries (a float16 matrix product has no BLAS)."""
    matrix = embeddings.astype(np.float32, copy=False)
    out = np.empty((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), 512):
        block = queries[start:start + 512]
        out[start:start + len(block)] = top_k(matrix[block] @ matrix.T, k)
    return out


def top_k(scores, k, group=64):
    """The k highest columns of each row, best first, ties to the lower column. Selecting over a
    whole row (np.argpartition) costs tens of ns a score; instead the k-th largest of the rows'
    group maxima bounds the k-th largest score from below, and only the few scores above it are
    sorted."""
    n, width = scores.shape
    whole = width // group * group
    if width // group < k:
        top = np.argpartition(scores, -k, axis=1)[:, -k:]
        order = np.lexsort((top, -np.take_along_axis(scores, top, axis=1)), axis=1)
        return np.take_along_axis(top, order, axis=1)
    maxima = scores[:, :whole].reshape(n, -1, group).max(axis=2)
    if whole < width:
        maxima = np.concatenate((maxima, scores[:, whole:].max(axis=1, keepdims=True)), axis=1)
    bound = np.partition(maxima, -k, axis=1)[:, -k]
    rows, columns = np.nonzero(scores >= bound[:, None])
    order = np.lexsort((columns, -scores[rows, columns], rows))
    rows, columns = rows[order], columns[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, np.arange(n))[rows]
    return columns[rank < k].reshape(n, k)


def expit(x):
    return 1 / (1 + np.exp(-x))


def simulate(embeddings, artist_of_track, population, sessions_per_user, seed, db, batch_plays, block_sessions):
    started = time.perf_counter()
    tracks = len(embeddings)
    n_users = len(population)
    dtype = embeddings.dtype
    # Per user: parameters, interests (ragged, as offsets), interest_neighbours.
    user_ids = np.array([u["user"] for u in population], dtype=np.int64)
    bias = np.array([u.get("consume_bias", 5.0) for u in population], dtype=np.float64)
    sharpness = np.array([u.get("consume_sharpness", 1.0) for u in population], dtype=np.float64)
    budget0 = np.array([u.get("session_budget", 5) for u in population], dtype=np.int64)
    gamma = np.array([u.get("artist_discount_gamma", 0.8) for u in population], dtype=np.float64)
    width = np.array([min(u.get("interest_neighbours", 10), tracks) for u in population], dtype=np.int64)
    counts = np.array([len(u["interests"]) for u in population], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    interests = np.concatenate([np.asarray(u["interests"], dtype=np.int64) for u in population])
    distinct, slot = np.unique(interests, return_inverse=True)
    lists = nearest(embeddings, distinct, int(width.max()))
    neighbours_seconds = time.perf_counter() - started

    rng = np.random.Generator(np.random.PCG64(seed))
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, interest_track INTEGER NOT NULL, "
               "length REAL NOT NULL, plays INTEGER NOT NULL)")
    db.execute("CREATE TABLE plays (session_id INTEGER NOT NULL, position INTEGER NOT NULL, track INTEGER NOT NULL, "
               "fraction REAL NOT NULL, PRIMARY KEY (session_id, position)) WITHOUT ROWID")

    user_of_session = np.repeat(np.arange(n_users), sessions_per_user)
    total = len(user_of_session)
    lengths = np.empty(total)
    total_plays = 0
    pending = []  # (sessions rows, plays rows) waiting for the next transaction
    pending_plays = 0

    def commit():
        nonlocal pending, pending_plays
        with db:
            for session_rows, play_rows in pending:
                db.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", session_rows)
                db.executemany("INSERT INTO plays VALUES (?, ?, ?, ?)", play_rows)
        pending, pending_plays = [], 0

    for start in range(0, total, block_sessions):
        user = user_of_session[start:start + block_sessions]
        n = len(user)
        # New sessions: an interest uniform among the user's, a first track uniform among the
        # first interest_neighbours of its nearest list.
        pick = offsets[user] + (rng.random(n) * counts[user]).astype(np.int64)
        interest = interests[pick]
        first = lists[slot[pick], (rng.random(n) * width[user]).astype(np.int64)]
        session_embedding = embeddings[interest]
        b = bias[user].astype(dtype)
        c = sharpness[user].astype(dtype)
        g = gamma[user]
        budget = budget0[user].copy()

        # Plays so far, one full-width column per position (-1 past a session's end); only
        # still-running sessions are stepped.
        played, artists_played = [first], [artist_of_track[first]]
        rows = np.arange(n)
        active = rows
        track_columns, fraction_columns, row_columns = [first], [np.ones(n)], [rows]
        while len(active):
            rec = rng.integers(0, tracks, size=len(active))
            artist = artist_of_track[rec]
            seen = np.zeros(len(active), dtype=bool)
            same_artist = np.zeros(len(active), dtype=np.int64)
            for column, artist_column in zip(played, artists_played):
                seen |= column[active] == rec
                same_artist += artist_column[active] == artist
            score = np.einsum("ij,ij->i", embeddings[rec], session_embedding[active])
            if dtype == np.float16:
                raw = expit(((score - b[active]) * c[active]).astype(np.float64))
            else:
                raw = expit((score - b[active]) * c[active]).astype(np.float64)
            fraction = np.round(raw * np.power(g[active], same_artist), 2)
            fraction[seen] = 0.0
            budget[active] -= rng.random(len(active)) > fraction
            full_track = np.full(n, -1, dtype=np.int64)
            full_track[active] = rec
            full_artist = np.full(n, -1, dtype=np.int64)
            full_artist[active] = artist
            played.append(full_track)
            artists_played.append(full_artist)
            track_columns.append(rec)
            fraction_columns.append(fraction)
            row_columns.append(active)
            active = active[budget[active] > 0]

        # Rows in (session, position) order, as the primary key wants them.
        position = np.concatenate([np.full(len(r), p) for p, r in enumerate(row_columns)])
        row = np.concatenate(row_columns)
        order = np.lexsort((position, row))
        row, position = row[order], position[order]
        track = np.concatenate(track_columns)[order]
        fraction = np.concatenate(fraction_columns)[order]
        length = np.bincount(row, weights=fraction, minlength=n)
        plays = np.bincount(row, minlength=n)
        lengths[start:start + n] = length
        ids = start + 1 + rows
        pending.append((list(zip(ids.tolist(), user_ids[user].tolist(), interest.tolist(), length.tolist(), plays.tolist())),
                        list(zip((start + 1 + row).tolist(), position.tolist(), track.tolist(), fraction.tolist()))))
        pending_plays += len(row)
        total_plays += len(row)
        if pending_plays >= batch_plays:
            commit()
    if pending:
        commit()

    per_user = lengths.reshape(n_users, sessions_per_user).mean(axis=1)
    mean = float(lengths.mean())
    half = 1.959963984540054 * float(per_user.std(ddof=1)) / np.sqrt(n_users) if n_users > 1 else float("nan")
    return {"sessions": total, "plays": int(total_plays), "mean_length": mean, "ci_low": mean - half, "ci_high": mean + half,
            "neighbour_seconds": neighbours_seconds, "simulate_and_log_seconds": time.perf_counter() - started - neighbours_seconds}


def main():
    process_start = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", required=True, help="a directory written by `botify world export --format course`")
    parser.add_argument("--db", required=True, help="SQLite file to create (must not exist)")
    parser.add_argument("--users", type=int, default=10000)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-plays", type=int, default=100_000)
    parser.add_argument("--block-sessions", type=int, default=50_000, help="sessions simulated at once")
    args = parser.parse_args()
    if args.users < 1 or args.sessions < 1 or args.batch_plays < 1 or args.block_sessions < 1:
        sys.exit("numpy-reference: --users, --sessions, --batch-plays and --block-sessions must be positive")
    if os.path.exists(args.db):
        sys.exit(f"numpy-reference: {args.db} exists; give a new file")
    read_start = time.perf_counter()
    embeddings, artist_of_track, population = read_world(args.world, args.users)
    read_seconds = time.perf_counter() - read_start
    db = sqlite3.connect(args.db, isolation_level=None)
    db.isolation_level = "DEFERRED"
    result = simulate(embeddings, artist_of_track, population, args.sessions, args.seed, db,
                      args.batch_plays, args.block_sessions)
    db.close()
    result.update(read_seconds=read_seconds, process_seconds=time.perf_counter() - process_start,
                  numpy=np.__version__, dtype=str(embeddings.dtype), dimensions=int(embeddings.shape[1]), tracks=len(embeddings))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
