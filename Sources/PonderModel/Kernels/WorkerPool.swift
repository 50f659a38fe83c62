import CBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Persistent worker threads that split one loop across the cores: the one place in Ponder
/// that owns threads.
///
/// OpenBLAS is set to a single thread when a pool starts, and the pool hands each thread its
/// own slice of a matrix product instead; two thread pools busy-waiting on two cores would
/// steal each other's time. A forward pass dispatches a few hundred short loops, so workers
/// spin for a while after each one (dispatch then costs about a microsecond) and park on a
/// condition variable when no work comes, so an idle engine costs no CPU.
///
/// `run` is safe to call from any thread; a call that arrives while the pool is busy (another
/// thread's forward pass) runs its loop serially on the caller instead of waiting.
public final class WorkerPool: @unchecked Sendable {
    /// Threads that take part in a loop, the caller included.
    public let threadCount: Int
    private let state: PoolState

    /// A pool using `threads` threads in all (the caller plus `threads − 1` workers).
    public init(threads: Int) {
        threadCount = max(1, threads)
        state = PoolState(workers: threadCount - 1)
        ponder_openblas_set_threads(1)
        for index in 0..<(threadCount - 1) {
            let state = self.state
            let thread = Thread { state.workerLoop(index: index) }
            thread.name = "ponder-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit { state.stop() }

    /// Lets OpenBLAS use `threads` threads for matrix products that callers issue directly,
    /// outside any pool: the trainer's large, square-ish sgemms, where OpenBLAS's own
    /// threading is the fastest split. The shared pool is started first (its start sets
    /// OpenBLAS back to one thread), so the setting is not undone later by its lazy start.
    /// Engine passes that run meanwhile stay correct, only with more threads than cores.
    public static func setDirectBLASThreads(_ threads: Int) {
        _ = shared.threadCount
        ponder_openblas_set_threads(Int32(max(1, threads)))
    }

    /// The process-wide pool: `PONDER_THREADS` threads, else one per active core.
    public static let shared = WorkerPool(threads: defaultThreadCount)

    /// `PONDER_THREADS` when set to a positive number, else the number of active cores.
    public static var defaultThreadCount: Int {
        if let text = ProcessInfo.processInfo.environment["PONDER_THREADS"], let n = Int(text), n > 0 { return n }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// Runs `body(task, thread)` for every `task` in `0..<tasks`, spread over the pool's
    /// threads, and returns when all have finished. Each task runs exactly once; `thread` (in
    /// `0..<threadCount`, 0 for the caller) indexes per-thread scratch. Tasks are claimed one at
    /// a time, so a thread that the OS slows down simply takes fewer.
    public func run(tasks: Int, _ body: (_ task: Int, _ thread: Int) -> Void) {
        guard tasks > 0 else { return }
        if tasks == 1 || threadCount == 1 || !state.tryAcquire() {
            for i in 0..<tasks { body(i, 0) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            withUnsafePointer(to: escaping) { pointer in
                state.dispatch(tasks: tasks, context: UnsafeRawPointer(pointer), invoke: Self.invokeClosure)
            }
        }
        state.releaseOwnership()
    }

    /// Runs `job.run(task:thread:)` for every task in `0..<tasks`, as `run(tasks:_:)` does,
    /// without allocating: a closure handed to other threads needs a heap box (one small
    /// allocation per call), a job struct is read in place from the caller's stack. The
    /// forward pass dispatches through this a few hundred times per token.
    public func run<Job: ParallelJob>(tasks: Int, job: Job) {
        guard tasks > 0 else { return }
        if tasks == 1 || threadCount == 1 || !state.tryAcquire() {
            for i in 0..<tasks { job.run(task: i, thread: 0) }
            return
        }
        withUnsafePointer(to: job) { pointer in
            state.dispatch(tasks: tasks, context: UnsafeRawPointer(pointer), invoke: Job.invoke)
        }
        state.releaseOwnership()
    }

    private static func invokeClosure(_ context: UnsafeRawPointer, _ task: Int, _ thread: Int) {
        context.assumingMemoryBound(to: ((Int, Int) -> Void).self).pointee(task, thread)
    }
}

/// A loop body for `WorkerPool.run(tasks:job:)`: the captured state as stored properties.
public protocol ParallelJob {
    /// Runs task `task` on pool thread `thread` (in `0..<threadCount`, for per-thread scratch).
    func run(task: Int, thread: Int)
}

extension ParallelJob {
    static func invoke(_ context: UnsafeRawPointer, _ task: Int, _ thread: Int) {
        context.assumingMemoryBound(to: Self.self).pointee.run(task: task, thread: thread)
    }
}

/// The shared state between a pool's owner and its worker threads.
///
/// A loop is a *generation*. Workers join it through `gate` — generation, a closed bit and a
/// count of joined workers in one atomic word — and leave when they find no task left. The
/// owner runs tasks too, and once every task is claimed it waits only for the workers that
/// joined, then closes the gate: a worker that the OS had descheduled, or that is still
/// starting up, never holds the owner back; arriving late, it finds the gate closed.
final class PoolState: @unchecked Sendable {
    let workers: Int
    /// The newest generation; workers wait for it to change.
    private let generation = Atomic<Int>(0)
    /// generation << 20 | closed << 19 | joined workers.
    private let gate = Atomic<Int>(1 << 19)
    /// Next task index to claim.
    private let next = Atomic<Int>(0)
    /// Whether some caller is using the pool.
    private let owned = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// The current loop: its state in the owner's stack frame and the function that runs one
    /// task of it. Written by the owner before the generation is published (release) and read
    /// only by workers that joined it, so the plain storage is safe.
    nonisolated(unsafe) private var context: UnsafeRawPointer?
    nonisolated(unsafe) private var invoke: ((UnsafeRawPointer, Int, Int) -> Void)?
    nonisolated(unsafe) private var taskCount = 0
    /// The owner's count of published generations.
    nonisolated(unsafe) private var published = 0
    private let condition = NSCondition()
    nonisolated(unsafe) private var sleepers = 0

    private static let closed = 1 << 19
    private static let joinedMask = (1 << 19) - 1

    /// Busy-wait iterations before a waiting thread starts yielding (a few microseconds:
    /// the gap between two loops of one forward pass).
    private static let spinLimit = 4_000
    /// `sched_yield` rounds after that before a worker parks (about 0.1 ms on an idle core).
    /// Yielding rather than spinning matters when the OS gives the pool fewer cores than it
    /// has threads (another process holds one): a spinning worker would take the owner's core.
    private static let yieldLimit = 500

    init(workers: Int) { self.workers = workers }

    func tryAcquire() -> Bool {
        owned.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func releaseOwnership() { owned.store(false, ordering: .releasing) }

    func stop() {
        stopping.store(true, ordering: .releasing)
        generation.wrappingAdd(1, ordering: .releasing)
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Publishes a loop, takes part in it, and returns once every task has run.
    func dispatch(tasks: Int, context: UnsafeRawPointer,
                  invoke: @escaping (UnsafeRawPointer, Int, Int) -> Void) {
        self.context = context
        self.invoke = invoke
        taskCount = tasks
        next.store(0, ordering: .relaxed)
        published += 1
        gate.store(published << 20, ordering: .releasing)  // open, nobody joined
        generation.store(published, ordering: .releasing)
        condition.lock()
        if sleepers > 0 { condition.broadcast() }
        condition.unlock()
        work(context, invoke, tasks, thread: 0)
        // Every task is claimed; wait for the joined workers to finish theirs, then close.
        var state = gate.load(ordering: .acquiring)
        var spins = 0
        while true {
            if state & Self.joinedMask == 0 {
                let (exchanged, original) = gate.compareExchange(expected: state, desired: state | Self.closed,
                                                                 ordering: .acquiringAndReleasing)
                if exchanged { break }
                state = original
            } else {
                // A joined worker is still running a task; if it lost its core, let it back on.
                spins += 1
                if spins > Self.spinLimit { sched_yield() }
                state = gate.load(ordering: .acquiring)
            }
        }
        self.context = nil
        self.invoke = nil
    }

    private func work(_ context: UnsafeRawPointer, _ invoke: (UnsafeRawPointer, Int, Int) -> Void,
                      _ tasks: Int, thread: Int) {
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < tasks else { return }
            invoke(context, i, thread)
        }
    }

    /// Joins generation `target` unless it is closed or over.
    private func join(_ target: Int) -> Bool {
        var state = gate.load(ordering: .acquiring)
        while state >> 20 == target && state & Self.closed == 0 {
            let (exchanged, original) = gate.compareExchange(expected: state, desired: state + 1,
                                                             ordering: .acquiringAndReleasing)
            if exchanged { return true }
            state = original
        }
        return false
    }

    /// Runs tasks of the joined loop. A function of its own so that its references to the
    /// loop end before the worker leaves (the owner's frame and closure must not outlive it).
    @inline(never)
    private func runJoined(thread: Int) {
        if let context, let invoke { work(context, invoke, taskCount, thread: thread) }
    }

    func workerLoop(index: Int) {
        var seen = 0
        while true {
            var current = generation.load(ordering: .acquiring)
            var spins = 0
            while current == seen && spins < Self.spinLimit + Self.yieldLimit {
                spins += 1
                if spins > Self.spinLimit { sched_yield() }
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                condition.lock()
                sleepers += 1
                current = generation.load(ordering: .acquiring)
                while current == seen {
                    condition.wait()
                    current = generation.load(ordering: .acquiring)
                }
                sleepers -= 1
                condition.unlock()
            }
            seen = current
            if stopping.load(ordering: .acquiring) { return }
            if join(seen) {
                runJoined(thread: index + 1)
                gate.wrappingSubtract(1, ordering: .releasing)
            }
        }
    }
}
