import Core
import Foundation

/// Where botify keeps its database (docs/ARCHITECTURE.md §4): `--db`, then `$BOTIFY_DB`, then
/// `$XDG_DATA_HOME/botify/botify.sqlite`, then `~/.local/share/botify/botify.sqlite`.
public enum DatabaseLocation {
    public static let fileName = "botify.sqlite"

    /// The path to use; empty flags and variables count as unset, as XDG asks.
    public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let flag, !flag.isEmpty { return expandTilde(flag, environment: environment) }
        if let path = environment["BOTIFY_DB"], !path.isEmpty { return expandTilde(path, environment: environment) }
        // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/botify/" + fileName
        }
        return home(environment) + "/.local/share/botify/" + fileName
    }

    private static func home(_ environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    private static func expandTilde(_ path: String, environment: [String: String]) -> String {
        if path == "~" { return home(environment) }
        if path.hasPrefix("~/") { return home(environment) + path.dropFirst() }
        return path
    }
}
