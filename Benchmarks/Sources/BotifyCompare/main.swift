import Foundation

// botify's side of `scripts/compare-references`: writes shared data, runs botify on it.
let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fatalUsage("missing subcommand") }
let options = Arguments(arguments.dropFirst(2))
do {
    switch arguments[1] {
    case "ials": try compareIALS(options)
    case "hnsw": try compareHNSW(options)
    default: fatalUsage("unknown subcommand '\(arguments[1])'")
    }
} catch {
    print("botify-compare: \(error)")
    exit(1)
}
