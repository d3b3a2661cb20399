#!/usr/bin/env python3
"""Reference side of `scripts/compare-references`.

Reads the data botify wrote (same matrix, same vectors, same held-out items, same exact
neighbours), runs `implicit` (iALS) and the HNSW libraries `hnswlib`, `faiss`, `usearch` and
`voyager` on it with the same parameters, scores botify's and the references' outputs with the
same code, and prints one table. With `--kernel-gflops`/`--fma-peak` it also sets the iALS
conjugate-gradient kernel's achieved GFLOP/s against the machine's measured FMA peak.
"""
import argparse
import importlib.metadata
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


def machine_limit(directory, meta, seconds_per_iteration):
    """The iALS kernel against the machine: reads `fma-peak.txt` (Benchmarks/tools/fma-peak.c)
    and `kernel.txt` (Benchmarks/tools/ials-kernel-bench.c, one thread on this same matrix) that
    scripts/compare-references leaves in the iALS directory. None when they are not there."""
    peak_path, kernel_path = os.path.join(directory, "fma-peak.txt"), os.path.join(directory, "kernel.txt")
    if not (os.path.exists(peak_path) and os.path.exists(kernel_path)):
        return None
    peak, peak512 = {}, {}
    with open(peak_path) as f:
        for line in f:
            words = line.split()
            if words[:2] == ["fma-peak", "threads"]:
                peak[int(words[2])] = float(words[4])
            elif words[:3] == ["fma-peak", "avx512", "threads"]:
                peak512[int(words[3])] = float(words[5])
    kernel = None
    with open(kernel_path) as f:
        for line in f:
            if line.startswith("kernel-gflops "):
                words = line.split()[1:]
                kernel = {words[i]: words[i + 1] for i in range(0, len(words), 2)}
    if not peak or kernel is None:
        raise SystemExit(f"compare_references: {peak_path} or {kernel_path} has no result line")
    one, every = peak[min(peak)], peak[max(peak)]
    flops = float(kernel["cg_flops_per_sweep"]) + float(kernel["gram_flops_per_sweep"])
    whole = flops / seconds_per_iteration * 1e-9
    return {
        "fma_peak_gflops": {str(t): g for t, g in sorted(peak.items())},
        "fma_peak_avx512_gflops": {str(t): g for t, g in sorted(peak512.items())},
        "kernels": kernel["kernels"],
        "cg_gflops_1_thread": float(kernel["cg"]), "cg_fraction_of_1_core_peak": float(kernel["cg"]) / one,
        "gram_gflops_1_thread": float(kernel["gram"]), "gram_fraction_of_1_core_peak": float(kernel["gram"]) / one,
        "ns_per_nonzero_per_cg_pass": float(kernel["ns_per_nnz_pass"]),
        "flops_per_iteration": flops,
        "iteration_gflops": whole, "iteration_threads": meta.get("threads", max(peak)),
        "iteration_fraction_of_peak": whole / every, "peak_threads": max(peak),
    }


def recall_at_10(found, truth):
    return float(np.mean([len(np.intersect1d(f[:10], t[:10])) / 10 for f, t in zip(found, truth)]))


