# A course-size world (16,198 tracks, D = 4096, float16, 10,000 users) in the course's file
# layout, for timing botify's import and start-up. Seeded; not the course's data.
# Usage: python3 scripts/course-size-world.py DIR   (needs numpy; writes about 136 MB)
import json, os, sys
import numpy as np

out = sys.argv[1]
tracks, d, users = 16198, 4096, 10000
rng = np.random.default_rng(13)
os.makedirs(out, exist_ok=True)
e = rng.standard_normal((tracks, d), dtype=np.float32)
e /= np.linalg.norm(e, axis=1, keepdims=True)
np.save(os.path.join(out, "embeddings.npy"), e.astype(np.float16))
genres = ["pop", "rock", "rap", "jazz", "folk", "metal", "house"]
with open(os.path.join(out, "tracks.json"), "w") as f:
    for t in range(tracks):
        f.write(json.dumps({"track": t, "artist": f"artist {t % 3100}", "title": f"track {t}", "album": f"album {t // 9}",
                            "genre": [genres[t % 7]], "duration": 180.0 + t % 120, "pop": float(t % 100), "year": 1990 + t % 35}) + "\n")
with open(os.path.join(out, "users.json"), "w") as f:
    for u in range(users):
        k = 1 + int(rng.binomial(5, 0.5))
        f.write(json.dumps({"user": u, "interests": [int(x) for x in rng.integers(0, tracks, size=k)]}) + "\n")
