using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Threading;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// Single-precision matrix products for the three forms backpropagation needs, row-major, with
/// explicit leading dimensions: C = act(α·op(A)·op(B) + β·C + bias). Packed panels, cache blocking
/// and a register-blocked micro-kernel for the widest vectors of the CPU; the product is split
/// across <see cref="Threads"/> threads that live as long as the engine.
/// </summary>
/// <remarks>
/// An engine owns its packing buffers and helper threads, so a warm call allocates nothing. It runs
/// one product at a time: concurrent callers take turns. Give each independent trainer its own.
/// </remarks>
public sealed class GemmEngine : IDisposable, ITeamTask
{
    private readonly PackingBuffers[] _buffers;
    private readonly ThreadTeam? _team;
    private readonly long _minFlopsPerThread;
    private readonly Lock _gate = new();

    // The product in flight and how it is shared, read by the team members while Run waits for them.
    private GemmProblem _problem;
    private bool _splitColumns;
    private bool _narrow;

    /// <summary>An engine on every core, with the widest vector path and the default blocking.</summary>
    public GemmEngine()
        : this(new GemmOptions())
    {
    }

    /// <summary>An engine configured by <paramref name="options"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">The requested vector path is not accelerated here.</exception>
    public GemmEngine(GemmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads, nameof(options.Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MinFlopsPerThread, nameof(options.MinFlopsPerThread));
        options.Blocking.Validate();

        Path = SimdPaths.Resolve(options.Path);
        Blocking = options.Blocking;
        Threads = options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
        _minFlopsPerThread = Math.Max(1, options.MinFlopsPerThread);
        _buffers = new PackingBuffers[Threads];
        for (int i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = new PackingBuffers();
        }

        _team = Threads > 1 ? new ThreadTeam(Threads, options.IdleSpin, "backprop-gemm") : null;
    }

    /// <summary>Threads that share a product, the caller included.</summary>
    public int Threads { get; }

    /// <summary>The vector path of the micro-kernel.</summary>
    public SimdPath Path { get; }

    /// <summary>The cache-blocking sizes.</summary>
    public GemmBlocking Blocking { get; }

    /// <summary>C = op(A)·op(B) on densely stored matrices (leading dimension = row length).</summary>
    public void Multiply(GemmForm form, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        int lda = form == GemmForm.AtB ? m : k;
        int ldb = form == GemmForm.ABt ? k : n;
        Compute(form, m, n, k, 1f, a, Math.Max(1, lda), b, Math.Max(1, ldb), 0f, c, Math.Max(1, n));
    }