# The HNSW peers. Every one builds the same graph shape as botify's HNSWIndex on the same f32
# vectors: M links per node on the upper layers and 2M on the bottom one, levels drawn with
# multiplier 1/ln M, efConstruction candidates while inserting, one thread, and it scores
# candidates by the plain f32 inner product of unit vectors (no quantisation, no
# reduced-precision storage), as botify's `.innerProduct` metric does. Each peer is driven one
# query per call from Python, so its figures include that call's cost; `call_overhead_us`
# measures it on a 100-point index (`peer_call_overhead`). Each one's exact knobs:
#   hnswlib  Index(space="ip"): distance 1 − q·x on f32; init_index(M, ef_construction,
#            random_seed), add_items(num_threads=1), set_ef(ef), knn_query(num_threads=1).
#   faiss    IndexHNSWFlat(dim, M, METRIC_INNER_PRODUCT): flat f32 storage, scores q·x;
#            hnsw.efConstruction before add, hnsw.efSearch per ef, omp_set_num_threads(1) for
#            both; search(1 × dim, 10). Its own level seed (fixed inside faiss).
#   usearch  Index(ndim, metric=MetricKind.IP, dtype=ScalarKind.F32, connectivity=M,
#            expansion_add=efConstruction, expansion_search=ef): distance 1 − q·x on f32;
#            add(threads=1), search(q, 10, threads=1). Its kernels are picked at run time for
#            the CPU (reported as `usearch_isa`).
#   voyager  Index(Space.Cosine, M, ef_construction, random_seed, max_elements,
#            storage_data_type=StorageDataType.Float32): normalises each vector (a no-op up to
#            rounding on these unit vectors) and scores 1 − q·x over the same 64 dimensions.
#            Space.InnerProduct would instead append a 65th coordinate to every vector (its
#            order-preserving transform for vectors of unequal norm), which is not the same
#            work; add_items(num_threads=1), query(q, k=10, num_threads=1, query_ef=ef).
PEERS = ("hnswlib", "faiss", "usearch", "voyager")


class HnswlibPeer:
    name = "hnswlib"

    def __init__(self):
        import hnswlib
        self.lib = hnswlib
        self.version = importlib.metadata.version("hnswlib")

    def build(self, base, meta):
        self.index = self.lib.Index(space="ip", dim=base.shape[1])
        self.index.init_index(max_elements=base.shape[0], ef_construction=meta["ef_construction"], M=meta["M"], random_seed=meta["seed"])
        self.index.add_items(base, np.arange(base.shape[0]), num_threads=1)

    def set_ef(self, ef):
        self.index.set_ef(ef)

    def query(self, q):
        return self.index.knn_query(q, k=10, num_threads=1)[0][0]

    def query_batch(self, qs):
        return self.index.knn_query(qs, k=10, num_threads=1)[0]


