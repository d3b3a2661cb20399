import Foundation

/// The course's recommendation files, read and written: JSON lines of
/// `{"item_id": id, "recommendations": [ids]}` (i2i) or `{"user": id, "tracks": [ids]}`
/// (per-user), as `Catalog.upload_recommendations` in the course's `track.py` loads them.
///
/// Reading is stricter than the course (which stores whatever `json.loads` gives): every line
/// must be an object with a whole-number key and a non-empty list of distinct whole-number
/// track ids inside the catalog, i2i keys must be tracks of the catalog, and no key may come
/// twice (the course keeps the last one silently). The first problem is an `InputError` naming
/// file, line and field; nothing is returned.
public enum CourseRecommendationFile {
    /// Parses `bytes` (the file's content) for a catalog of `trackCount` tracks. `kind` nil
    /// means: decided by the first line's fields.
    public static func read(_ bytes: [UInt8], file: String, kind wanted: RecommendationListKind?, trackCount: Int)
        throws -> (kind: RecommendationListKind, lists: [(key: Int64, tracks: [TrackID])]) {
        try bytes.withUnsafeBufferPointer { try read($0, file: file, kind: wanted, trackCount: trackCount) }
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, kind wanted: RecommendationListKind?, trackCount: Int)
        throws -> (kind: RecommendationListKind, lists: [(key: Int64, tracks: [TrackID])]) {
        var kind = wanted
        var lists: [(key: Int64, tracks: [TrackID])] = []
        var firstLine: [Int64: Int] = [:]
        var seen = Set<TrackID>()
        try JSONLines.forEachLine(bytes) { text, line in
            func fail(_ field: String?, _ value: String?, _ problem: String) -> InputError {
                InputError(file: file, line: line, field: field, value: value, problem)
            }
            let object = try CourseCatalogImporter.parseObject(text, file: file, line: line)
            let string = String(decoding: text, as: UTF8.self)
            if kind == nil {
                kind = RecommendationListKind.allCases.first { object[$0.keyField] != nil && object[$0.listField] != nil }
                guard kind != nil else {
                    throw fail(nil, string, "neither an i2i line (item_id, recommendations) nor a per-user line (user, tracks)")
                }
            }
            let k = kind!
            guard let keyValue = object[k.keyField] else { throw fail(k.keyField, nil, "missing \(k.keyField) (a \(k.rawValue) file)") }
            guard let key = wholeNumber(keyValue), key >= 0 else {
                throw fail(k.keyField, describe(keyValue), "expected a whole number ≥ 0")
            }
            if k == .i2i && key >= Int64(trackCount) {
                throw fail(k.keyField, String(key), "no such track: the catalog has ids 0…\(trackCount - 1)")
            }
            if let first = firstLine[key] {
                throw fail(k.keyField, String(key), "listed twice (first on line \(first))")
            }
            guard let listValue = object[k.listField] else { throw fail(k.listField, nil, "missing \(k.listField)") }
            guard let items = listValue as? [Any] else { throw fail(k.listField, describe(listValue), "expected a list of track ids") }
            guard !items.isEmpty else { throw fail(k.listField, "[]", "empty list") }
            var tracks: [TrackID] = []
            tracks.reserveCapacity(items.count)
            seen.removeAll(keepingCapacity: true)
            for (position, item) in items.enumerated() {
                let field = "\(k.listField)[\(position)]"
                guard let id = wholeNumber(item) else { throw fail(field, describe(item), "expected a whole-number track id") }
                guard id >= 0 && id < Int64(trackCount) else {
                    throw fail(field, String(id), "no such track: the catalog has ids 0…\(trackCount - 1)")
                }
                let t = TrackID(id)
                guard seen.insert(t).inserted else {
                    throw fail(field, String(id), "duplicate track (also at position \(tracks.firstIndex(of: t)!))")
                }
                tracks.append(t)
            }
            firstLine[key] = line
            lists.append((key, tracks))
        }
        guard let kind, !lists.isEmpty else {
            throw InputError(file: file, "no recommendation lines (expected JSON lines of item_id/recommendations or user/tracks)")
        }
        return (kind, lists)
    }

    /// The file as the course writes it (Python's `json.dumps` separators), one line per key.
    public static func write(_ list: RecommendationList, limit: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(list.tracks.count * 7 + list.count * 40)
        let head = "{\"\(list.kind.keyField)\": "
        let middle = ", \"\(list.kind.listField)\": ["
        for i in 0..<list.count {
            out.append(contentsOf: head.utf8)
            out.append(contentsOf: String(list.keys[i]).utf8)
            out.append(contentsOf: middle.utf8)
            var tracks = list.tracks(at: i)
            if let limit { tracks = tracks.prefix(limit) }
            for (j, t) in tracks.enumerated() {
                if j > 0 { out.append(contentsOf: ", ".utf8) }
                out.append(contentsOf: String(t).utf8)
            }
            out.append(contentsOf: "]}\n".utf8)
        }
        return out
    }

    /// A JSON number that is a whole number (1 or 1.0, not 1.5, not true, not "1").
    static func wholeNumber(_ value: Any) -> Int64? {
        guard let number = value as? NSNumber, !isBoolean(value) else { return nil }
        let d = number.doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else { return nil }
        return Int64(d)
    }

    static func isBoolean(_ value: Any) -> Bool {
        if let number = value as? NSNumber, type(of: value) != Bool.self {
            return String(cString: number.objCType) == "c"
        }
        return value is Bool
    }

    static func describe(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if isBoolean(value) { return (value as? Bool) == true ? "true" : "false" }
        if let s = value as? String { return "\"\(s)\"" }
        if let n = value as? NSNumber { return n.stringValue }
        if value is [Any] { return "[…]" }
        if value is [String: Any] { return "{…}" }
        return "\(value)"
    }
}
