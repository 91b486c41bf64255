namespace Backprop.Nn.Tests.Data;

/// <summary>
/// The real Fashion-MNIST files of Debian's <c>dataset-fashion-mnist</c> package, which CI installs.
/// Tests that need them fail (never silently pass) when it is absent, saying how to install it.
/// </summary>
public static class SystemFashionMnist
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public static string File(string name)
    {
        string path = Path.Combine(Folder, name);
        Assert.True(System.IO.File.Exists(path),
            $"{path} is missing: this test reads the real Fashion-MNIST files; install them with " +
            "`sudo apt-get install dataset-fashion-mnist` (CI does).");
        return path;
    }
}