class FaissPeer:
    name = "faiss"

    def __init__(self):
        import faiss
        self.lib = faiss
        self.version = faiss.__version__
        faiss.omp_set_num_threads(1)
        # "DD" in these options: the kernels are dispatched at run time (AVX-512 on this CPU).
        self.isa = faiss.get_compile_options().strip()

    def build(self, base, meta):
        self.index = self.lib.IndexHNSWFlat(base.shape[1], meta["M"], self.lib.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = meta["ef_construction"]
        self.index.add(base)

    def set_ef(self, ef):
        self.index.hnsw.efSearch = ef

    def query(self, q):
        return self.index.search(q.reshape(1, -1), 10)[1][0]

    def query_batch(self, qs):
        return self.index.search(qs, 10)[1]


class UsearchPeer:
    name = "usearch"

    def __init__(self):
        import usearch
        from usearch.index import Index, MetricKind, ScalarKind
        self.version = usearch.__version__
        self.make = lambda dim, meta: Index(ndim=dim, metric=MetricKind.IP, dtype=ScalarKind.F32, connectivity=meta["M"],
                                            expansion_add=meta["ef_construction"], expansion_search=meta["ef"][0])

    def build(self, base, meta):
        self.index = self.make(base.shape[1], meta)
        self.index.add(np.arange(base.shape[0]), base, threads=1)
        self.isa = self.index.hardware_acceleration

    def set_ef(self, ef):
        self.index.expansion_search = ef

    def query(self, q):
        return self.index.search(q, 10, threads=1).keys

    def query_batch(self, qs):
        return self.index.search(qs, 10, threads=1).keys


class VoyagerPeer:
    name = "voyager"

    def __init__(self):
        import voyager
        self.lib = voyager
        self.version = importlib.metadata.version("voyager")

    def build(self, base, meta):
        v = self.lib
        self.index = v.Index(v.Space.Cosine, num_dimensions=base.shape[1], M=meta["M"], ef_construction=meta["ef_construction"],
                             random_seed=meta["seed"], max_elements=base.shape[0], storage_data_type=v.StorageDataType.Float32)
        self.index.add_items(base, ids=np.arange(base.shape[0]), num_threads=1)
        self.ef = 10

    def set_ef(self, ef):
        self.ef = ef

    def query(self, q):
        return self.index.query(q, k=10, num_threads=1, query_ef=self.ef)[0]

    def query_batch(self, qs):
        return self.index.query(qs, k=10, num_threads=1, query_ef=self.ef)[0]


PEER_CLASSES = {c.name: c for c in (HnswlibPeer, FaissPeer, UsearchPeer, VoyagerPeer)}


def timed_queries(peer, queries, passes):
    """The fastest of `passes` passes over the queries, one call each: (found, seconds, CPU seconds)."""
    found = np.empty((len(queries), 10), dtype=np.int64)
    seconds = cpu_seconds = float("inf")
    for _ in range(passes):  # the fastest pass counts, as on botify's side
        start, cpu_start = time.perf_counter(), time.thread_time()
        for i, q in enumerate(queries):
            found[i] = peer.query(q)
        seconds = min(seconds, time.perf_counter() - start)
        cpu_seconds = min(cpu_seconds, time.thread_time() - cpu_start)
    return found, seconds, cpu_seconds


def timed_batch(peer, queries, passes):
    """All queries in one call on one thread, fastest of `passes`: (found, seconds, CPU seconds).
    This is the library's search without a Python call per query, the floor under its
    one-query-per-call figure."""
    seconds = cpu_seconds = float("inf")
    for _ in range(passes):
        start, cpu_start = time.perf_counter(), time.thread_time()
        found = np.asarray(peer.query_batch(queries)).astype(np.int64)
        seconds = min(seconds, time.perf_counter() - start)
        cpu_seconds = min(cpu_seconds, time.thread_time() - cpu_start)
    return found, seconds, cpu_seconds


def peer_call_overhead(cls, base, queries, meta):
    """Microseconds of CPU per query call on a 100-point index built the same way: the search is
    then next to nothing, so this is mostly the library's Python binding and argument checks.
    It is an upper bound on the per-call cost that the big index's figures carry."""
    peer = cls()
    peer.build(np.ascontiguousarray(base[:100]), meta)
    peer.set_ef(meta["ef"][0])
    sample = np.ascontiguousarray(np.resize(queries, (2000, queries.shape[1])))
    _, _, cpu = timed_queries(peer, sample, 3)
    return cpu / len(sample) * 1e6


def run_hnsw(directory, meta, peers=PEERS):
    base = np.load(os.path.join(directory, "base.npy"))
    queries = np.load(os.path.join(directory, "queries.npy"))
    truth = np.load(os.path.join(directory, "truth.npy"))
    passes = meta.get("passes", 1)
    result = {"build_seconds": {"botify": meta["botify_build_seconds"]}, "versions": {}, "call_overhead_us": {}, "isa": {}}
    rows = [{"ef": ef, "botify": {"recall@10": recall_at_10(np.load(os.path.join(directory, f"botify_found_ef{ef}.npy")), truth),
                                  "queries_per_second": meta["botify_qps"][str(ef)],
                                  "queries_per_cpu_second": meta["botify_cpu_qps"][str(ef)]}} for ef in meta["ef"]]
    for name in peers:
        cls = PEER_CLASSES[name]
        peer = cls()
        start = time.perf_counter()
        peer.build(base, meta)
        result["build_seconds"][name] = time.perf_counter() - start
        result["versions"][name] = peer.version
        if getattr(peer, "isa", None):
            result["isa"][name] = peer.isa
        for row in rows:
            peer.set_ef(row["ef"])
            found, seconds, cpu_seconds = timed_queries(peer, queries, passes)
            batch_found, _, batch_cpu = timed_batch(peer, queries, passes)
            row[name] = {"recall@10": recall_at_10(found, truth), "queries_per_second": len(queries) / seconds,
                         "queries_per_cpu_second": len(queries) / cpu_seconds,
                         "batch_recall@10": recall_at_10(batch_found, truth), "batch_queries_per_cpu_second": len(queries) / batch_cpu}
        del peer  # one big index in memory at a time
        result["call_overhead_us"][name] = peer_call_overhead(cls, base, queries, meta)
        print(f"  {name} done: build {result['build_seconds'][name]:.2f} s", file=sys.stderr)
    if "hnswlib" in peers:
        result["hnswlib_version"] = result["versions"]["hnswlib"]
    result["peers"] = list(peers)
    result["queries"] = rows
    return result


def print_ials(ials, ials_meta, threads):
    b, r = ials["botify"], ials["implicit"]
    limit = ials.get("machine_limit")
    print(f"iALS  {ials_meta['users']:,} users x {ials_meta['items']:,} items, {ials['nnz_train']:,} train / {ials['nnz_test']:,} held-out, "
          f"factors {ials_meta['factors']}, {ials_meta['iterations']} iterations, {threads} threads, alpha {ials_meta['alpha']}, reg {ials_meta['reg']}")
    b_cpu, r_cpu = b["cpu_seconds_per_iteration"] or float("nan"), r["cpu_seconds_per_iteration"]
    print(f"{'':10} {'s/iter':>8} {'CPU s/iter':>10} {'recall@10':>10} {'prec@10':>8}")
    print(f"{'botify':10} {b['seconds_per_iteration']:8.3f} {b_cpu:10.3f} {b['recall@10']:10.4f} {b['precision@10']:8.4f}")
    print(f"{'implicit':10} {r['seconds_per_iteration']:8.3f} {r_cpu:10.3f} {r['recall@10']:10.4f} {r['precision@10']:8.4f}")
    print(f"{'ratio':10} {b['seconds_per_iteration'] / r['seconds_per_iteration']:8.2f} {b_cpu / r_cpu:10.2f} "
          f"{b['recall@10'] - r['recall@10']:+10.4f} (botify/implicit time, recall difference)")
    if limit:
        peak = limit["fma_peak_gflops"]
        print("FMA peak (Benchmarks/tools/fma-peak.c, AVX2, f32): " + ", ".join(f"{t} thread{'s' if t != '1' else ''} {g:.1f} GFLOP/s" for t, g in peak.items())
              + "".join(f"; AVX-512 {t} thread{'s' if t != '1' else ''} {g:.1f}" for t, g in limit.get("fma_peak_avx512_gflops", {}).items()))
        print(f"CG kernel ({limit['kernels']}, 1 thread, Benchmarks/tools/ials-kernel-bench.c on this matrix): {limit['cg_gflops_1_thread']:.1f} GFLOP/s, "
              f"{100 * limit['cg_fraction_of_1_core_peak']:.0f}% of one core's peak ({limit['ns_per_nonzero_per_cg_pass']:.2f} ns per non-zero per CG pass); "
              f"Gram product {limit['gram_gflops_1_thread']:.1f} GFLOP/s ({100 * limit['gram_fraction_of_1_core_peak']:.0f}%)")
        print(f"botify's whole iteration above: {limit['flops_per_iteration'] / 1e9:.2f} GFLOP in {b['seconds_per_iteration']:.3f} s = "
              f"{limit['iteration_gflops']:.1f} GFLOP/s, {100 * limit['iteration_fraction_of_peak']:.0f}% of the {limit['peak_threads']}-core peak")


def print_hnsw(hnsw, hnsw_meta):
    bs, peers = hnsw["build_seconds"], hnsw.get("peers", ["hnswlib"])
    print(f"HNSW  {hnsw_meta['n']:,} unit vectors, dim {hnsw_meta['dim']}, {hnsw_meta['queries']} queries, M {hnsw_meta['M']}, "
          f"efConstruction {hnsw_meta['ef_construction']}, 1 thread, one query per call, fastest of {hnsw_meta.get('passes', 1)} query passes")
    print("build seconds: botify " + f"{bs['botify']:.2f}" + "".join(
        f", {p} {bs[p]:.2f} (ratio {bs['botify'] / bs[p]:.2f})" for p in peers))
    overhead = hnsw.get("call_overhead_us", {})
    if overhead:
        print("per-call floor (CPU µs per query on a 100-point index): " + ", ".join(f"{p} {overhead[p]:.1f}" for p in peers))
    print(f"{'ef':>4} {'library':10} {'recall@10':>9} {'q/s':>8} {'CPU q/s':>8} {'batch CPU q/s':>13} {'q/s ratio':>9} {'CPU ratio':>9} {'vs batch':>8}")
    for row in hnsw["queries"]:
        ob = row["botify"]
        print(f"{row['ef']:>4} {'botify':10} {ob['recall@10']:9.4f} {ob['queries_per_second']:8.0f} {ob['queries_per_cpu_second']:8.0f}")
        for p in peers:
            o = row[p]
            batch = o.get("batch_queries_per_cpu_second", float("nan"))
            print(f"{'':4} {p:10} {o['recall@10']:9.4f} {o['queries_per_second']:8.0f} {o['queries_per_cpu_second']:8.0f} {batch:13.0f} "
                  f"{ob['queries_per_second'] / o['queries_per_second']:9.2f} {ob['queries_per_cpu_second'] / o['queries_per_cpu_second']:9.2f} "
                  f"{ob['queries_per_cpu_second'] / batch:8.2f}")
    print("ratios are botify / peer (above 1: botify answers more queries per second); 'vs batch' sets botify's one query per "
          "call against the peer answering all queries in one call (no Python per query)")


def cpu_model():
    """The processor's name as lscpu shows it (Linux), or None."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ials-dir", help="botify's iALS output; without it the iALS half is skipped")
    parser.add_argument("--hnsw-dir", help="botify's HNSW output; without it the HNSW half is skipped")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--peers", default=",".join(PEERS), help=f"HNSW libraries to run, from {','.join(PEERS)}")
    parser.add_argument("--json-out", required=True,
                        help="when only one half runs, that half replaces its section of an existing file")
    args = parser.parse_args()
    if not args.ials_dir and not args.hnsw_dir:
        parser.error("give --ials-dir, --hnsw-dir or both")
    unknown = [p for p in args.peers.split(",") if p not in PEERS]
    if unknown:
        parser.error(f"unknown peer {unknown[0]!r}: choose from {','.join(PEERS)}")

    result = {}
    if (not args.ials_dir or not args.hnsw_dir) and os.path.exists(args.json_out):
        with open(args.json_out) as f:
            result = json.load(f)
    today = time.strftime("%Y-%m-%d")
    if args.ials_dir:
        with open(os.path.join(args.ials_dir, "meta.json")) as f:
            ials_meta = json.load(f)
        ials = run_ials(args.ials_dir, ials_meta, args.threads)
        limit = machine_limit(args.ials_dir, {**ials_meta, "threads": args.threads}, ials["botify"]["seconds_per_iteration"])
        if limit:
            ials["machine_limit"] = limit
        ials["date"] = today
        result["ials"] = ials
        print_ials(ials, ials_meta, args.threads)
        print()
    if args.hnsw_dir:
        with open(os.path.join(args.hnsw_dir, "meta.json")) as f:
            hnsw_meta = json.load(f)
        hnsw = run_hnsw(args.hnsw_dir, hnsw_meta, args.peers.split(","))
        hnsw["date"] = today
        result["hnsw"] = hnsw
        print_hnsw(hnsw, hnsw_meta)

    if args.ials_dir and args.hnsw_dir:
        result["date"] = today
    result["machine"] = {"cpu": platform.processor() or platform.machine(), "model": cpu_model(), "cores": os.cpu_count(),
                         "python": sys.version.split()[0]}
    with open(args.json_out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"\nwritten: {args.json_out}")


if __name__ == "__main__":
    main()