    /// <summary>C = α·op(A)·op(B) + β·C. With β = 0, C is only written, never read.</summary>
    /// <param name="form">Which operand, if any, is transposed.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, m×k row-major; for <see cref="GemmForm.AtB"/> stored k×m.</param>
    /// <param name="lda">Distance between rows of A as stored.</param>
    /// <param name="b">B, k×n row-major; for <see cref="GemmForm.ABt"/> stored n×k.</param>
    /// <param name="ldb">Distance between rows of B as stored.</param>
    /// <param name="beta">Scale of C's previous contents.</param>
    /// <param name="c">C, m×n row-major; must not overlap A or B.</param>
    /// <param name="ldc">Distance between rows of C.</param>
    public void Compute(
        GemmForm form, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Compute(form, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default, Activation.Identity);

    /// <summary>
    /// C = act(α·op(A)·op(B) + β·C + bias), the bias added to every row and the activation applied
    /// while each block of C is still in cache: a dense layer's forward pass in one call.
    /// </summary>
    /// <param name="form">Which operand, if any, is transposed.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, m×k row-major; for <see cref="GemmForm.AtB"/> stored k×m.</param>
    /// <param name="lda">Distance between rows of A as stored.</param>
    /// <param name="b">B, k×n row-major; for <see cref="GemmForm.ABt"/> stored n×k.</param>
    /// <param name="ldb">Distance between rows of B as stored.</param>
    /// <param name="beta">Scale of C's previous contents.</param>
    /// <param name="c">C, m×n row-major; must not overlap A, B or the bias.</param>
    /// <param name="ldc">Distance between rows of C.</param>
    /// <param name="bias">Empty, or n values added to every row of C.</param>
    /// <param name="activation">Applied element-wise last.</param>
    public void Compute(
        GemmForm form,
        int m,
        int n,
        int k,
        float alpha,
        ReadOnlySpan<float> a,
        int lda,
        ReadOnlySpan<float> b,
        int ldb,
        float beta,
        Span<float> c,
        int ldc,
        ReadOnlySpan<float> bias,
        Activation activation)
    {
        GemmArguments.Validate(form, m, n, k, a, lda, b, ldb, c, ldc, bias);
        if (m == 0 || n == 0)
        {
            return;
        }

        unsafe
        {
            fixed (float* pa = a, pb = b, pc = c, pbias = bias)
            {
                var problem = new GemmProblem
                {
                    Form = form,
                    M = m,
                    N = n,
                    K = k,
                    Alpha = alpha,
                    Beta = beta,
                    A = pa,
                    Lda = lda,
                    B = pb,
                    Ldb = ldb,
                    C = pc,
                    Ldc = ldc,
                    Bias = bias.IsEmpty ? null : pbias,
                    Activation = activation,
                };
                lock (_gate)
                {
                    Run(problem);
                }
            }
        }
    }

    /// <summary>Stops the helper threads. Products already returned are unaffected.</summary>
    public void Dispose() => _team?.Dispose();

    void ITeamTask.Execute(int member, int members)
    {
        var (mr, nr) = TileOf(Path, _narrow);
        int extent = _splitColumns ? _problem.N : _problem.M;
        int tile = _splitColumns ? nr : mr;
        int panels = (extent + tile - 1) / tile;
        int from = Math.Min(extent, panels * member / members * tile);
        int to = Math.Min(extent, panels * (member + 1) / members * tile);
        if (from < to)
        {
            RunOnOneThread(_splitColumns ? _problem.Columns(from, to) : _problem.Rows(from, to), _buffers[member], _narrow);
        }
    }

    private void Run(in GemmProblem problem)
    {
        if (problem.K == 0)
        {
            GemmDriver<KernelScalar4x4>.RunEmptyDepth(problem);
            return;
        }

        // The kernel is chosen for the whole product, so every share runs the same one: the tiles,
        // and with them every rounding, stay those of a single-threaded run.
        bool narrow = Path == SimdPath.Vector512 && problem.N <= Kernel512x16x16.Nr;
        var (mr, nr) = TileOf(Path, narrow);
        int rowPanels = (problem.M + mr - 1) / mr;
        int columnPanels = (problem.N + nr - 1) / nr;

        // Each thread packs its own copy of the operand it does not split, so split the one whose
        // copy costs more: columns when packing A is the cheaper to do twice, rows when B is. A
        // transposing pack costs about twice a copying one. Shares start on tile boundaries, so
        // every element of C is computed by the same operations whatever the thread count.
        long aCost = (long)problem.M * problem.K * (problem.Form == GemmForm.AtB ? 1 : 2);
        long bCost = (long)problem.K * problem.N * (problem.Form == GemmForm.ABt ? 2 : 1);
        bool splitColumns = aCost <= bCost ? columnPanels > 1 || rowPanels == 1 : rowPanels == 1;
        long flops = 2L * problem.M * problem.N * problem.K;
        long members = Math.Min(Threads, Math.Max(1, flops / _minFlopsPerThread));
        members = Math.Min(members, splitColumns ? columnPanels : rowPanels);

        if (members <= 1 || _team is null)
        {
            RunOnOneThread(problem, _buffers[0], narrow);
            return;
        }

        _problem = problem;
        _splitColumns = splitColumns;
        _narrow = narrow;
        try
        {
            _team.Run(this, (int)members);
        }
        finally
        {
            _problem = default;
        }
    }

    private void RunOnOneThread(in GemmProblem problem, PackingBuffers buffers, bool narrow)
    {
        switch (Path)
        {
            case SimdPath.Vector512 when narrow:
                GemmDriver<Kernel512x16x16>.Run(problem, Blocking, buffers);
                break;
            case SimdPath.Vector512:
                GemmDriver<Kernel512x8x32>.Run(problem, Blocking, buffers);
                break;
            case SimdPath.Vector256:
                GemmDriver<Kernel256x6x16>.Run(problem, Blocking, buffers);
                break;
            case SimdPath.Vector128:
                GemmDriver<Kernel128x6x8>.Run(problem, Blocking, buffers);
                break;
            default:
                GemmDriver<KernelScalar4x4>.Run(problem, Blocking, buffers);
                break;
        }
    }

    private static (int Mr, int Nr) TileOf(SimdPath path, bool narrow) => path switch
    {
        SimdPath.Vector512 when narrow => (Kernel512x16x16.Mr, Kernel512x16x16.Nr),
        SimdPath.Vector512 => (Kernel512x8x32.Mr, Kernel512x8x32.Nr),
        SimdPath.Vector256 => (Kernel256x6x16.Mr, Kernel256x6x16.Nr),
        SimdPath.Vector128 => (Kernel128x6x8.Mr, Kernel128x6x8.Nr),
        _ => (KernelScalar4x4.Mr, KernelScalar4x4.Nr),
    };
}
