namespace Backprop.Numerics.Optimizers;

/// <summary>
/// One optimiser update at element <c>i</c> and the following 4, 8 or 16: loads what it needs from the parameter,
/// gradient and up to three state buffers (bases passed by reference; unused ones may be empty and are never
/// touched) and stores the new values. Run by <see cref="OptimizerLoop"/>.
/// </summary>
internal interface IOptimizerOperator
{
    /// <summary>One element.</summary>
    void Step1(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i);

    /// <summary>Four elements.</summary>
    void Step4(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i);

    /// <summary>Eight elements.</summary>
    void Step8(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i);

    /// <summary>Sixteen elements.</summary>
    void Step16(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i);
}
