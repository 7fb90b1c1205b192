/// RFC 3492 Punycode, used to turn internationalised labels into their ASCII (`xn--`) form.
///
/// DNS APIs and DNS itself carry IDNs as punycode; users write them either way. Normalising
/// every name to the ASCII form once means the selector, the providers and the zone matching
/// compare like with like.
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128

    /// Encodes the Unicode scalars of one label; `nil` when the label overflows.
    static func encode(_ input: String) -> String? {
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < scalars.count {
            guard let m = scalars.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow else { return nil }
            delta += product
            n = m
            for c in scalars {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    /// Decodes the part of a label after `xn--`; `nil` when it is not valid Punycode.
    static func decode(_ input: String) -> String? {
        let chars = Array(input.unicodeScalars)
        var output: [Int] = []
        var rest = chars[...]
        if let dash = chars.lastIndex(of: "-") {
            output = chars[..<dash].map { Int($0.value) }
            guard output.allSatisfy({ $0 < 0x80 }) else { return nil }
            rest = chars[(dash + 1)...]
        }
        var n = initialN
        var i = 0
        var bias = initialBias
        var iterator = rest.makeIterator()
        var pending = iterator.next()
        while pending != nil {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard let scalar = pending, let d = value(of: scalar) else { return nil }
                pending = iterator.next()
                i += d * w
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if d < t { break }
                w *= base - t
                k += base
                if i > 0x10FFFF * 64 || w > 0x10FFFF * 64 { return nil }
            }
            bias = adapt(i - oldI, output.count + 1, oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF else { return nil }
            output.insert(n, at: i)
            i += 1
        }
        var result = ""
        for v in output {
            guard let scalar = Unicode.Scalar(v) else { return nil }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func adapt(_ delta: Int, _ numPoints: Int, _ firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digit(_ d: Int) -> Character {
        Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d + 22)))
    }

    private static func value(of scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: return Int(scalar.value) - 22
        case 0x41...0x5A: return Int(scalar.value) - 0x41
        case 0x61...0x7A: return Int(scalar.value) - 0x61
        default: return nil
        }
    }
}
