// The body of hnsw_expand, included once per instruction set by a file that defines
// EXPAND_NAME, EXPAND_ATTR, EXPAND_DOT and EXPAND_L2 (same arguments as the table's dot and
// squared_l2, inlinable under EXPAND_ATTR).
#include "tables.h"

#define EXPAND_AHEAD 8

EXPAND_ATTR size_t EXPAND_NAME(const bv_hnsw_graph *g, const int32_t *links, const float *query,
                               const void *next_hint, int32_t *ids, float *distances) {
    if (next_hint) __builtin_prefetch(next_hint, 0, 3);
    size_t degree = (size_t)links[0];
    const int32_t *l = links + 1;
    size_t count = 0;
    const size_t bytes = g->dimension * sizeof(float);
    if (g->visited) {
        uint16_t *visited = g->visited;
        uint16_t epoch = g->epoch;
        // The visited tags are scattered; asking for all of them first overlaps their misses.
        for (size_t j = 0; j < degree; j++) __builtin_prefetch(visited + l[j], 1, 3);
        for (size_t j = 0; j < degree; j++) {
            int32_t id = l[j];
            if (visited[id] == epoch) continue;
            visited[id] = epoch;
            ids[count++] = id;
        }
    } else {
        for (size_t j = 0; j < degree; j++) ids[count++] = l[j];
    }
    // Vectors are requested EXPAND_AHEAD neighbours before they are measured, so several
    // misses to memory are in flight at once instead of one latency per neighbour (asking for
    // all of them up front measured no better: it fills the miss buffers and stalls).
    for (size_t i = 0; i < count + EXPAND_AHEAD; i++) {
        if (i < count) {
            const char *v = g->nodes + (size_t)ids[i] * g->stride + g->vector_offset;
            const char *end = v + bytes - 1;
            for (const char *line = (const char *)((uintptr_t)v & ~(uintptr_t)63); line <= end; line += 64)
                __builtin_prefetch(line, 0, 3);
        }
        if (i >= EXPAND_AHEAD) {
            size_t k = i - EXPAND_AHEAD;
            const float *v = (const float *)(g->nodes + (size_t)ids[k] * g->stride + g->vector_offset);
            distances[k] = g->metric == 0 ? 1.0f - EXPAND_DOT(query, v, g->dimension)
                                          : EXPAND_L2(query, v, g->dimension);
        }
    }
    return count;
}
