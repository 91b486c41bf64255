using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// One thread's packed-A and packed-B buffers, grown on demand and then reused by every call, so a
/// warm GEMM allocates nothing. Pinned arrays rather than native memory: the GC frees them with the
/// engine, and nothing can leak if a caller forgets to dispose.
/// </summary>
internal sealed unsafe class PackingBuffers
{
    // Zero-padded panels are read in whole vectors and narrow panels spill one vector on packing.
    private const int SlackFloats = 32;
    private const int AlignBytes = 64;

    private float[]? _a;
    private float[]? _b;

    public float* A { get; private set; }

    public float* B { get; private set; }

    public void Ensure(long aFloats, long bFloats)
    {
        if (_a is null || _a.Length < aFloats + SlackFloats + (AlignBytes / sizeof(float)))
        {
            _a = Allocate(aFloats);
            A = Aligned(_a);
        }

        if (_b is null || _b.Length < bFloats + SlackFloats + (AlignBytes / sizeof(float)))
        {
            _b = Allocate(bFloats);
            B = Aligned(_b);
        }
    }

    private static float[] Allocate(long floats) =>
        GC.AllocateUninitializedArray<float>(checked((int)(floats + SlackFloats + (AlignBytes / sizeof(float)))), pinned: true);

    // The array is pinned for its lifetime, so the address stays valid as long as the array is referenced.
    private static float* Aligned(float[] array)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (float*)((address + (AlignBytes - 1)) & ~(nint)(AlignBytes - 1));
    }
}
