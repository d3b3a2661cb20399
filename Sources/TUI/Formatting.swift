import Foundation

func formatClock(_ seconds: Double) -> String {
    let s = max(0, Int(seconds.rounded(.down)))
    return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)"
}

func formatSpeed(_ speed: Double) -> String {
    speed == speed.rounded() ? String(Int(speed)) : fixed(speed, 2)
}

/// `v` with exactly `digits` decimals ("2.50"), independent of the locale.
public func fixed(_ v: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", v)
}

func format1(_ v: Double) -> String { fixed(v, 1) }
func format2(_ v: Double) -> String { fixed(v, 2) }

func formatMicros(_ micros: Float) -> String {
    micros < 1000 ? "\(Int(micros.rounded())) µs" : "\(format1(Double(micros) / 1000)) ms"
}

/// 4005 → "4,005", independent of the locale.
func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 && c != "-" && out != "-" { out.append(",") }
        out.append(c)
    }
    return out
}
