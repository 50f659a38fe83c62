import Foundation

/// The global functions transformers gives chat templates: `namespace`, `raise_exception`,
/// `strftime_now`, `dict`, and jinja2's `range`.
enum JinjaGlobals {
    static func make(now: Date, timeZone: TimeZone) -> [String: JinjaValue] {
        [
            "namespace": .callable(JinjaCallable("namespace") { args in
                var attributes = JinjaDict()
                if args.positional.count > 1 { throw JinjaFailure.render("namespace() takes at most one positional argument") }
                if let initial = args.positional.first {
                    guard case .dict(let dict) = initial else { throw JinjaFailure.render("namespace() positional argument must be a dict") }
                    attributes = dict
                }
                for (name, value) in args.keyword { attributes[name] = value }
                if let bad = attributes.keys.first(where: { $0.hasPrefix("_") }) {
                    throw JinjaFailure.render("chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(bad)'")
                }
                return .namespace(JinjaNamespace(attributes))
            }),
            "raise_exception": .callable(JinjaCallable("raise_exception") { args in
                let message = try args.bind(["message"], function: "raise_exception")[0]?.pythonString ?? ""
                throw JinjaFailure(kind: .raised, message: message)
            }),
            "strftime_now": .callable(JinjaCallable("strftime_now") { args in
                let format = try JinjaMethods.requiredString(try args.bind(["format"], function: "strftime_now")[0], "strftime_now() format")
                return .string(strftime(format, now, timeZone))
            }),
            "dict": .callable(JinjaCallable("dict") { args in
                var dict = JinjaDict()
                if let initial = args.positional.first {
                    guard args.positional.count == 1, case .dict(let d) = initial else { throw JinjaFailure.render("dict() takes one mapping argument") }
                    dict = d
                }
                for (name, value) in args.keyword { dict[name] = value }
                return .dict(dict)
            }),
            "range": .callable(JinjaCallable("range") { args in
                guard args.keyword.isEmpty else { throw JinjaFailure.render("range() takes no keyword arguments") }
                let bounds = try args.positional.map { try JinjaMethods.optionalInt($0, "range() argument", default: 0) }
                let (start, stop, step): (Int, Int, Int)
                switch bounds.count {
                case 1: (start, stop, step) = (0, bounds[0], 1)
                case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
                case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
                default: throw JinjaFailure.render("range() takes 1 to 3 arguments (\(bounds.count) given)")
                }
                if step == 0 { throw JinjaFailure.render("range() arg 3 must not be zero") }
                // jinja2's sandbox caps ranges (MAX_RANGE) so a template cannot exhaust memory;
                // check the size before building anything.
                let span = step > 0 ? Double(stop) - Double(start) : Double(start) - Double(stop)
                if (span / Double(step.magnitude)).rounded(.up) > 100_000 {
                    throw JinjaFailure.render("range() is too big (at most 100000 items)")
                }
                return .list(stride(from: start, to: stop, by: step).map { .int($0) })
            }),
        ]
    }

    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                 "October", "November", "December"]

    /// C-locale `strftime` for the directives Python passes through to glibc, on a naive local
    /// time (so `%Z` and `%z` are empty, as for Python's `datetime.now()`).
    static func strftime(_ format: String, _ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let year = c.year ?? 1970, month = c.month ?? 1, day = c.day ?? 1
        let hour = c.hour ?? 0, minute = c.minute ?? 0, second = c.second ?? 0
        let weekday = ((c.weekday ?? 1) - 1) % 7  // 0 = Sunday
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        func pad(_ v: Int, _ width: Int, _ fill: Character = "0") -> String {
            let s = String(v)
            return String(repeating: fill, count: max(0, width - s.count)) + s
        }
        var out = ""
        var chars = Array(format)[...]
        while let ch = chars.popFirst() {
            guard ch == "%", let next = chars.first else { out.append(ch); continue }
            chars.removeFirst()
            var directive = next, unpadded = false
            if directive == "-", let d = chars.first { unpadded = true; directive = d; chars.removeFirst() }
            func num(_ v: Int, _ width: Int, _ fill: Character = "0") -> String { unpadded ? String(v) : pad(v, width, fill) }
            switch directive {
            case "Y": out += String(year)
            case "y": out += num(year % 100, 2)
            case "m": out += num(month, 2)
            case "d": out += num(day, 2)
            case "e": out += num(day, 2, " ")
            case "H": out += num(hour, 2)
            case "I": out += num(hour % 12 == 0 ? 12 : hour % 12, 2)
            case "M": out += num(minute, 2)
            case "S": out += num(second, 2)
            case "j": out += num(dayOfYear, 3)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "a": out += String(weekdays[weekday].prefix(3))
            case "A": out += weekdays[weekday]
            case "b", "h": out += String(months[month - 1].prefix(3))
            case "B": out += months[month - 1]
            case "w": out += String(weekday)
            case "u": out += String(weekday == 0 ? 7 : weekday)
            case "F": out += "\(year)-\(pad(month, 2))-\(pad(day, 2))"
            case "T": out += "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
            case "D": out += "\(pad(month, 2))/\(pad(day, 2))/\(pad(year % 100, 2))"
            case "Z", "z": break
            case "n": out += "\n"
            case "t": out += "\t"
            case "%": out += "%"
            default: out += "%" + (unpadded ? "-" : "") + String(directive)
            }
        }
        return out
    }
}
