import GRDB

/// The database schema, one migration per version. GRDB runs each migration in its own
/// transaction, so a database is never half-migrated. Never edit a shipped migration: add one.
enum Schema {
    /// `PRAGMA application_id`: marks a file as a botify database ("BotF").
    static let applicationID: Int32 = 0x426F_7446

    /// `PRAGMA user_version` after all migrations of this build. A file with a higher value
    /// was written by a newer botify and is refused untouched.
    static var version: Int { migrations.count }

    /// Every migration ever shipped, in order. MigrationTests pins each one's `pinnedText`:
    /// a released migration is never edited (GRDB never runs it again on a file that has it),
    /// a schema change is a new migration at the end.
    static let migrations: [Migration] = [
        Migration("v1-sessions-plays-models", sql: v1),
        Migration("v2-compact-play-log", sql: v2),
        Migration("v3-play-liked", ensuringColumns: [
            AddedColumn(table: "play_log", column: "liked", definition: "INTEGER NOT NULL DEFAULT 0"),
        ], sql: v3),
        Migration("v4-experiment-traffic", sql: v4),
        Migration("v5-recommendation-lists", sql: v5),
        Migration("v6-remote-source", sql: v6),
        Migration("v7-world-cache", sql: v7),
        Migration("v8-play-reason", sql: v8),
        Migration("v9-ranker-features", sql: v9),
        Migration("v10-long-term-reports", sql: v10),
    ]

    /// One schema step: columns it adds where they are missing, then its SQL.
    struct Migration: Sendable {
        let identifier: String
        let ensuringColumns: [AddedColumn]
        let sql: String

        init(_ identifier: String, ensuringColumns: [AddedColumn] = [], sql: String) {
            self.identifier = identifier
            self.ensuringColumns = ensuringColumns
            self.sql = sql
        }

        func run(_ db: Database) throws {
            for added in ensuringColumns {
                let present = try db.columns(in: added.table).contains { $0.name.lowercased() == added.column.lowercased() }
                if !present { try db.execute(sql: added.sql) }
            }
            try db.execute(sql: sql)
        }

        /// Everything the migration may execute, as one text (what MigrationTests pins).
        var pinnedText: String {
            (ensuringColumns.map { "-- unless present:\n\($0.sql);\n" } + [sql]).joined()
        }
    }

    /// `ALTER TABLE table ADD COLUMN column definition`, run only if `table` lacks `column`.
    struct AddedColumn: Sendable {
        let table: String
        let column: String
        let definition: String

        var sql: String { "ALTER TABLE \(table) ADD COLUMN \(column) \(definition)" }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (index, migration) in migrations.enumerated() {
            migrator.registerMigration(migration.identifier) { db in
                try migration.run(db)
                try db.execute(sql: "PRAGMA application_id = \(applicationID)")
                try db.execute(sql: "PRAGMA user_version = \(index + 1)")
            }
        }
        return migrator
    }

    // CHECKs compare with OR, not IN (...): SQLite 3.40 builds an ephemeral b-tree for an IN
    // list on every insert, which cost more than the insert itself.
    // Plays are WITHOUT ROWID, clustered on (session_id, position): a batch appends at the
    // end of one b-tree and no second index is maintained — this is the ≥1M plays/s path.
    private static let v1 = """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT,
            created_at REAL NOT NULL
        );
        CREATE TABLE worlds (
            id INTEGER PRIMARY KEY,
            config TEXT NOT NULL,
            catalog_fingerprint TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX worlds_by_fingerprint ON worlds(catalog_fingerprint);
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            strategy TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source = 'human' OR source = 'bot' OR source = 'sim'),
            experiment TEXT,
            arm TEXT,
            seed INTEGER,
            world_id INTEGER REFERENCES worlds(id),
            interest_track INTEGER,
            catalog_fingerprint TEXT,
            started_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            ended_at REAL,
            end_reason TEXT CHECK (end_reason = 'finished' OR end_reason = 'recovered'),
            owner_pid INTEGER,
            length REAL NOT NULL DEFAULT 0,
            plays INTEGER NOT NULL DEFAULT 0,
            skips INTEGER NOT NULL DEFAULT 0,
            CHECK ((ended_at IS NULL) = (end_reason IS NULL))
        );
        CREATE INDEX sessions_by_user ON sessions(user_id, id);
        CREATE INDEX sessions_by_experiment ON sessions(experiment, arm) WHERE experiment IS NOT NULL;
        CREATE INDEX sessions_by_strategy ON sessions(strategy);
        CREATE INDEX sessions_open ON sessions(id) WHERE ended_at IS NULL;
        CREATE TABLE plays (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            track INTEGER NOT NULL,
            fraction REAL NOT NULL,
            action TEXT NOT NULL CHECK (action = 'listened' OR action = 'skipped' OR action = 'abandoned'),
            recommended_by TEXT,
            latency_us REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, position)
        ) WITHOUT ROWID;
        CREATE TABLE experiments (
            name TEXT PRIMARY KEY,
            arms TEXT NOT NULL,
            control TEXT NOT NULL,
            seed INTEGER NOT NULL,
            users INTEGER NOT NULL,
            sessions_per_user INTEGER NOT NULL,
            world_id INTEGER REFERENCES worlds(id),
            created_at REAL NOT NULL,
            result TEXT
        );
        CREATE TABLE models (
            id INTEGER PRIMARY KEY,
            strategy TEXT NOT NULL,
            catalog_fingerprint TEXT NOT NULL,
            params TEXT NOT NULL,
            first_session_id INTEGER,
            last_session_id INTEGER,
            trained_at REAL NOT NULL,
            training_seconds REAL NOT NULL,
            loss REAL,
            blob BLOB NOT NULL
        );
        CREATE INDEX models_newest ON models(strategy, catalog_fingerprint, trained_at);
        """

