#!/usr/bin/env bash
# Writes the frozen migration fixtures in Tests/StorageTests/Fixtures/: one small database per
# released schema lineage, each written by THAT commit's own Storage code (not by today's code).
#
# Never regenerate a fixture that is already committed: it stands for files users already
# have. When a new schema version ships, add a line to COMMITS below and run
#     Tests/StorageTests/make-fixtures.sh <name>
# to write only the new fixture; MigrationTests then has to read it.
#
# How: for each commit, a temporary detached worktree gets a throwaway executable target
# (FixtureMaker, appended to that commit's Package.swift, depending only on Core and Storage)
# that writes the same deterministic content through that commit's public API:
#   - a world (WorldStore), 3 simulated users x 2 sessions of an A/B experiment written by
#     BatchSessionWriter (arms "random" and "top-pop"), the experiment record with a result,
#   - a model (ModelStore, 16-byte blob),
#   - one finished human session of 4 plays through InteractiveSessionWriter (its third play
#     liked, on commits whose Play has `liked`), and one bot session of 2 plays.
# Only Storage and its dependencies are built, in a scratch path of its own.
set -euo pipefail

# name  commit  (Schema.swift history: git log --oneline -- Sources/Storage/Schema.swift)
COMMITS=(
  "v1-9cbd006 9cbd006"   # v1 as first shipped (CHECK ... IN (...))
  "v1-c3ea1cc c3ea1cc"   # v1 with its CHECKs rewritten as OR (same meaning)
  "v2-e599547 e599547"   # v2 without `liked`
  "v2-ef3bbd9 ef3bbd9"   # v2 edited in place to hold `liked` (the lineage up to 8b5c28a)
  "v4-33e0141 33e0141"   # v1-v4 as released (v3 liked, v4 experiments.traffic), before v5 (recommendation lists) and v6 (remote source)
)

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
out="$repo/Tests/StorageTests/Fixtures"
scratch=${SCRATCH:-/work/.build-fixtures}
tree=${TREE:-/tmp/botify-fixture-tree}
mkdir -p "$out"

only=("$@")

