using System.Security.Cryptography.X509Certificates;
using Backprop.Cluster.Security;
using Backprop.Cluster.Settings;

namespace Backprop.Cluster.Tests.Security;

/// <summary>Two certificate authorities — the cluster's and a stranger's — and the node certificates the tests need, made once.</summary>
internal static class TestCertificates
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly CertificateAuthority ClusterAuthority = CertificateAuthority.Create("test cluster CA", Now.AddDays(-30), Now.AddDays(30));
    private static readonly CertificateAuthority StrangerAuthority = CertificateAuthority.Create("test cluster CA", Now.AddDays(-30), Now.AddDays(30));

    /// <summary>The cluster's CA certificate.</summary>
    public static X509Certificate2 Authority => ClusterAuthority.Certificate;

    /// <summary>A node certificate of the cluster's CA, valid now.</summary>
    public static X509Certificate2 Member(string name = "node") => ClusterAuthority.Issue(name, ["127.0.0.1"], Now.AddDays(-1), Now.AddDays(1));

    /// <summary>A node certificate of the cluster's CA that expired yesterday.</summary>
    public static X509Certificate2 Expired() => ClusterAuthority.Issue("expired", ["127.0.0.1"], Now.AddDays(-10), Now.AddDays(-1));

    /// <summary>A node certificate of another CA with the same name as the cluster's.</summary>
    public static X509Certificate2 Stranger() => StrangerAuthority.Issue("node", ["127.0.0.1"], Now.AddDays(-1), Now.AddDays(1));

    /// <summary>TLS of a node showing <paramref name="certificate"/> and trusting the cluster's CA.</summary>
    public static ClusterTls Tls(X509Certificate2 certificate) => new(X509CertificateLoader.LoadCertificate(Authority.RawData), certificate);

    /// <summary>Writes the cluster's CA and a member certificate as PEM files under <paramref name="folder"/>; returns the settings naming them.</summary>
    public static TlsSettings WriteFiles(string folder)
    {
        Directory.CreateDirectory(folder);
        string ca = Path.Combine(folder, "ca.crt"), certificate = Path.Combine(folder, "node.crt"), key = Path.Combine(folder, "node.key");
        File.WriteAllText(ca, Authority.ExportCertificatePem());
        using var member = Member();
        CertificateAuthority.SaveNode(member, certificate, key);
        return new TlsSettings { Enabled = true, Ca = ca, Certificate = certificate, Key = key };
    }
}