    // The ≥1M plays/s path, measured against SQLite 3.40 (BENCHMARKS.md): a play row's cost
    // follows its size, so plays are stored compactly in `play_log` — the action as a code,
    // the recommender as an id into `recommenders`, the latency in integer nanoseconds — and
    // `plays` becomes a view with v1's columns and values, so queries read as before.
    // Sessions lose the strategy index (a scan of sessions is cheap next to their plays) and
    // index users only for the player's own sessions: simulated users arrive in random order,
    // so indexing them dirtied every page of that index on every batch.
    private static let v2 = """
        CREATE TABLE recommenders (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE play_log (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            track INTEGER NOT NULL,
            fraction REAL NOT NULL,
            action INTEGER NOT NULL CHECK (action >= 0 AND action <= 2),
            recommender_id INTEGER REFERENCES recommenders(id),
            latency_ns INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, position)
        ) WITHOUT ROWID;
        INSERT INTO recommenders (name)
            SELECT DISTINCT recommended_by FROM plays WHERE recommended_by IS NOT NULL ORDER BY recommended_by;
        INSERT INTO play_log
            SELECT p.session_id, p.position, p.track, p.fraction,
                CASE p.action WHEN 'listened' THEN 0 WHEN 'skipped' THEN 1 ELSE 2 END,
                r.id, CAST(round(p.latency_us * 1000) AS INTEGER)
            FROM plays p LEFT JOIN recommenders r ON r.name = p.recommended_by;
        DROP TABLE plays;
        CREATE VIEW plays AS
            SELECT p.session_id, p.position, p.track, p.fraction,
                CASE p.action WHEN 0 THEN 'listened' WHEN 1 THEN 'skipped' ELSE 'abandoned' END AS action,
                r.name AS recommended_by, p.latency_ns / 1000.0 AS latency_us
            FROM play_log p LEFT JOIN recommenders r ON r.id = p.recommender_id;
        DROP INDEX sessions_by_strategy;
        DROP INDEX sessions_by_user;
        CREATE INDEX sessions_by_listener ON sessions(user_id, id) WHERE source <> 'sim';
        """

    // The player's likes (0/1), kept in memory only before. Builds from ef3bbd9 to 8b5c28a
    // shipped this column by editing v2 in place, so their files already have `liked` with v2
    // recorded (and a `plays` view that shows it); files from e599547 have v2 without it. The
    // column is added only where missing, and the view is rebuilt, so both end the same.
    private static let v3 = """
        DROP VIEW plays;
        CREATE VIEW plays AS
            SELECT p.session_id, p.position, p.track, p.fraction,
                CASE p.action WHEN 0 THEN 'listened' WHEN 1 THEN 'skipped' ELSE 'abandoned' END AS action,
                r.name AS recommended_by, p.latency_ns / 1000.0 AS latency_us, p.liked
            FROM play_log p LEFT JOIN recommenders r ON r.id = p.recommender_id;
        """

