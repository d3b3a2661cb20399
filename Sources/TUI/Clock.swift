import Core
import Foundation
import Synchronization

/// Where the app reads the time. Playback position advances by elapsed clock time × speed, so
/// tests drive a `ManualClock` and never sleep.
public protocol PlaybackClock: AnyObject, Sendable {
    /// Seconds since 1970.
    func now() -> Double
}

public final class SystemClock: PlaybackClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

public final class ManualClock: PlaybackClock {
    private let time: Mutex<Double>
    public init(start: Double = 1_700_000_000) { time = Mutex(start) }
    public func now() -> Double { time.withLock { $0 } }
    public func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}

/// How the runner times a recommender's `next` (the latency recorded with each play). `update`
/// never reads a clock; tests inject a stopwatch with a fixed reading so screens are stable.
public protocol Stopwatch: Sendable {
    func time<T>(_ body: () -> T) -> (result: T, micros: Float)
}

public struct SystemStopwatch: Stopwatch {
    public init() {}
    public func time<T>(_ body: () -> T) -> (result: T, micros: Float) {
        let start = ContinuousClock.now
        let result = body()
        let d = ContinuousClock.now - start
        return (result, Float(d.seconds * 1e6))
    }
}
