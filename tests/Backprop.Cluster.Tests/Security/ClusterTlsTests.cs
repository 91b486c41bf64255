using Backprop.Cluster.Security;
using Backprop.Cluster.Settings;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Security;

/// <summary>Who is admitted: only a certificate of the cluster's CA within its validity; the settings' files checked with messages that name them.</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-tls-").FullName;

    [Fact]
    public void A_member_certificate_should_be_admitted()
    {
        using var member = TestCertificates.Member();

        Assert.Null(ClusterTls.Validate(TestCertificates.Authority, member));
    }

    [Fact]
    public void A_certificate_of_another_CA_should_be_refused_even_with_the_same_names()
    {
        using var stranger = TestCertificates.Stranger();

        Assert.StartsWith("its certificate (CN=node, issued by CN=test cluster CA) is not signed by this cluster's CA", ClusterTls.Validate(TestCertificates.Authority, stranger), StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_of_the_cluster_CA_should_be_refused()
    {
        using var expired = TestCertificates.Expired();

        Assert.StartsWith("its certificate (CN=expired) is outside its validity", ClusterTls.Validate(TestCertificates.Authority, expired), StringComparison.Ordinal);
    }

    [Fact]
    public void No_certificate_should_be_refused()
    {
        Assert.Equal("it showed no certificate", ClusterTls.Validate(TestCertificates.Authority, null));
    }

    [Fact]
    public void Settings_with_tls_off_should_give_no_tls()
    {
        Assert.Null(ClusterTls.From(new TlsSettings()));
    }

    [Fact]
    public void Files_written_by_the_authority_should_load_and_admit_each_other()
    {
        var settings = TestCertificates.WriteFiles(_folder);

        using var tls = ClusterTls.From(settings)!;

        Assert.True(tls.Admits(tls.Certificate));
        Assert.True(tls.Certificate.HasPrivateKey);
    }

    [Fact]
    public void A_key_file_that_does_not_hold_a_key_should_name_the_setting_and_the_file()
    {
        var settings = TestCertificates.WriteFiles(_folder);
        File.WriteAllText(settings.Key, "not a key");

        var error = Assert.Throws<InvalidSettingException>(() => ClusterTls.From(settings));

        Assert.StartsWith($"backprop.cluster.tls.certificate: could not read \"{settings.Certificate}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_certificate_of_another_CA_should_be_refused_at_start_up()
    {
        var settings = TestCertificates.WriteFiles(_folder);
        using var stranger = TestCertificates.Stranger();
        CertificateAuthority.SaveNode(stranger, settings.Certificate, settings.Key);

        var error = Assert.Throws<InvalidSettingException>(() => ClusterTls.From(settings));

        Assert.Contains("is not signed by this cluster's CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_on_without_its_files_should_be_refused_with_the_missing_key()
    {
        var error = Assert.Throws<InvalidSettingException>(() => new ClusterSettings { Tls = new TlsSettings { Enabled = true } }.Validate());

        Assert.StartsWith("backprop.cluster.tls.ca: is needed with tls.enabled = on", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