    // How an experiment's sessions were spread over users (`ab --traffic`): 'per-user' (every
    // user the same number of sessions, the only mode before this column) or 'course' (each
    // session draws its user uniformly with replacement). Experiments recorded before read
    // as 'per-user', which is how they ran.
    private static let v4 = """
        ALTER TABLE experiments ADD COLUMN traffic TEXT NOT NULL DEFAULT 'per-user'
            CHECK (traffic = 'per-user' OR traffic = 'course');
        """

    // Recommendation lists imported from course files (`botify recs import`): one row per
    // list, every key's tracks in one blob (RecommendationListStore.swift has its layout).
    private static let v5 = """
        CREATE TABLE recommendation_lists (
            name TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind = 'i2i' OR kind = 'per-user'),
            catalog_fingerprint TEXT NOT NULL,
            source TEXT NOT NULL,
            keys INTEGER NOT NULL,
            entries INTEGER NOT NULL,
            imported_at REAL NOT NULL,
            blob BLOB NOT NULL
        );
        """

    // `botify serve` logs the sessions a remote client (the course's simulator) drives as
    // source 'remote'. SQLite cannot alter a CHECK, so the table is rebuilt with the same
    // columns, rows, ids and indexes. GRDB runs a migration with foreign keys off and checks
    // them at its end, so dropping the old table cascades nothing from play_log, whose
    // REFERENCES sessions(id) names the rebuilt table once it is renamed.
    private static let v6 = """
        CREATE TABLE sessions_v5 (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            strategy TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source = 'human' OR source = 'bot' OR source = 'sim' OR source = 'remote'),
            experiment TEXT,
            arm TEXT,
            seed INTEGER,
            world_id INTEGER REFERENCES worlds(id),
            interest_track INTEGER,
            catalog_fingerprint TEXT,
            started_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            ended_at REAL,
            end_reason TEXT CHECK (end_reason = 'finished' OR end_reason = 'recovered'),
            owner_pid INTEGER,
            length REAL NOT NULL DEFAULT 0,
            plays INTEGER NOT NULL DEFAULT 0,
            skips INTEGER NOT NULL DEFAULT 0,
            CHECK ((ended_at IS NULL) = (end_reason IS NULL))
        );
        INSERT INTO sessions_v5 (id, user_id, strategy, source, experiment, arm, seed, world_id, interest_track,
                                 catalog_fingerprint, started_at, updated_at, ended_at, end_reason, owner_pid,
                                 length, plays, skips)
            SELECT id, user_id, strategy, source, experiment, arm, seed, world_id, interest_track,
                   catalog_fingerprint, started_at, updated_at, ended_at, end_reason, owner_pid,
                   length, plays, skips
            FROM sessions;
        DROP TABLE sessions;
        ALTER TABLE sessions_v5 RENAME TO sessions;
        CREATE INDEX sessions_by_experiment ON sessions(experiment, arm) WHERE experiment IS NOT NULL;
        CREATE INDEX sessions_open ON sessions(id) WHERE ended_at IS NULL;
        CREATE INDEX sessions_by_listener ON sessions(user_id, id) WHERE source <> 'sim';
        """

    // A world's derived data (WorldCacheStore, docs/ARCHITECTURE.md §3 "The world cache"): a
    // generated world's space, users and neighbour lists, or an imported world's neighbour
    // lists, keyed by the full identity of their inputs. `checksum` (FNV-1a 64 of `payload`,
    // hex) and `bytes` let a reader refuse a damaged row; a row is written in one transaction,
    // so it is there whole or not at all. Rows are only a cache: deleting them loses nothing.
    private static let v7 = """
        CREATE TABLE world_cache (
            identity TEXT PRIMARY KEY,
            checksum TEXT NOT NULL,
            bytes INTEGER NOT NULL CHECK (bytes >= 0),
            payload BLOB NOT NULL,
            created_at REAL NOT NULL
        );
        """

    // Why each play of the player was chosen, as the listener saw it: the strategy's why-text,
    // "from your queue", "your pick". NULL where nobody wrote one: every play stored before
    // this column, and every headless play (the batch writer names its columns and never
    // writes it, so the ≥1M plays/s path is unchanged; a NULL costs no bytes at the row's end).
    // Text rather than an origin code: the why-text is the strategy's own sentence, which a
    // code could not keep, and only the interactive player writes it, a play at a time.
    private static let v8 = """
        ALTER TABLE play_log ADD COLUMN reason TEXT;
        DROP VIEW plays;
        CREATE VIEW plays AS
            SELECT p.session_id, p.position, p.track, p.fraction,
                CASE p.action WHEN 0 THEN 'listened' WHEN 1 THEN 'skipped' ELSE 'abandoned' END AS action,
                r.name AS recommended_by, p.latency_ns / 1000.0 AS latency_us, p.liked, p.reason
            FROM play_log p LEFT JOIN recommenders r ON r.id = p.recommender_id;
        """

