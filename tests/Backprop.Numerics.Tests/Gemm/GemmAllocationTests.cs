using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Tests.Gemm;

public sealed class GemmAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Warm_products_should_allocate_nothing(int threads)
    {
        using var engine = new GemmEngine(new GemmOptions { Threads = threads, MinFlopsPerThread = 1 });
        var a = new float[128 * 784];
        var b = new float[784 * 256];
        var c = new float[128 * 256];
        a.AsSpan().Fill(0.25f);
        b.AsSpan().Fill(0.5f);
        var forms = Enum.GetValues<GemmForm>();
        foreach (var form in forms)
        {
            for (int i = 0; i < 30; i++)
            {
                Multiply(engine, form, a, b, c);
            }
        }

        // A per-call allocation shows in every round; the runtime's own one-off work (a method
        // reaching its next tier, say) shows in some rounds only, so some round must come out at
        // zero. Tier-0 code may allocate what tier-1 code keeps on the stack, and the runtime
        // promotes methods in the background after a pause in new calls, later on a busy machine:
        // the rounds leave it that pause. A CI run with the kernel tests of every class running at
        // once on two cores saw all of ten rounds allocate a few 248-byte objects (1 to 18, never
        // one a product); the rounds go on until one is clean, up to forty (6 s of pauses).
        var bytesPerRound = new List<long>();
        var collectionsPerRound = new List<int>();
        for (int round = 0; round < 40 && !bytesPerRound.Contains(0); round++)
        {
            Thread.Sleep(150);
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var form in forms)
            {
                for (int i = 0; i < 20; i++)
                {
                    Multiply(engine, form, a, b, c);
                }
            }

            bytesPerRound.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            collectionsPerRound.Add(GC.CollectionCount(0) - collections);
        }

        Assert.True(
            bytesPerRound.Min() == 0,
            $"bytes allocated per round of 60 products: {string.Join(", ", bytesPerRound)}; gen-0 collections (by any thread) in each: {string.Join(", ", collectionsPerRound)}");
    }

    // The same 128×256 output from 784-deep operands in every form: the element counts match.
    private static void Multiply(GemmEngine engine, GemmForm form, float[] a, float[] b, float[] c) =>
        engine.Multiply(form, 128, 256, 784, a, b, c);
}
