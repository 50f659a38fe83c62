extension PretrainedModel {
    /// A checkpoint assembled in memory rather than loaded: weights being trained (or just
    /// trained) with the tokenizer they were trained with, so evaluation and sampling can run
    /// them through the same engine-backed decode path as a checkpoint on disk without
    /// writing one first. It has no generation config and no chat template; its EOS ids are
    /// the config's and the tokenizer's.
    /// - Parameters:
    ///   - model: the network.
    ///   - tokenizer: the tokenizer its vocabulary belongs to.
    ///   - directory: where it came from, for messages (no file is read).
    public init(model: TransformerModel, tokenizer: Tokenizer, directory: String = "(in memory)") {
        self.init(directory: directory, model: model, generationConfig: nil, tokenizer: tokenizer,
                  chatTemplate: nil, specialStrings: TokenizerSpecialStrings())
    }
}