    // The ranker's feature vectors as computed when a pick was served (issue #17 item 2,
    // RankerFeatureStore.swift): training reads them back instead of recomputing, so training
    // and serving cannot disagree. A feature set is what computed them (column names, K, the
    // generators with their models: Ranking's RankerModel without trees), stored once and
    // named by the FNV-1a 64 of its payload; a row is `columns` little-endian Float32 (NaN =
    // missing) for one play. Rows go with their play (ON DELETE CASCADE).
    private static let v9 = """
        CREATE TABLE ranker_feature_sets (
            id INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL UNIQUE,
            catalog_fingerprint TEXT NOT NULL,
            columns INTEGER NOT NULL CHECK (columns > 0),
            payload BLOB NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE TABLE ranker_features (
            session_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            feature_set INTEGER NOT NULL REFERENCES ranker_feature_sets(id),
            features BLOB NOT NULL,
            PRIMARY KEY (session_id, position),
            FOREIGN KEY (session_id, position) REFERENCES play_log(session_id, position) ON DELETE CASCADE
        ) WITHOUT ROWID;
        """

    // A finished multi-day run's report (`simulate/ab --days D`, D ≥ 2; LongTermStore.swift):
    // what ran — command, experiment, arms in order, horizon, seed, traffic and the day options
    // (NULL where a flag was not given: no retraining, no return model, no drift) — and its
    // series, one row per day and arm, then the long-term metric per arm with its comparison
    // with the control (NULL for the control). Written in one transaction when the run ends, so
    // a run's report is there whole or not at all. Figures that could not be computed are NULL
    // (SQLite stores a NaN as NULL anyway). Rows go with their run (ON DELETE CASCADE); `ab
    // --replace` deletes an experiment's runs with its sessions.
    private static let v10 = """
        CREATE TABLE long_term_runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL CHECK (command = 'simulate' OR command = 'ab'),
            experiment TEXT,
            title TEXT NOT NULL,
            arms TEXT NOT NULL,
            control TEXT,
            days INTEGER NOT NULL CHECK (days >= 2),
            users INTEGER NOT NULL,
            sessions_per_user INTEGER NOT NULL,
            traffic TEXT NOT NULL CHECK (traffic = 'per-user' OR traffic = 'course'),
            seed INTEGER NOT NULL,
            world_id INTEGER REFERENCES worlds(id),
            first_session_id INTEGER,
            last_session_id INTEGER,
            retrain_every INTEGER,
            incremental INTEGER NOT NULL DEFAULT 0,
            warm_iterations INTEGER,
            return_rate REAL,
            return_sensitivity REAL,
            fatigue REAL,
            churn REAL,
            drift REAL,
            listeners TEXT NOT NULL,
            method TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX long_term_runs_by_experiment ON long_term_runs(experiment) WHERE experiment IS NOT NULL;
        CREATE TABLE long_term_days (
            run_id INTEGER NOT NULL REFERENCES long_term_runs(id) ON DELETE CASCADE,
            arm_index INTEGER NOT NULL,
            day INTEGER NOT NULL,
            active_users INTEGER NOT NULL,
            sessions INTEGER NOT NULL,
            mean_length REAL,
            mean_length_low REAL,
            mean_length_high REAL,
            retention REAL,
            listening_per_assigned_user REAL,
            coverage_recommended REAL,
            coverage_heard REAL,
            top_one_percent_share REAL,
            gini REAL,
            novelty REAL,
            genres_per_user REAL,
            PRIMARY KEY (run_id, arm_index, day)
        ) WITHOUT ROWID;
        CREATE TABLE long_term_arms (
            run_id INTEGER NOT NULL REFERENCES long_term_runs(id) ON DELETE CASCADE,
            arm_index INTEGER NOT NULL,
            assigned_users INTEGER NOT NULL,
            listening REAL,
            listening_low REAL,
            listening_high REAL,
            retained_last_day REAL,
            churned INTEGER NOT NULL,
            uplift REAL,
            uplift_low REAL,
            uplift_high REAL,
            uplift_relative REAL,
            uplift_relative_low REAL,
            uplift_relative_high REAL,
            p_value REAL,
            adjusted_p_value REAL,
            significant INTEGER,
            PRIMARY KEY (run_id, arm_index)
        ) WITHOUT ROWID;
        """
}
