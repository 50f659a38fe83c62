/// Element-wise kernels in Swift SIMD: RMSNorm, SwiGLU, RoPE, softmax and a vector `exp`.
///
/// Each works on one contiguous stretch; the backend decides how to split rows over threads.
/// Loops run eight lanes at a time (one AVX register) with a scalar tail, so any dimension
/// works and the common ones (multiples of 8) never take the tail.
enum VectorKernels {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// y[count] += x[count].
    static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            store(load(y + i) + load(x + i), y + i)
            i += 8
        }
        while i < count {
            y[i] += x[i]
            i += 1
        }
    }

    /// y[dim] = weight ⊙ x · rsqrt(mean(x²) + eps), in transformers' order of operations.
    static func rmsNorm(_ x: UnsafePointer<Float>, dim: Int, weight: UnsafePointer<Float>, eps: Float,
                        into y: UnsafeMutablePointer<Float>) {
        var s0 = Vector(), s1 = Vector()
        var i = 0
        while i + 16 <= dim {
            let a = load(x + i), b = load(x + i + 8)
            s0.addProduct(a, a)
            s1.addProduct(b, b)
            i += 16
        }
        if i + 8 <= dim {
            let a = load(x + i)
            s0.addProduct(a, a)
            i += 8
        }
        var sumOfSquares = (s0 + s1).sum()
        while i < dim {
            sumOfSquares += x[i] * x[i]
            i += 1
        }
        let inverseRMS = 1 / (sumOfSquares / Float(dim) + eps).squareRoot()
        i = 0
        while i + 8 <= dim {
            store(load(weight + i) * (load(x + i) * inverseRMS), y + i)
            i += 8
        }
        while i < dim {
            y[i] = weight[i] * (x[i] * inverseRMS)
            i += 1
        }
    }

    /// gate[count] = silu(gate) ⊙ up = gate / (1 + e^−gate) ⊙ up.
    static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let g = load(gate + i)
            store(g / (1 + exp(-g)) * load(up + i), gate + i)
            i += 8
        }
        while i < count {
            let g = gate[i]
            gate[i] = g / (1 + Float.exp(-g)) * up[i]
            i += 1
        }
    }

    /// Rotates `heads` vectors of x[heads, headDim] (HF rotate-half: i pairs with i + half) by
    /// one position's cos/sin[half].
    static func rotate(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int,
                       cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = headDim / 2
        for h in 0..<heads {
            let v = x + h * headDim
            var i = 0
            while i + 8 <= half {
                let a = load(v + i), b = load(v + i + half), c = load(cos + i), s = load(sin + i)
                store(a * c - b * s, v + i)
                store(b * c + a * s, v + i + half)
                i += 8
            }
            while i < half {
                let a = v[i], b = v[i + half]
                v[i] = a * cos[i] - b * sin[i]
                v[i + half] = b * cos[i] + a * sin[i]
                i += 1
            }
        }
    }

    /// In-place softmax over x[count] in fp32 (max-subtracted).
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        var m8 = Vector(repeating: -.infinity)
        while i + 8 <= count {
            m8 = pointwiseMax(m8, load(x + i))
            i += 8
        }
        var maximum = m8.max()
        while i < count {
            maximum = Swift.max(maximum, x[i])
            i += 1
        }
        var s8 = Vector()
        i = 0
        while i + 8 <= count {
            let e = exp(load(x + i) - maximum)
            store(e, x + i)
            s8 += e
            i += 8
        }
        var sum = s8.sum()
        while i < count {
            let e = Float.exp(x[i] - maximum)
            x[i] = e
            sum += e
            i += 1
        }
        let inverse = 1 / sum
        i = 0
        while i + 8 <= count {
            store(load(x + i) * inverse, x + i)
            i += 8
        }
        while i < count {
            x[i] *= inverse
            i += 1
        }
    }

    @inline(__always)
    static func pointwiseMax(_ a: Vector, _ b: Vector) -> Vector {
        a.replacing(with: b, where: b .> a)
    }

    /// e^x per lane: Cephes' `expf` (range reduction by ln 2, degree-6 polynomial), relative
    /// error about 2 ulp; inputs below −87 give ~1e−38 rather than 0, which no softmax notices.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        var x = input
        x.replace(with: -87, where: x .< -87)
        x.replace(with: 88, where: x .> 88)
        // Adding 1.5·2²³ rounds x·log₂e to an integer n and leaves n in the low mantissa bits.
        let magic = Vector(repeating: 12_582_912)
        let t = x * 1.442_695_04 + magic
        let n = t - magic
        var r = x - n * 0.693_359_375
        r = r + n * 2.121_944_40e-4
        var y = Vector(repeating: 1.987_569_150_0e-4)
        y = y * r + 1.398_199_950_7e-3
        y = y * r + 8.333_451_907_3e-3
        y = y * r + 4.166_579_589_4e-2
        y = y * r + 1.666_666_545_9e-1
        y = y * r + 5.000_000_120_1e-1
        y = y * (r * r) + r + 1
        let bits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        return y * unsafeBitCast((bits &+ 127) &<< 23, to: Vector.self)
    }
}

extension Float {
    /// Scalar e^x for the kernels' tails.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        VectorKernels.exp(SIMD8<Float>(repeating: x))[0]
    }
}