for entry in "${COMMITS[@]}"; do
  read -r name commit <<<"$entry"
  if ((${#only[@]})) && [[ ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  target="$out/$name.frozen-db"  # a SQLite file; its own extension keeps *.sqlite ignored
  if [[ -e "$target" ]]; then echo "$target exists; not overwriting a frozen fixture" >&2; continue; fi

  git -C "$repo" worktree remove --force "$tree" 2>/dev/null || true
  git -C "$repo" worktree add --detach "$tree" "$commit" >/dev/null
  trap 'git -C "$repo" worktree remove --force "$tree" 2>/dev/null || true' EXIT

  liked=""
  if grep -q 'liked: Bool = false' "$tree/Sources/Core/Play.swift"; then liked=", liked: true"; fi

  mkdir -p "$tree/FixtureMaker"
  cat >>"$tree/Package.swift" <<'SWIFT'

package.targets.append(.executableTarget(name: "FixtureMaker", dependencies: ["Core", "Storage"], path: "FixtureMaker"))
SWIFT
  sed "s/__LIKED__/$liked/" >"$tree/FixtureMaker/main.swift" <<'SWIFT'
import Core
import Foundation
import Storage

let t0 = 1_700_000_000.0
let fingerprint = "fixture-catalog"

/// Plays of one simulated session: fractions 1, 0.25, 0.5 in turn; 1 is listened, else skipped.
func simPlays(_ count: Int, strategy: String, firstTrack: Int32) -> [Play] {
    (0..<count).map { i in
        let fraction: Float = [1, 0.25, 0.5][i % 3]
        return Play(position: Int32(i), track: firstTrack + Int32(i), fraction: fraction,
                    outcome: fraction == 1 ? .listened : .skipped, recommendedBy: i == 0 ? nil : strategy,
                    latencyMicros: Float(i) * 1.5)
    }
}

func write(to path: String) throws {
    let db = try BotifyDatabase(path: path)
    let world = try db.worlds.save(config: #"{"tracks":40,"seed":7}"#, catalogFingerprint: fingerprint, at: t0)

    // 3 users x 2 sessions; user u's session k has 3 + u + k plays.
    let batch = BatchSessionWriter(database: db, worldID: world, catalogFingerprint: fingerprint)
    for user in Int64(1)...3 {
        for k in 0..<2 {
            let arm = (user + Int64(k)) % 2 == 0 ? "random" : "top-pop"
            let start = t0 + Double(user * 100 + Int64(k) * 10)
            let plays = simPlays(3 + Int(user) + k, strategy: arm, firstTrack: Int32(user * 10 + Int64(k)))
            try batch.append(SessionLog(user: user, strategy: arm, source: .sim, experiment: "fixture-ab", arm: arm,
                                        seed: UInt64(user * 1000 + Int64(k)), interestTrack: Int32(user),
                                        startedAt: start, endedAt: start + Double(plays.count), plays: plays))
        }
    }
    try batch.close()

    try db.experiments.save(ExperimentRecord(name: "fixture-ab", arms: ["random", "top-pop"], control: "random",
                                             seed: 7, users: 3, sessionsPerUser: 2, worldID: world, createdAt: t0))
    try db.experiments.setResult(#"{"winner":"top-pop"}"#, for: "fixture-ab")

    _ = try db.models.save(ModelRecord(strategy: "i2i", catalogFingerprint: fingerprint, params: #"{"k":10}"#,
                                       sessionRange: 1...6, trainedAt: t0 + 500, trainingSeconds: 0.25, loss: 0.125,
                                       blob: Data((0..<16).map { UInt8($0) })))

    let player = InteractiveSessionWriter(database: db)
    _ = try player.begin(SessionMeta(user: 100, strategy: "i2i", source: .human, startedAt: t0 + 1000))
    let human: [Play] = [
        Play(position: 0, track: 5, fraction: 1, outcome: .listened, recommendedBy: nil),
        Play(position: 1, track: 6, fraction: 0.25, outcome: .skipped, recommendedBy: "i2i", latencyMicros: 12.5),
        Play(position: 2, track: 7, fraction: 1, outcome: .listened, recommendedBy: "i2i", latencyMicros: 3.5__LIKED__),
        Play(position: 3, track: 8, fraction: 0.5, outcome: .abandoned, recommendedBy: "i2i", latencyMicros: 2),
    ]
    for (i, play) in human.enumerated() { try player.append(play, at: t0 + 1001 + Double(i)) }
    try player.finish(endedAt: t0 + 1010)

    _ = try player.begin(SessionMeta(user: 100, strategy: "als", source: .bot, startedAt: t0 + 2000))
    try player.append(Play(position: 0, track: 9, fraction: 1, outcome: .listened, recommendedBy: nil), at: t0 + 2001)
    try player.append(Play(position: 1, track: 10, fraction: 0.25, outcome: .skipped, recommendedBy: "als",
                           latencyMicros: 4), at: t0 + 2002)
    try player.finish(endedAt: t0 + 2003)
}

// Everything is released (and the WAL checkpointed away) when `write` returns.
try write(to: CommandLine.arguments[1])
SWIFT

  echo "== $name: building FixtureMaker at $commit" >&2
  swift build --package-path "$tree" --scratch-path "$scratch" --product FixtureMaker >&2
  tmp=$(mktemp -d)
  "$scratch/debug/FixtureMaker" "$tmp/$name.sqlite"
  if [[ -e "$tmp/$name.sqlite-wal" ]]; then echo "$name: WAL left behind" >&2; exit 1; fi
  cp "$tmp/$name.sqlite" "$target"
  rm -rf "$tmp"
  git -C "$repo" worktree remove --force "$tree"
  trap - EXIT
  echo "wrote $target ($(wc -c <"$target") bytes)" >&2
done
