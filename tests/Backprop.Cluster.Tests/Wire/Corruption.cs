namespace Backprop.Cluster.Tests.Wire;

/// <summary>The damage the fuzz tests do to valid bytes, from a seeded generator so a failure replays.</summary>
internal static class Corruption
{
    /// <summary>A copy of <paramref name="valid"/> with 1 to 8 random bits flipped.</summary>
    public static byte[] FlipBits(byte[] valid, Random random)
    {
        byte[] corrupt = (byte[])valid.Clone();
        int flips = 1 + random.Next(8);
        for (int f = 0; f < flips; f++)
        {
            corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
        }

        return corrupt;
    }

    /// <summary><paramref name="length"/> random bytes.</summary>
    public static byte[] Noise(Random random, int length)
    {
        byte[] noise = new byte[length];
        random.NextBytes(noise);
        return noise;
    }
}
