extension Engine {
    /// Appends `tokens[i]` to `handles[i]` for every i in one batched forward pass (several if
    /// the call has more than `maxTokensPerPass` tokens) and returns, per handle, the logits
    /// (and, when asked, the final hidden state) after its last new token.
    ///
    /// Handles may have any lengths and any number of new tokens (≥ 1): a prompt being
    /// prefilled and sequences decoding one token go through the same matrix products.
    /// Throws before changing anything: `EngineError` for unknown or repeated handles or a
    /// full cache, `ModelError` for bad token ids, empty lists or a context past the model's.
    public func extend(_ handles: [SequenceHandle], tokens: [[Int]],
                       returnHiddenStates: Bool = false) throws -> ExtendResult {
        var result = ExtendResult()
        try extend(handles, tokens: tokens, returnHiddenStates: returnHiddenStates, into: &result)
        return result
    }

    /// `extend` writing into `result`, whose storage is reused: a decode loop that passes the
    /// same result (and reuses its handle and token arrays) allocates nothing per step.
    public func extend(_ handles: [SequenceHandle], tokens: [[Int]], returnHiddenStates: Bool = false,
                       into result: inout ExtendResult) throws {
        guard handles.count == tokens.count else {
            throw EngineError.countMismatch(handles: handles.count, tokenLists: tokens.count)
        }
        try run(handles, count: { tokens[$0].count }, token: { tokens[$0][$1] },
                returnHiddenStates: returnHiddenStates, into: &result)
    }

    /// One decode step: appends `nextTokens[i]` to `handles[i]`.
    public func extend(_ handles: [SequenceHandle], nextTokens: [Int], returnHiddenStates: Bool = false,
                       into result: inout ExtendResult) throws {
        guard handles.count == nextTokens.count else {
            throw EngineError.countMismatch(handles: handles.count, tokenLists: nextTokens.count)
        }
        try run(handles, count: { _ in 1 }, token: { i, _ in nextTokens[i] },
                returnHiddenStates: returnHiddenStates, into: &result)
    }

