/// `--name value` pairs after the subcommand; every flag has a default.
struct Arguments {
    private var values: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) {
        var it = arguments.makeIterator()
        while let flag = it.next() {
            guard flag.hasPrefix("--"), let value = it.next() else { fatalUsage("expected --name value, got '\(flag)'") }
            values[String(flag.dropFirst(2))] = value
        }
    }

    func int(_ name: String, _ fallback: Int) -> Int {
        guard let text = values[name] else { return fallback }
        guard let v = Int(text.replacingOccurrences(of: "_", with: "")) else { fatalUsage("--\(name) needs an integer, got '\(text)'") }
        return v
    }

    func float(_ name: String, _ fallback: Float) -> Float {
        guard let text = values[name] else { return fallback }
        guard let v = Float(text) else { fatalUsage("--\(name) needs a number, got '\(text)'") }
        return v
    }

    func ints(_ name: String, _ fallback: [Int]) -> [Int] {
        guard let text = values[name] else { return fallback }
        return text.split(separator: ",").map { part in
            guard let v = Int(part) else { fatalUsage("--\(name) needs integers separated by commas, got '\(text)'") }
            return v
        }
    }

    func string(_ name: String) -> String {
        guard let v = values[name] else { fatalUsage("--\(name) is required") }
        return v
    }
}

func fatalUsage(_ message: String) -> Never {
    print("botify-compare: \(message)")
    print("usage: botify-compare ials|hnsw --out DIR [--seed S] [...]")
    exit(2)
}

import Foundation
