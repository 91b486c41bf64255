using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Wire;

public sealed class TensorAssemblyTests
{
    private const int Length = 1_000;

    [Fact]
    public void Assembly_should_be_complete_and_exact_when_every_slice_arrives_in_any_order()
    {
        float[] source = Source(seed: 1);
        var ranges = TensorSlicing.Ranges(Length, maxBytes: 52).ToArray();
        new Random(2).Shuffle(ranges);
        var assembly = new TensorAssembly(Length);
        float[] destination = new float[Length];

        for (int i = 0; i < ranges.Length; i++)
        {
            Assert.False(assembly.IsComplete);
            Assert.Equal(AssemblyOutcome.Accepted, Add(assembly, source, ranges[i], destination));
        }

        Assert.True(assembly.IsComplete);
        Assert.Equal(Length, assembly.ReceivedCount);
        Assert.Equal(source, destination);
    }

    [Fact]
    public void Assembly_should_report_duplicate_and_write_nothing_when_a_slice_overlaps_a_received_range()
    {
        float[] source = Source(seed: 3);
        var assembly = new TensorAssembly(Length);
        float[] destination = new float[Length];
        Assert.Equal(AssemblyOutcome.Accepted, Add(assembly, source, (100, 100), destination));
        Assert.Equal(AssemblyOutcome.Accepted, Add(assembly, source, (300, 100), destination));

        Assert.Equal(AssemblyOutcome.Duplicate, Add(assembly, new float[Length], (100, 100), destination));
        Assert.Equal(AssemblyOutcome.Duplicate, Add(assembly, new float[Length], (150, 10), destination));
        Assert.Equal(AssemblyOutcome.Duplicate, Add(assembly, new float[Length], (50, 51), destination));
        Assert.Equal(AssemblyOutcome.Duplicate, Add(assembly, new float[Length], (199, 2), destination));
        Assert.Equal(AssemblyOutcome.Duplicate, Add(assembly, new float[Length], (0, Length), destination));
        Assert.Equal(AssemblyOutcome.Duplicate, Add(assembly, new float[Length], (150, 200), destination));

        Assert.Equal(200, assembly.ReceivedCount);
        Assert.Equal(source[100..200], destination[100..200]);
        Assert.Equal(source[300..400], destination[300..400]);
        Assert.All(destination[..100], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Assembly_should_accept_a_slice_that_exactly_fills_a_gap_between_received_ranges()
    {
        float[] source = Source(seed: 4);
        var assembly = new TensorAssembly(Length);
        float[] destination = new float[Length];

        Assert.Equal(AssemblyOutcome.Accepted, Add(assembly, source, (0, 400), destination));
        Assert.Equal(AssemblyOutcome.Accepted, Add(assembly, source, (600, 400), destination));
        Assert.Equal(AssemblyOutcome.Accepted, Add(assembly, source, (400, 200), destination));

        Assert.True(assembly.IsComplete);
        Assert.Equal(source, destination);
    }

    [Fact]
    public void Assembly_should_report_out_of_range_when_a_slice_belongs_elsewhere()
    {
        var assembly = new TensorAssembly(Length);
        float[] destination = new float[Length];

        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(new TensorSlice(Length + 1, 0, 10, new float[10]), destination));
        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(new TensorSlice(Length, 995, 10, new float[10]), destination));
        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(new TensorSlice(Length, -1, 10, new float[10]), destination));
        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(new TensorSlice(Length, 0, -1, new float[10]), destination));
        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(new TensorSlice(Length, 0, 10, new float[9]), destination));
        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(new TensorSlice(Length, 0, 10, null!), destination));
        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(new TensorSlice(Length, int.MaxValue, 10, new float[10]), destination));
        Assert.Equal(0, assembly.ReceivedCount);
    }

    [Fact]
    public void Assembly_should_accept_an_empty_slice_without_recording_anything()
    {
        var assembly = new TensorAssembly(Length);

        Assert.Equal(AssemblyOutcome.Accepted, assembly.Add(new TensorSlice(Length, Length, 0, []), new float[Length]));
        Assert.Equal(0, assembly.ReceivedCount);
        Assert.True(new TensorAssembly(0).IsComplete);
    }

    [Fact]
    public void Assembly_should_throw_when_the_destination_is_shorter_than_the_tensor()
    {
        var assembly = new TensorAssembly(Length);

        Assert.Throws<ArgumentException>(() => assembly.Add(new TensorSlice(Length, 0, 1, new float[1]), new float[Length - 1]));
    }

    [Fact]
    public void Assembly_should_take_a_new_tensor_without_allocating_when_reset()
    {
        float[] source = Source(seed: 5);
        float[] destination = new float[Length];
        var slices = TensorSlicing.Ranges(Length, maxBytes: 400).Select(r => TensorSlicing.Cut(source, r.Offset, r.Count)).ToArray();
        var assembly = new TensorAssembly(Length);
        AddReversed(assembly, slices, destination);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            assembly.Reset(Length);
            Assert.False(assembly.IsComplete);
            AddReversed(assembly, slices, destination);
            Assert.True(assembly.IsComplete);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        assembly.Reset(10);
        Assert.Equal((10, 0, false), (assembly.TotalLength, assembly.ReceivedCount, assembly.IsComplete));
        Assert.Equal(AssemblyOutcome.OutOfRange, assembly.Add(slices[0], destination));
    }

    private static void AddReversed(TensorAssembly assembly, TensorSlice[] slices, float[] destination)
    {
        for (int i = slices.Length - 1; i >= 0; i--)
        {
            assembly.Add(slices[i], destination);
        }
    }

    private static AssemblyOutcome Add(TensorAssembly assembly, float[] source, (int Offset, int Count) range, float[] destination)
    {
        var slice = TensorSlicing.Cut(source, range.Offset, range.Count);
        var outcome = assembly.Add(slice, destination);
        slice.Release();
        return outcome;
    }

    private static float[] Source(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() + 0.5))];
    }
}
