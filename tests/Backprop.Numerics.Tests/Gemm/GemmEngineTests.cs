using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Tests.Gemm;

public sealed class GemmEngineTests
{
    // Every size that sits just off a vector width, a micro-tile edge or a blocking edge.
    private static readonly int[] TailSizes = [1, 2, 7, 15, 16, 17, 31, 33, 63, 65, 127, 129, 255, 257];

    public static TheoryData<GemmForm, SimdPath, int> FormsPathsThreads()
    {
        var data = new TheoryData<GemmForm, SimdPath, int>();
        foreach (var form in Enum.GetValues<GemmForm>())
        {
            foreach (var path in SupportedPaths())
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    data.Add(form, path, threads);
                }
            }
        }

        return data;
    }

    public static TheoryData<GemmForm, SimdPath> FormsPaths()
    {
        var data = new TheoryData<GemmForm, SimdPath>();
        foreach (var form in Enum.GetValues<GemmForm>())
        {
            foreach (var path in SupportedPaths())
            {
                data.Add(form, path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormsPathsThreads))]
    public void Product_should_match_float64_reference_when_every_dimension_hits_a_tail(GemmForm form, SimdPath path, int threads)
    {
        using var engine = Engine(path, threads);
        int seed = 1000;
        foreach (int d in TailSizes)
        {
            new GemmCase(form, d, 33, 65, seed++).RunAndCheck(engine, 0.75f, -0.5f);
            new GemmCase(form, 17, d, 31, seed++).RunAndCheck(engine, 0.75f, -0.5f);
            new GemmCase(form, 9, 40, d, seed++).RunAndCheck(engine, 0.75f, -0.5f);
            if (d <= 65)
            {
                new GemmCase(form, d, d, d, seed++).RunAndCheck(engine, 1.25f, 0.5f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FormsPathsThreads))]
    public void Product_should_match_float64_reference_on_square_and_mlp_shapes(GemmForm form, SimdPath path, int threads)
    {
        using var engine = Engine(path, threads);
        new GemmCase(form, 129, 127, 257, 7).RunAndCheck(engine, -0.75f, 0.25f);
        new GemmCase(form, 255, 257, 129, 8).RunAndCheck(engine, 0.75f, -0.5f);
        new GemmCase(form, 128, 256, 784, 9).RunAndCheck(engine, 1f, 0f);
        new GemmCase(form, 128, 128, 256, 10).RunAndCheck(engine, 1f, 1f);
        new GemmCase(form, 128, 10, 128, 11).RunAndCheck(engine, 0.5f, 2f);
    }

    [Theory]
    [MemberData(nameof(FormsPaths))]
    public void Product_should_match_reference_when_small_blocks_force_every_loop_to_repeat(GemmForm form, SimdPath path)
    {
        var tiny = new GemmBlocking(Mc: 13, Kc: 20, Nc: 40);
        using var engine = new GemmEngine(new GemmOptions { Path = path, Threads = 1, Blocking = tiny });
        int seed = 2000;
        foreach (var (m, n, k) in new[] { (1, 1, 1), (13, 40, 20), (14, 41, 21), (50, 97, 83), (65, 33, 160), (7, 129, 17) })
        {
            new GemmCase(form, m, n, k, seed++).RunAndCheck(engine, 0.75f, -0.5f);
            new GemmCase(form, m, n, k, seed++).RunAndCheck(engine, 1f, 0f);
        }
    }

    [Theory]
    [MemberData(nameof(FormsPaths))]
    public void Epilogue_should_add_the_bias_and_apply_each_activation(GemmForm form, SimdPath path)
    {
        using var engine = Engine(path, threads: 2);
        var activations = new[]
        {
            Activation.Identity,
            Activation.Relu,
            new Activation(ActivationKind.LeakyRelu, 0.1f),
            new Activation(ActivationKind.Sigmoid),
            new Activation(ActivationKind.Tanh),
            new Activation(ActivationKind.Gelu),
        };
        int seed = 3000;
        foreach (var activation in activations)
        {
            new GemmCase(form, 37, 70, 45, seed++).RunAndCheck(engine, 1f, 0f, withBias: true, activation);
            new GemmCase(form, 129, 65, 300, seed++).RunAndCheck(engine, 0.5f, 0.5f, withBias: true, activation);
            new GemmCase(form, 20, 33, 15, seed++).RunAndCheck(engine, 1f, 0f, withBias: false, activation);
        }
    }

    [Theory]
    [MemberData(nameof(FormsPaths))]
    public void Product_should_ignore_C_when_beta_is_zero_even_if_it_holds_NaN(GemmForm form, SimdPath path)
    {
        using var engine = Engine(path, threads: 1);
        var product = new GemmCase(form, 19, 35, 23, 42);
        Array.Fill(product.C, float.NaN);
        for (int i = 0; i < product.M; i++)
        {
            product.C.AsSpan((i * product.Ldc) + product.N, product.Ldc - product.N).Fill(12345.5f);
        }

        product.RunAndCheck(engine, 1.5f, 0f);
    }

    [Fact]
    public void Results_should_be_bit_identical_whatever_the_thread_count()
    {
        foreach (var form in Enum.GetValues<GemmForm>())
        {
            foreach (var (m, n, k) in new[] { (128, 256, 784), (257, 63, 129), (33, 300, 70) })
            {
                var one = new GemmCase(form, m, n, k, 77);
                var two = new GemmCase(form, m, n, k, 77);
                var three = new GemmCase(form, m, n, k, 77);
                using var engine1 = Engine(SimdPath.Auto, 1);
                using var engine2 = Engine(SimdPath.Auto, 2);
                using var engine3 = Engine(SimdPath.Auto, 3);
                engine1.Compute(form, m, n, k, 0.5f, one.A, one.Lda, one.B, one.Ldb, 0.25f, one.C, one.Ldc);
                engine2.Compute(form, m, n, k, 0.5f, two.A, two.Lda, two.B, two.Ldb, 0.25f, two.C, two.Ldc);
                engine3.Compute(form, m, n, k, 0.5f, three.A, three.Lda, three.B, three.Ldb, 0.25f, three.C, three.Ldc);
                Assert.Equal(one.C, two.C);
                Assert.Equal(one.C, three.C);
            }
        }
    }

    [Fact]
    public void Zero_depth_should_scale_C_by_beta_and_still_apply_the_epilogue()
    {
        using var engine = Engine(SimdPath.Auto, 1);
        var c = new float[] { 1, -2, 3, -4, 5, -6 };
        float[] bias = [0.5f, -10f, 1f];
        engine.Compute(GemmForm.AB, 2, 3, 0, 1f, [], 1, [], 3, 2f, c, 3, bias, Activation.Relu);
        Assert.Equal([2.5f, 0f, 7f, 0f, 0f, 0f], c);
    }

    [Fact]
    public void Empty_result_should_be_a_no_op()
    {
        using var engine = Engine(SimdPath.Auto, 2);
        engine.Compute(GemmForm.AB, 0, 5, 3, 1f, [], 3, new float[15], 5, 0f, [], 5);
        var c = new float[] { 7 };
        engine.Compute(GemmForm.AB, 1, 0, 3, 1f, new float[3], 3, [], 1, 0f, c, 1);
        Assert.Equal(7f, c[0]);
    }

    [Fact]
    public void Concurrent_callers_should_each_get_their_own_correct_product()
    {
        using var engine = Engine(SimdPath.Auto, 2);
        Parallel.For(0, 8, i => new GemmCase(GemmForm.AB, 64 + i, 96, 80, 500 + i).RunAndCheck(engine, 1f, 0f));
    }

    [Fact]
    public void Bad_arguments_should_be_rejected_with_a_message_that_names_them()
    {
        using var engine = Engine(SimdPath.Auto, 1);
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => engine.Compute(GemmForm.AB, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Equal("lda", ex.ParamName);
        Assert.Contains("less than the 3 columns of A", ex.Message, StringComparison.Ordinal);

        var shortB = Assert.Throws<ArgumentException>(() => engine.Compute(GemmForm.AB, 2, 2, 3, 1f, a, 3, b.AsSpan(0, 5), 2, 0f, c, 2));
        Assert.Equal("b", shortB.ParamName);
        Assert.Contains("needs at least 6", shortB.Message, StringComparison.Ordinal);

        var shortC = Assert.Throws<ArgumentException>(() => engine.Compute(GemmForm.ABt, 2, 2, 3, 1f, a, 3, b, 3, 0f, c.AsSpan(0, 3), 2));
        Assert.Equal("c", shortC.ParamName);

        var bias = Assert.Throws<ArgumentException>(() => engine.Compute(GemmForm.AB, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 2, new float[3], Activation.Identity));
        Assert.Equal("bias", bias.ParamName);

        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Compute(GemmForm.AB, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Compute((GemmForm)7, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
    }

    [Fact]
    public void Output_overlapping_an_input_should_be_rejected_but_disjoint_parts_of_one_buffer_accepted()
    {
        using var engine = Engine(SimdPath.Auto, 1);
        var buffer = new float[32];
        buffer.AsSpan().Fill(0.5f);
        var overlap = Assert.Throws<ArgumentException>(() => engine.Multiply(GemmForm.AB, 2, 2, 2, buffer.AsSpan(0, 4), buffer.AsSpan(4, 4), buffer.AsSpan(2, 4)));
        Assert.Equal("c", overlap.ParamName);
        Assert.Contains("overlaps a", overlap.Message, StringComparison.Ordinal);

        engine.Multiply(GemmForm.AB, 2, 2, 2, buffer.AsSpan(0, 4), buffer.AsSpan(4, 4), buffer.AsSpan(8, 4));
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], buffer.AsSpan(8, 4).ToArray());
    }

    [Fact]
    public void Engine_should_refuse_a_path_the_cpu_does_not_accelerate_and_bad_blocking()
    {
        foreach (var path in Enum.GetValues<SimdPath>().Where(p => !SimdPaths.IsSupported(p)))
        {
            Assert.Throws<PlatformNotSupportedException>(() => new GemmEngine(new GemmOptions { Path = path }));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new GemmEngine(new GemmOptions { Blocking = new GemmBlocking(0, 256, 4096) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GemmEngine(new GemmOptions { Threads = -1 }));
    }

    [Fact]
    public void Default_engine_should_use_every_core_and_the_widest_path()
    {
        using var engine = new GemmEngine();
        Assert.Equal(Environment.ProcessorCount, engine.Threads);
        Assert.Equal(SimdPaths.Best, engine.Path);
    }

    private static IEnumerable<SimdPath> SupportedPaths() =>
        new[] { SimdPath.Vector512, SimdPath.Vector256, SimdPath.Vector128, SimdPath.Scalar }.Where(SimdPaths.IsSupported);

    // MinFlopsPerThread = 1 makes even the smallest product split, so every split edge is tested.
    private static GemmEngine Engine(SimdPath path, int threads) =>
        new(new GemmOptions { Path = path, Threads = threads, MinFlopsPerThread = 1 });
}
