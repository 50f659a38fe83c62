/// The exhaustive Countdown solver: which targets a number set reaches and in how many
/// distinct ways, under the one rule set Ponder uses (every number exactly once; + − × ÷;
/// every intermediate a non-negative integer: larger minus smaller, exact division only).
///
/// It is a memoized search over subsets: the values (or expressions) of every subset of the
/// numbers are computed once from the values of its two-part splits, so 4 numbers take 15
/// subsets and a few thousand integer operations instead of re-exploring the 1 152-node tree
/// of Stream of Search for every question.
public enum CountdownSolver {
    /// The largest number set the task layer hands to the solver (cost grows fast beyond).
    public static let maxNumbers = 5

    /// Every value reachable using all of `numbers` exactly once.
    public static func reachableValues(_ numbers: [Int]) -> Set<Int> {
        guard !numbers.isEmpty else { return [] }
        let n = numbers.count
        let full = (1 << n) - 1
        // values[mask]: the distinct values the numbers selected by `mask` can make.
        var values = [[Int]](repeating: [], count: full + 1)
        for i in 0..<n { values[1 << i] = [numbers[i]] }
        for mask in 1...full where mask & (mask - 1) != 0 {
            var made = Set<Int>()
            forEachSplit(of: mask) { left, right in
                for a in values[left] {
                    for b in values[right] {
                        combine(a, b) { _, _, value in made.insert(value) }
                    }
                }
            }
            values[mask] = Array(made)
        }
        return Set(values[full])
    }

    /// Whether `target` is reachable from `numbers`.
    public static func isSolvable(_ numbers: [Int], target: Int) -> Bool {
        reachableValues(numbers).contains(target)
    }

    /// All distinct solutions, most readable first (smallest largest intermediate, then
    /// shortest rendering, then alphabetical), so the first one is a stable reference.
    ///
    /// Distinct means distinct `canonicalKey`: `a + b` and `b + a`, or `(a + b) + c` and
    /// `a + (b + c)`, are one solution; equal numbers in the set do not multiply solutions.
    /// Every operation writes its larger operand first (`75 - 3`, `12 / 4`, `9 + 2`).
    public static func solutions(_ numbers: [Int], target: Int) -> [CountdownExpression] {
        guard !numbers.isEmpty else { return [] }
        let n = numbers.count
        let full = (1 << n) - 1
        // exprs[mask][value]: distinct expressions over `mask` worth `value`, by canonical key.
        var exprs = [[Int: [String: CountdownExpression]]](repeating: [:], count: full + 1)
        for i in 0..<n {
            let leaf = CountdownExpression.number(numbers[i])
            exprs[1 << i] = [numbers[i]: [leaf.canonicalKey: leaf]]
        }
        if n > 1 {
            for mask in 1...full where mask & (mask - 1) != 0 {
                var table: [Int: [String: CountdownExpression]] = [:]
                let isFull = mask == full
                forEachSplit(of: mask) { left, right in
                    for (a, aExprs) in exprs[left] {
                        for (b, bExprs) in exprs[right] {
                            combine(a, b) { op, aFirst, value in
                                if isFull && value != target { return }
                                for x in aExprs.values {
                                    for y in bExprs.values {
                                        let node = aFirst ? CountdownExpression.binary(op, x, y)
                                                          : CountdownExpression.binary(op, y, x)
                                        table[value, default: [:]][node.canonicalKey] = node
                                    }
                                }
                            }
                        }
                    }
                }
                exprs[mask] = table
            }
        }
        let found = Array((exprs[full][target] ?? [:]).values)
        return found
            .map { (expr: $0, big: $0.largestIntermediate, text: $0.rendered) }
            .sorted { ($0.big, $0.text.count, $0.text) < ($1.big, $1.text.count, $1.text) }
            .map(\.expr)
    }

    /// Calls `body` once per unordered split of `mask` into two non-empty disjoint parts.
    private static func forEachSplit(of mask: Int, _ body: (Int, Int) -> Void) {
        var sub = (mask - 1) & mask
        while sub > 0 {
            let rest = mask ^ sub
            if sub < rest { body(sub, rest) }  // each unordered pair once
            sub = (sub - 1) & mask
        }
    }

    /// Every legal operation on two values: `body(op, aFirst, value)` where `aFirst` says
    /// whether `a` is the left operand. The larger operand goes first; + and × with equal
    /// values are emitted once; overflowing results are skipped.
    private static func combine(_ a: Int, _ b: Int,
                                _ body: (CountdownOperator, Bool, Int) -> Void) {
        let aFirst = a >= b
        let (hi, lo) = aFirst ? (a, b) : (b, a)
        let (sum, o1) = hi.addingReportingOverflow(lo)
        if !o1 { body(.add, aFirst, sum) }
        let (product, o2) = hi.multipliedReportingOverflow(by: lo)
        if !o2 { body(.multiply, aFirst, product) }
        body(.subtract, aFirst, hi - lo)
        if lo != 0, hi % lo == 0 { body(.divide, aFirst, hi / lo) }
        // 0 / hi is exact too; the verifier accepts it, so the solver must count it.
        if lo == 0, hi != 0 { body(.divide, !aFirst, 0) }
    }
}
