using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Wire;

public sealed class TensorValuesTests
{
    public static TheoryData<float> NonFinite() => [float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0001))];

    [Fact]
    public void All_finite_should_be_true_for_finite_values_of_every_length()
    {
        for (int length = 0; length <= 80; length++)
        {
            float[] values = [.. Enumerable.Range(0, length).Select(i => i % 3 == 0 ? float.MaxValue : -float.Epsilon * i)];

            Assert.True(TensorValues.AllFinite(values));
            Assert.Equal(-1, TensorValues.IndexOfNonFinite(values));
        }
    }

    [Theory]
    [MemberData(nameof(NonFinite))]
    public void Non_finite_check_should_find_a_bad_value_at_every_position_of_every_length(float bad)
    {
        for (int length = 1; length <= 80; length++)
        {
            for (int at = 0; at < length; at++)
            {
                float[] values = new float[length];
                values.AsSpan().Fill(1f);
                values[at] = bad;

                Assert.False(TensorValues.AllFinite(values));
                Assert.Equal(at, TensorValues.IndexOfNonFinite(values));
            }
        }
    }
}
