/// One measured point of a compute–accuracy curve.
public struct FrontierPoint: Sendable, Hashable, Codable {
    /// The strategy label.
    public var strategy: String
    /// The budget cap the point was run at.
    public var budget: BudgetPoint
    /// Mean FLOPs actually spent per trial (the x-axis: caps are not spend).
    public var meanFlops: Double
    /// Accuracy at that point.
    public var accuracy: Double

    public init(strategy: String, budget: BudgetPoint, meanFlops: Double, accuracy: Double) {
        self.strategy = strategy
        self.budget = budget
        self.meanFlops = meanFlops
        self.accuracy = accuracy
    }
}

/// The compute-optimal frontier: at every compute level, the best strategy available.
public enum ComputeFrontier {
    /// The monotone upper envelope of `points`, ordered by mean FLOPs.
    ///
    /// A point is on the frontier when no point with less or equal compute has the same or
    /// higher accuracy, so accuracy strictly increases along the result. Reading it left to
    /// right tells which strategy to use as the compute allowance grows.
    public static func envelope(_ points: [FrontierPoint]) -> [FrontierPoint] {
        let ordered = points.filter { $0.meanFlops.isFinite && $0.accuracy.isFinite }.sorted {
            if $0.meanFlops != $1.meanFlops { return $0.meanFlops < $1.meanFlops }
            if $0.accuracy != $1.accuracy { return $0.accuracy > $1.accuracy }
            return $0.strategy < $1.strategy
        }
        var frontier: [FrontierPoint] = []
        for point in ordered where point.accuracy > (frontier.last?.accuracy ?? -.infinity) {
            frontier.append(point)
        }
        return frontier
    }

    /// The most accurate point whose mean FLOPs fit within `flops`, if any.
    public static func best(within flops: Double, among points: [FrontierPoint]) -> FrontierPoint? {
        envelope(points).last { $0.meanFlops <= flops }
    }
}
