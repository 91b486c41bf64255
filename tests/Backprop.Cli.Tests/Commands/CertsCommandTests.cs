namespace Backprop.Cli.Tests.Commands;

/// <summary><c>backprop certs create</c> run again on a folder it wrote, as renewing and adding nodes do.</summary>
public sealed class CertsCommandTests
{
    [Fact]
    public void Certs_create_again_should_keep_the_ca_and_the_node_files()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliRunner.Run("certs", "create", "--out", folder.Path).ExitCode);
        byte[] ca = File.ReadAllBytes(folder.File("ca.crt"));
        byte[] worker = File.ReadAllBytes(folder.File("worker.crt"));

        var (exitCode, output, error) = CliRunner.Run("certs", "create", "--out", folder.Path, "--nodes", "worker", "worker-2");

        Assert.True(exitCode == 0, error);
        Assert.Contains("using the CA", output, StringComparison.Ordinal);
        Assert.Equal(ca, File.ReadAllBytes(folder.File("ca.crt")));
        Assert.Equal(worker, File.ReadAllBytes(folder.File("worker.crt")));
        Assert.True(File.Exists(folder.File("worker-2.key")));
    }

    [Fact]
    public void Certs_create_should_refuse_to_replace_a_ca_whose_key_was_moved_away()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliRunner.Run("certs", "create", "--out", folder.Path).ExitCode);
        byte[] ca = File.ReadAllBytes(folder.File("ca.crt"));

        // As docs/security.md advises: the CA's key kept elsewhere, the rest handed out to the nodes.
        File.Move(folder.File("ca.key"), folder.File("ca.key.offline"));
        var (exitCode, _, error) = CliRunner.Run("certs", "create", "--out", folder.Path, "--nodes", "worker-2");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("without its key", error, StringComparison.Ordinal);
        Assert.Equal(ca, File.ReadAllBytes(folder.File("ca.crt")));
        Assert.False(File.Exists(folder.File("worker-2.crt")), "a node certificate was issued without the CA's key");
        Assert.False(File.Exists(folder.File("ca.key")), "a new CA key was written");
    }
}
