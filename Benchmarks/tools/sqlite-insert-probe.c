// SQLite's own cost of one logged play, without botify: the play_log table as schema v3 left it
// (WITHOUT ROWID, clustered on (session_id, position)), WAL, synchronous NORMAL, 32-row INSERTs,
// 100,000 rows per transaction, 8 plays per session — what the batch writer does, in C. It is
// the floor the writer's per-play CPU is compared with in BENCHMARKS.md.
//
//   cc -O2 Benchmarks/tools/sqlite-insert-probe.c -o /tmp/sqlite-insert-probe -lsqlite3
//   /tmp/sqlite-insert-probe PAGE_SIZE ROWS_PER_INSERT /tmp/probe.db    (a new file each run)
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PAGE_SIZE ROWS_PER_INSERT NEW_DATABASE\n", argv[0]);
        return 2;
    }
    int page = atoi(argv[1]), rowsPerInsert = atoi(argv[2]);
    if (rowsPerInsert < 1 || rowsPerInsert > 1000) {
        fprintf(stderr, "ROWS_PER_INSERT must be 1…1000\n");
        return 2;
    }
    const long total = 2268000;  // the plays of `simulate --users 10000 --sessions 30`
    sqlite3 *db;
    if (sqlite3_open(argv[3], &db) != SQLITE_OK) return 1;
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA page_size=%d; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;", page);
    sqlite3_exec(db, pragmas, 0, 0, 0);
    sqlite3_exec(db, "CREATE TABLE play_log (session_id INTEGER NOT NULL, position INTEGER NOT NULL, "
                     "track INTEGER NOT NULL, fraction REAL NOT NULL, action INTEGER NOT NULL CHECK (action >= 0 AND action <= 2), "
                     "recommender_id INTEGER, latency_ns INTEGER NOT NULL DEFAULT 0, liked INTEGER NOT NULL DEFAULT 0, "
                     "PRIMARY KEY (session_id, position)) WITHOUT ROWID", 0, 0, 0);
    size_t size = 64 + (size_t)rowsPerInsert * 20;
    char *sql = malloc(size);
    strcpy(sql, "INSERT INTO play_log VALUES ");
    for (int r = 0; r < rowsPerInsert; r++) strcat(sql, r ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, sql, -1, &insert, 0) != SQLITE_OK) {
        fprintf(stderr, "%s\n", sqlite3_errmsg(db));
        return 1;
    }
    double start = now();
    long n = 0, session = 1;
    int position = 0;
    while (n < total) {
        sqlite3_exec(db, "BEGIN", 0, 0, 0);
        for (long statement = 0; statement < 100000 / rowsPerInsert && n + rowsPerInsert <= total; statement++) {
            for (int r = 0; r < rowsPerInsert; r++, n++) {
                int base = r * 8;
                sqlite3_bind_int64(insert, base + 1, session);
                sqlite3_bind_int64(insert, base + 2, position);
                sqlite3_bind_int64(insert, base + 3, (n * 7919) % 26229);
                sqlite3_bind_double(insert, base + 4, 0.37);
                sqlite3_bind_int64(insert, base + 5, 1);
                sqlite3_bind_int64(insert, base + 6, 1);
                sqlite3_bind_int64(insert, base + 7, 1200);
                sqlite3_bind_int64(insert, base + 8, 0);
                if (++position == 8) { position = 0; session++; }
            }
            if (sqlite3_step(insert) != SQLITE_DONE) {
                fprintf(stderr, "%s\n", sqlite3_errmsg(db));
                return 1;
            }
            sqlite3_reset(insert);
        }
        sqlite3_exec(db, "COMMIT", 0, 0, 0);
        if (n + rowsPerInsert > total) break;
    }
    double seconds = now() - start;
    printf("page %d, %d rows per INSERT: %ld rows in %.3f s, %.0fk rows/s, %.3f µs per row\n",
           page, rowsPerInsert, n, seconds, n / seconds / 1e3, seconds * 1e6 / n);
    sqlite3_close(db);
    free(sql);
    return 0;
}
