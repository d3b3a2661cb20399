import Foundation

/// The body of `/next` and `/last`: `{"track": int, "time": float}`, read the way the course's
/// `reqparse` parser reads it (`type=int` / `type=float`, `location="json"`, both required,
/// checked in that order, the first failure reported as `{"message": {field: text}}`).
/// Where Python's `int()`/`float()` would accept a value botify accepts it too (a whole-number
/// float, a numeric string); botify additionally refuses `null`, booleans, and a `time`
/// outside 0…1 or not finite, which the course would store and then fail on.
public struct ListenBody: Sendable, Equatable {
    public var track: Int64
    public var time: Double

    /// A field that failed: the JSON key and the text the 400 carries for it.
    public struct Failure: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// reqparse's text for a required argument that is absent.
    static let missing = "Missing required parameter in the JSON body or the post body or the query string"

    public static func parse(_ bytes: [UInt8]) -> Result<ListenBody, Failure> {
        // Every body the course's agent sends is a flat object of two plain numbers; reading
        // that shape directly costs a fraction of JSONSerialization's boxing (profiled as the
        // largest part of a call). Anything else takes the general path below.
        if let plain = FlatNumberObject.read(bytes), let track = plain.track, let time = plain.time,
           let whole = Int64(exactly: track), time.isFinite, (0...1).contains(time) {
            return .success(ListenBody(track: whole, time: time))
        }
        return parseAnyJSON(bytes)
    }

    /// Any JSON body, through Foundation, with reqparse's checks and messages.
    static func parseAnyJSON(_ bytes: [UInt8]) -> Result<ListenBody, Failure> {
        let object = bytes.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
        guard let fields = object as? [String: Any] else {
            // Not JSON, or JSON that is not an object: reqparse finds no `track` in it.
            return .failure(Failure(field: "track", message: missing))
        }
        guard let rawTrack = fields["track"] else { return .failure(Failure(field: "track", message: missing)) }
        guard let track = integer(rawTrack) else {
            return .failure(Failure(field: "track", message: "track must be a whole number, got \(describe(rawTrack))"))
        }
        guard let rawTime = fields["time"] else { return .failure(Failure(field: "time", message: missing)) }
        guard let time = number(rawTime), time.isFinite, (0...1).contains(time) else {
            return .failure(Failure(field: "time", message: "time must be the fraction heard, a number from 0 to 1, got \(describe(rawTime))"))
        }
        return .success(ListenBody(track: track, time: time))
    }

    private static func isBool(_ value: Any) -> Bool {
        // JSONSerialization boxes true/false as NSNumber(value: Bool), whose type code is "c";
        // it never makes an Int8, the other "c".
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }

    /// `int(value)`: a whole JSON number, a float cut toward zero, or a decimal integer string.
    static func integer(_ value: Any) -> Int64? {
        if isBool(value) { return nil }
        if let text = value as? String {
            return Int64(text.trimmingCharacters(in: .whitespaces))
        }
        guard let n = value as? NSNumber else { return nil }
        let d = n.doubleValue
        if let exact = Int64(exactly: d) { return exact }
        if let i = value as? Int64 { return i }
        guard d.isFinite, d > -9.2e18, d < 9.2e18 else { return nil }
        return Int64(d.rounded(.towardZero))
    }

    /// `float(value)`: a JSON number or a decimal string.
    static func number(_ value: Any) -> Double? {
        if isBool(value) { return nil }
        if let text = value as? String { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return (value as? NSNumber)?.doubleValue
    }

    private static func describe(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if isBool(value) { return (value as! NSNumber).boolValue ? "true" : "false" }
        if let text = value as? String { return "'" + String(text.prefix(40)) + "'" }
        if let n = value as? NSNumber { return n.stringValue }
        return value is [Any] ? "a list" : "an object"
    }
}

/// A JSON object whose every value is a number and whose keys are plain ASCII without escapes,
/// read without Foundation: `track` and `time` as Doubles (nil when absent). Returns nil for
/// any other text — invalid JSON, another value type, an escape, a repeated key, a number
/// outside JSON's grammar — which the caller hands to Foundation, so both paths agree on
/// every body this one accepts (`ListenBodyTests` checks it on random bodies).
struct FlatNumberObject {
    var track: Double?
    var time: Double?

    static func read(_ b: [UInt8]) -> FlatNumberObject? {
        var i = 0
        let n = b.count
        func skipSpace() { while i < n, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }
        skipSpace()
        guard i < n, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var out = FlatNumberObject()
        var seen: [ArraySlice<UInt8>] = []
        skipSpace()
        if i < n, b[i] == UInt8(ascii: "}") {
            i += 1
            skipSpace()
            return i == n ? out : nil
        }
        while true {
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let keyStart = i
            while i < n, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\"), b[i] >= 0x20, b[i] < 0x7F { i += 1 }
            guard i < n, b[i] == UInt8(ascii: "\"") else { return nil }
            let key = b[keyStart..<i]
            i += 1
            guard !seen.contains(key) else { return nil }
            seen.append(key)
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            let numberStart = i
            guard let end = numberEnd(b, from: i) else { return nil }
            i = end
            guard let value = Double(String(decoding: b[numberStart..<end], as: UTF8.self)) else { return nil }
            if key.elementsEqual("track".utf8) { out.track = value } else if key.elementsEqual("time".utf8) { out.time = value }
            skipSpace()
            guard i < n else { return nil }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            guard b[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            skipSpace()
            return i == n ? out : nil
        }
    }

    /// The end of a JSON number starting at `i` (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
    static func numberEnd(_ b: [UInt8], from start: Int) -> Int? {
        var i = start
        let n = b.count
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if i < n, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(b[i]) else { return nil }
        if b[i] == 0x30 { i += 1 } else { while i < n, isDigit(b[i]) { i += 1 } }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(b[i]) else { return nil }
            while i < n, isDigit(b[i]) { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(b[i]) else { return nil }
            while i < n, isDigit(b[i]) { i += 1 }
        }
        // Long digit strings are where Foundation's and Swift's readings could part (integers
        // beyond 2^53, denormals): leave them to Foundation.
        return i - start <= 24 ? i : nil
    }
}
