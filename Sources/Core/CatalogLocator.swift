import Foundation

/// Finds the catalog to use. Order: the `--catalog` flag, then `$BOTIFY_CATALOG`, then
/// `catalog/tracks.csv` in the current directory or any parent (so `swift run` in the repository
/// works), then next to the installed binary (`<bin>/../share/botify/catalog/tracks.csv`,
/// `<bin>/catalog/tracks.csv`), then the source checkout this binary was built from.
/// An explicit flag or variable that names a missing file is an error, never skipped over.
public struct CatalogLocator: Sendable {
    public static let environmentVariable = "BOTIFY_CATALOG"
    public static let relativePath = "catalog/tracks.csv"

    /// This file's path at build time (a `#filePath` default argument would be the caller's).
    public static let thisSourceFile = #filePath

    public var flag: String?
    public var environment: [String: String]
    public var currentDirectory: String
    public var executablePath: String?
    public var sourceFile: String

    public init(flag: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                currentDirectory: String = FileManager.default.currentDirectoryPath,
                executablePath: String? = Bundle.main.executableURL?.resolvingSymlinksInPath().path,
                sourceFile: String = CatalogLocator.thisSourceFile) {
        self.flag = flag
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.executablePath = executablePath
        self.sourceFile = sourceFile
    }

    /// Every place looked at, in order, with why.
    public func candidates() -> [(path: String, origin: String)] {
        if let flag { return [(flag, "--catalog")] }
        if let env = environment[Self.environmentVariable], !env.isEmpty { return [(env, "$\(Self.environmentVariable)")] }
        var list: [(String, String)] = []
        var dir = URL(fileURLWithPath: currentDirectory).standardizedFileURL
        while true {
            list.append((dir.appendingPathComponent(Self.relativePath).path, "current directory or a parent"))
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        if let executablePath {
            let bin = URL(fileURLWithPath: executablePath).deletingLastPathComponent()
            list.append((bin.appendingPathComponent("../share/botify/" + Self.relativePath).standardizedFileURL.path, "installed next to the binary"))
            list.append((bin.appendingPathComponent(Self.relativePath).path, "next to the binary"))
        }
        // Sources/Core/CatalogLocator.swift → repository root.
        let root = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        list.append((root.appendingPathComponent(Self.relativePath).path, "source checkout"))
        return list
    }

    public func locate() throws -> String {
        let list = candidates()
        let fm = FileManager.default
        if flag != nil || list.count == 1 {
            let (path, origin) = list[0]
            guard fm.fileExists(atPath: path) else { throw InputError(file: path, "no such file (from \(origin))") }
            return path
        }
        var seen = Set<String>()
        for (path, _) in list where seen.insert(path).inserted {
            if fm.fileExists(atPath: path) { return path }
        }
        let looked = list.filter { seen.remove($0.path) != nil }.map { "\($0.path) (\($0.origin))" }
        throw InputError("no catalog found; use --catalog FILE or $\(Self.environmentVariable). Looked in: "
                         + looked.joined(separator: "; "))
    }
}
