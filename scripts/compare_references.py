#!/usr/bin/env python3
"""Reference side of `scripts/compare-references`.

Reads the data botify wrote (same matrix, same vectors, same held-out items, same exact
neighbours), runs `implicit` (iALS) and `hnswlib` (HNSW) on it with the same parameters,
scores botify's and the references' outputs with the same code, and prints one table.
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import scipy.sparse as sp


def load_csr(directory, prefix, shape):
    indptr = np.load(os.path.join(directory, f"{prefix}_indptr.npy"))
    indices = np.load(os.path.join(directory, f"{prefix}_indices.npy"))
    data = np.load(os.path.join(directory, f"{prefix}_data.npy"))
    return sp.csr_matrix((data, indices, indptr), shape=shape)


def ranking_metrics(top, test, k=10):
    """recall@k = hits / |held out|, precision@k = hits / k, over users with held-out items."""
    recalls, precisions = [], []
    for user in range(test.shape[0]):
        held = test.indices[test.indptr[user]:test.indptr[user + 1]]
        if len(held) == 0:
            continue
        hits = len(np.intersect1d(top[user, :k], held, assume_unique=False))
        recalls.append(hits / len(held))
        precisions.append(hits / k)
    return float(np.mean(recalls)), float(np.mean(precisions))


def run_ials(directory, meta, threads):
    import implicit
    from implicit.cpu.als import AlternatingLeastSquares

    shape = (meta["users"], meta["items"])
    train = load_csr(directory, "train", shape).astype(np.float32)
    test = load_csr(directory, "test", shape)
    # implicit takes each stored value as the confidence itself (times its alpha); botify uses
    # 1 + alpha * r. Feeding implicit 1 + alpha * r with alpha 1 gives both the same objective.
    confidence = train.copy()
    confidence.data = 1 + meta["alpha"] * confidence.data
    model = AlternatingLeastSquares(
        factors=meta["factors"], regularization=meta["reg"], alpha=1.0,
        iterations=meta["iterations"], use_cg=True, num_threads=threads, random_state=meta["seed"])
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(confidence, show_progress=False)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    ids, _ = model.recommend(np.arange(shape[0]), train, N=10, filter_already_liked_items=True)
    recall, precision = ranking_metrics(ids, test)
    botify_top = np.load(os.path.join(directory, "botify_top10.npy"))
    b_recall, b_precision = ranking_metrics(botify_top, test)
    return {
        "implicit_version": implicit.__version__,
        "nnz_train": int(train.nnz), "nnz_test": int(test.nnz),
        "implicit": {"seconds_per_iteration": seconds / meta["iterations"], "cpu_seconds_per_iteration": cpu_seconds / meta["iterations"],
                     "recall@10": recall, "precision@10": precision},
        "botify": {"seconds_per_iteration": meta["botify_seconds_per_iteration"],
                   "cpu_seconds_per_iteration": meta.get("botify_cpu_seconds_per_iteration"),
                   "recall@10": b_recall, "precision@10": b_precision},
    }


def recall_at_10(found, truth):
    return float(np.mean([len(np.intersect1d(f[:10], t[:10])) / 10 for f, t in zip(found, truth)]))


def run_hnsw(directory, meta):
    import hnswlib

    base = np.load(os.path.join(directory, "base.npy"))
    queries = np.load(os.path.join(directory, "queries.npy"))
    truth = np.load(os.path.join(directory, "truth.npy"))
    index = hnswlib.Index(space="ip", dim=base.shape[1])
    start = time.perf_counter()
    index.init_index(max_elements=base.shape[0], ef_construction=meta["ef_construction"], M=meta["M"], random_seed=meta["seed"])
    index.add_items(base, np.arange(base.shape[0]), num_threads=1)
    build = time.perf_counter() - start
    rows = []
    for ef in meta["ef"]:
        index.set_ef(ef)
        found = np.empty((len(queries), 10), dtype=np.int64)
        seconds = cpu_seconds = float("inf")
        for _ in range(meta.get("passes", 1)):  # the fastest pass counts, as on botify's side
            start, cpu_start = time.perf_counter(), time.thread_time()
            for i, q in enumerate(queries):
                labels, _ = index.knn_query(q, k=10, num_threads=1)
                found[i] = labels[0]
            seconds = min(seconds, time.perf_counter() - start)
            cpu_seconds = min(cpu_seconds, time.thread_time() - cpu_start)
        ours = np.load(os.path.join(directory, f"botify_found_ef{ef}.npy"))
        rows.append({
            "ef": ef,
            "hnswlib": {"recall@10": recall_at_10(found, truth), "queries_per_second": len(queries) / seconds,
                        "queries_per_cpu_second": len(queries) / cpu_seconds},
            "botify": {"recall@10": recall_at_10(ours, truth), "queries_per_second": meta["botify_qps"][str(ef)],
                       "queries_per_cpu_second": meta["botify_cpu_qps"][str(ef)]},
        })
    return {"hnswlib_version": getattr(hnswlib, "__version__", "0.8.0"), "build_seconds": {"hnswlib": build, "botify": meta["botify_build_seconds"]}, "queries": rows}


def print_ials(ials, ials_meta, threads):
    b, r = ials["botify"], ials["implicit"]
    print(f"iALS  {ials_meta['users']:,} users x {ials_meta['items']:,} items, {ials['nnz_train']:,} train / {ials['nnz_test']:,} held-out, "
          f"factors {ials_meta['factors']}, {ials_meta['iterations']} iterations, {threads} threads, alpha {ials_meta['alpha']}, reg {ials_meta['reg']}")
    b_cpu, r_cpu = b["cpu_seconds_per_iteration"] or float("nan"), r["cpu_seconds_per_iteration"]
    print(f"{'':10} {'s/iter':>8} {'CPU s/iter':>10} {'recall@10':>10} {'prec@10':>8}")
    print(f"{'botify':10} {b['seconds_per_iteration']:8.3f} {b_cpu:10.3f} {b['recall@10']:10.4f} {b['precision@10']:8.4f}")
    print(f"{'implicit':10} {r['seconds_per_iteration']:8.3f} {r_cpu:10.3f} {r['recall@10']:10.4f} {r['precision@10']:8.4f}")
    print(f"{'ratio':10} {b['seconds_per_iteration'] / r['seconds_per_iteration']:8.2f} {b_cpu / r_cpu:10.2f} "
          f"{b['recall@10'] - r['recall@10']:+10.4f} (botify/implicit time, recall difference)")


def print_hnsw(hnsw, hnsw_meta):
    bs = hnsw["build_seconds"]
    print(f"HNSW  {hnsw_meta['n']:,} unit vectors, dim {hnsw_meta['dim']}, {hnsw_meta['queries']} queries, M {hnsw_meta['M']}, "
          f"efConstruction {hnsw_meta['ef_construction']}, 1 thread, fastest of {hnsw_meta.get('passes', 1)} query passes")
    print(f"build seconds: botify {bs['botify']:.2f}, hnswlib {bs['hnswlib']:.2f}, ratio {bs['botify'] / bs['hnswlib']:.2f}")
    print(f"{'ef':>4} {'botify recall':>13} {'botify q/s':>11} {'hnswlib recall':>14} {'hnswlib q/s':>12} {'q/s ratio':>9} {'CPU-time ratio':>14}")
    for row in hnsw["queries"]:
        ob, oh = row["botify"], row["hnswlib"]
        print(f"{row['ef']:>4} {ob['recall@10']:13.4f} {ob['queries_per_second']:11.0f} {oh['recall@10']:14.4f} {oh['queries_per_second']:12.0f} "
              f"{ob['queries_per_second'] / oh['queries_per_second']:9.2f} {ob['queries_per_cpu_second'] / oh['queries_per_cpu_second']:14.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ials-dir", help="botify's iALS output; without it the iALS half is skipped")
    parser.add_argument("--hnsw-dir", help="botify's HNSW output; without it the HNSW half is skipped")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json-out", required=True,
                        help="when only one half runs, that half replaces its section of an existing file")
    args = parser.parse_args()
    if not args.ials_dir and not args.hnsw_dir:
        parser.error("give --ials-dir, --hnsw-dir or both")

    result = {}
    if (not args.ials_dir or not args.hnsw_dir) and os.path.exists(args.json_out):
        with open(args.json_out) as f:
            result = json.load(f)
    today = time.strftime("%Y-%m-%d")
    if args.ials_dir:
        with open(os.path.join(args.ials_dir, "meta.json")) as f:
            ials_meta = json.load(f)
        ials = run_ials(args.ials_dir, ials_meta, args.threads)
        ials["date"] = today
        result["ials"] = ials
        print_ials(ials, ials_meta, args.threads)
        print()
    if args.hnsw_dir:
        with open(os.path.join(args.hnsw_dir, "meta.json")) as f:
            hnsw_meta = json.load(f)
        hnsw = run_hnsw(args.hnsw_dir, hnsw_meta)
        hnsw["date"] = today
        result["hnsw"] = hnsw
        print_hnsw(hnsw, hnsw_meta)

    if args.ials_dir and args.hnsw_dir:
        result["date"] = today
    result["machine"] = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "python": sys.version.split()[0]}
    with open(args.json_out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"\nwritten: {args.json_out}")


if __name__ == "__main__":
    main()
