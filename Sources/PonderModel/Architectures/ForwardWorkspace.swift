/// Scratch memory for forward passes, reused across calls.
///
/// Buffers grow to the largest batch seen and are then reused, so a decode loop allocates
/// nothing per layer or per element. One workspace serves one thread at a time.
public final class ForwardWorkspace {
    let hidden: Int, queryDim: Int, keyValueDim: Int, intermediate: Int, rotaryHalf: Int, vocab: Int

    /// Rows (tokens) the row buffers hold.
    private(set) var rowCapacity = 0
    /// Rows the output (logits) buffers hold.
    private(set) var outputCapacity = 0
    /// Sequences the batch tables hold.
    private(set) var sequenceCapacity = 0
    /// Block pointers the block table holds.
    private(set) var blockCapacity = 0

    private(set) var x = FloatBuffer(count: 0)          // [rows, hidden] residual stream
    private(set) var normed = FloatBuffer(count: 0)     // [rows, hidden]
    private(set) var query = FloatBuffer(count: 0)      // [rows, heads · headDim]
    private(set) var key = FloatBuffer(count: 0)        // [rows, kvHeads · headDim]
    private(set) var value = FloatBuffer(count: 0)      // [rows, kvHeads · headDim]
    private(set) var attention = FloatBuffer(count: 0)  // [rows, heads · headDim]
    private(set) var gate = FloatBuffer(count: 0)       // [rows, intermediate]
    private(set) var up = FloatBuffer(count: 0)         // [rows, intermediate]
    private(set) var cos = FloatBuffer(count: 0)        // [rows, headDim / 2]
    private(set) var sin = FloatBuffer(count: 0)        // [rows, headDim / 2]
    private(set) var tokens = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)     // [rows]
    private(set) var positions = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)  // [rows]
    private(set) var outputHidden = FloatBuffer(count: 0)  // [output rows, hidden]
    private(set) var logits = FloatBuffer(count: 0)        // [output rows, vocab]
    /// The batch's sequences, in row order.
    private(set) var sequences = UnsafeMutableBufferPointer<AttentionSequence>(start: nil, count: 0)
    /// Block base pointers of every sequence of the batch, back to back.
    private(set) var blockPointers = UnsafeMutableBufferPointer<UnsafeMutablePointer<Float>>(start: nil, count: 0)
    /// Attention's per-thread scratch.
    let attentionScratch = AttentionScratch()

    /// A workspace for `config`'s dimensions.
    public init(config: ModelConfig) {
        hidden = config.hiddenSize
        queryDim = config.queryDim
        keyValueDim = config.keyValueDim
        intermediate = config.intermediateSize
        rotaryHalf = config.headDim / 2
        vocab = config.vocabSize
    }

    deinit {
        tokens.deallocate()
        positions.deallocate()
        sequences.deallocate()
        blockPointers.deallocate()
    }

    /// Whether this workspace was made for `config`'s dimensions.
    func matches(_ config: ModelConfig) -> Bool {
        hidden == config.hiddenSize && queryDim == config.queryDim && keyValueDim == config.keyValueDim
            && intermediate == config.intermediateSize && vocab == config.vocabSize && rotaryHalf == config.headDim / 2
    }

    /// Makes room for `rows` tokens and `outputRows` rows of logits. Grows geometrically;
    /// never shrinks.
    func ensure(rows: Int, outputRows: Int) {
        if rows > rowCapacity {
            let n = max(rows, rowCapacity * 2)
            x = FloatBuffer(count: n * hidden)
            normed = FloatBuffer(count: n * hidden)
            query = FloatBuffer(count: n * queryDim)
            key = FloatBuffer(count: n * keyValueDim)
            value = FloatBuffer(count: n * keyValueDim)
            attention = FloatBuffer(count: n * queryDim)
            gate = FloatBuffer(count: n * intermediate)
            up = FloatBuffer(count: n * intermediate)
            cos = FloatBuffer(count: n * rotaryHalf)
            sin = FloatBuffer(count: n * rotaryHalf)
            tokens.deallocate()
            tokens = .allocate(capacity: n)
            positions.deallocate()
            positions = .allocate(capacity: n)
            rowCapacity = n
        }
        if outputRows > outputCapacity {
            let n = max(outputRows, outputCapacity * 2)
            outputHidden = FloatBuffer(count: n * hidden)
            logits = FloatBuffer(count: n * vocab)
            outputCapacity = n
        }
    }

    /// Makes room for `sequences` sequences whose block tables hold `blocks` pointers in all.
    func ensureTables(sequences count: Int, blocks: Int) {
        if count > sequenceCapacity {
            let n = max(count, sequenceCapacity * 2)
            sequences.deallocate()
            sequences = .allocate(capacity: n)
            sequenceCapacity = n
        }
        if blocks > blockCapacity {
            let n = max(blocks, blockCapacity * 2)
            blockPointers.deallocate()
            blockPointers = .allocate(capacity: n)
            blockCapacity = n
        }
    }
}
