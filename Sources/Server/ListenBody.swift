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
