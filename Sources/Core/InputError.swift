/// Bad input from a user: a file, a flag, a database. The command line prints `description`
/// as one line and exits with status 2 (docs/ARCHITECTURE.md §1), so it must name what was wrong and where.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String?
    public var line: Int?
    public var field: String?
    public var value: String?
    public var problem: String

    public init(file: String? = nil, line: Int? = nil, field: String? = nil, value: String? = nil, _ problem: String) {
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.problem = problem
    }

    public var description: String {
        var location = ""
        if let file { location += file }
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        var text = location.isEmpty ? "" : location + ": "
        if let field { text += "field '\(field)'" + (value.map { " value '\(Self.clip($0))'" } ?? "") + ": " }
        else if let value { text += "'\(Self.clip(value))': " }
        return text + problem
    }

    /// Long values (a 10 MB line) are cut so the message stays one readable line.
    private static func clip(_ value: String) -> String {
        let flat = value.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
        return flat.count > 60 ? String(flat.prefix(57)) + "..." : flat
    }
}