    /// The shared implementation: validate, reserve blocks, then run the passes.
    private func run(_ handles: [SequenceHandle], count: (Int) -> Int, token: (Int, Int) -> Int,
                     returnHiddenStates: Bool, into result: inout ExtendResult) throws {
        let c = model.config
        result.reset(vocabularySize: c.vocabSize, hiddenSize: c.hiddenSize)
        // 1. Validate everything and count the blocks needed, touching nothing.
        var neededBlocks = 0
        for (i, handle) in handles.enumerated() {
            let record = try self.record(handle)
            if handles.count <= 64 {
                for j in 0..<i where handles[j] == handle { throw EngineError.duplicateSequence(handle) }
            } else if i == 0, Set(handles).count != handles.count {
                let repeated = handles.enumerated().first { k, h in handles[..<k].contains(h) }
                throw EngineError.duplicateSequence(repeated?.element ?? handle)
            }
            let n = count(i)
            guard n > 0 else { throw ModelError.emptyInput }
            for t in 0..<n {
                let id = token(i, t)
                guard id >= 0, id < c.vocabSize else { throw ModelError.invalidTokenID(id, vocabularySize: c.vocabSize) }
            }
            let end = record.length + n
            guard end <= c.maxPositionEmbeddings else {
                throw ModelError.contextTooLong(needed: end, limit: c.maxPositionEmbeddings)
            }
            neededBlocks += pool.blocks(for: end) - record.blocks.count
            if record.length % pool.blockSize != 0, pool.referenceCount(record.blocks[record.length / pool.blockSize]) > 1 {
                neededBlocks += 1  // the shared partial block gets copied before the write
            }
        }
        guard neededBlocks <= pool.availableCount else {
            throw EngineError.cacheFull(neededBlocks: neededBlocks, availableBlocks: pool.availableCount,
                                        blockSize: pool.blockSize, capacityBlocks: pool.capacity)
        }

        // 2. Give every sequence exclusive, allocated blocks for its new positions.
        for (i, handle) in handles.enumerated() {
            let slot = Int(handle.slot)
            let length = records[slot].length, n = count(i)
            if length % pool.blockSize != 0 {
                let index = length / pool.blockSize
                let shared = records[slot].blocks[index]
                if pool.referenceCount(shared) > 1 {
                    let copy = pool.allocate()
                    pool.copy(shared, to: copy, positions: length % pool.blockSize)
                    pool.release(shared)
                    records[slot].blocks[index] = copy
                    result.copiedBlocks += 1
                }
            }
            while records[slot].blocks.count < pool.blocks(for: length + n) {
                records[slot].blocks.append(pool.allocate())
            }
            result.handles.append(handle)
            result.computedTokens.append(n)
            result.reusedTokens.append(length)
            result.attendedPositions.append(n * length + n * (n + 1) / 2)
        }
        let vocab = c.vocabSize, hidden = c.hiddenSize
        result.logits.append(contentsOf: repeatElement(0, count: handles.count * vocab))
        if returnHiddenStates { result.hiddenStates.append(contentsOf: repeatElement(0, count: handles.count * hidden)) }

        // 3. Passes of at most maxTokensPerPass tokens, in handle order; a long list is split
        //    across passes (chunked prefill), each chunk attending to the ones before it.
        var handleIndex = 0, offset = 0, logitRows = 0
        while handleIndex < handles.count {
            let passStart = (handleIndex, offset)
            var rows = 0, sequenceCount = 0, blockCount = 0
            var (h, o) = passStart
            while h < handles.count && rows < options.maxTokensPerPass {
                let take = min(count(h) - o, options.maxTokensPerPass - rows)
                rows += take
                sequenceCount += 1
                blockCount += pool.blocks(for: records[Int(handles[h].slot)].length + o + take)
                o += take
                if o == count(h) { h += 1; o = 0 }
            }
            workspace.ensure(rows: rows, outputRows: 0)
            workspace.ensureTables(sequences: sequenceCount, blocks: blockCount)
            // Fill tokens, block tables and the sequence list; remember who finishes here.
            (h, o) = passStart
            var row = 0, blockCursor = 0
            for s in 0..<sequenceCount {
                let record = records[Int(handles[h].slot)]
                let take = min(count(h) - o, options.maxTokensPerPass - row)
                for t in 0..<take { workspace.tokens[row + t] = token(h, o + t) }
                let start = record.length + o
                // This sequence's block table: base pointers of the blocks covering its positions.
                let tableBlocks = pool.blocks(for: start + take)
                let table = UnsafeMutableBufferPointer(rebasing: workspace.blockPointers[blockCursor..<(blockCursor + tableBlocks)])
                for b in 0..<tableBlocks { table[b] = pool.bases[Int(record.blocks[b])] }
                blockCursor += tableBlocks
                guard let base = table.baseAddress else { preconditionFailure("a sequence with new tokens has a block") }
                workspace.sequences[s] = AttentionSequence(firstRow: row, rows: take, startPosition: start,
                                                           blocks: UnsafePointer(base), blockSize: pool.blockSize)
                row += take
                o += take
                if o == count(h) { h += 1; o = 0 }
            }
            logitRows += model.runForward(rows: rows, sequenceCount: sequenceCount, outputs: .last, workspace: workspace)
            result.passes += 1
            // Copy out the outputs of sequences whose last token was in this pass.
            (h, o) = passStart
            for s in 0..<sequenceCount {
                let take = workspace.sequences[s].rows
                o += take
                if o == count(h) {
                    let logits = workspace.logits.pointer + s * vocab
                    result.logits.withUnsafeMutableBufferPointer { out in
                        _ = UnsafeMutableBufferPointer(rebasing: out[(h * vocab)..<((h + 1) * vocab)])
                            .update(fromContentsOf: UnsafeBufferPointer(start: logits, count: vocab))
                    }
                    if returnHiddenStates {
                        let state = workspace.outputHidden.pointer + s * hidden
                        result.hiddenStates.withUnsafeMutableBufferPointer { out in
                            _ = UnsafeMutableBufferPointer(rebasing: out[(h * hidden)..<((h + 1) * hidden)])
                                .update(fromContentsOf: UnsafeBufferPointer(start: state, count: hidden))
                        }
                    }
                    h += 1
                    o = 0
                }
            }
            (handleIndex, offset) = (h, o)
        }

        // 4. The new positions are in the blocks now.
        for (i, handle) in handles.enumerated() { records[Int(handle.slot)].length += count(i) }
        // Every pass computes logits for each of its sequences (a chunk that does not end its
        // sequence too), so charge the rows really computed.
        result.flops = flopModel.flops(computedTokens: result.totalComputedTokens, outputRows: logitRows,
                                  attendedPositions: result.totalAttendedPositions)
    }
}
