using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Backprop.Cluster.Security;

/// <summary>
/// A cluster's own certificate authority: it signs one certificate per node, and every node accepts
/// a peer only if the peer's certificate chains to it. ECDSA P-256 keys; certificates in PEM files.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The authority's own (self-signed) certificate: what nodes trust.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A new authority.</summary>
    /// <param name="name">Its common name, e.g. the cluster's name.</param>
    /// <param name="notBefore">Start of validity.</param>
    /// <param name="notAfter">End of validity.</param>
    public static CertificateAuthority Create(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return new CertificateAuthority(request.CreateSelfSigned(notBefore, notAfter), key);
    }

    /// <summary>Reads an authority written by <see cref="Save"/>.</summary>
    /// <param name="certificatePath">Its certificate (PEM).</param>
    /// <param name="keyPath">Its private key (PEM).</param>
    public static CertificateAuthority Load(string certificatePath, string keyPath)
    {
        var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyPath));
        return new CertificateAuthority(certificate, key);
    }

    /// <summary>
    /// Signs a certificate for one node, good for both ends of a connection (server and client
    /// authentication), with the node's names and addresses as subject alternative names.
    /// </summary>
    /// <param name="name">The node's common name, e.g. "coordinator".</param>
    /// <param name="hosts">DNS names and IP addresses the node is reached by (may be empty).</param>
    /// <param name="notBefore">Start of validity.</param>
    /// <param name="notAfter">End of validity.</param>
    public X509Certificate2 Issue(string name, IEnumerable<string> hosts, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(hosts);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        foreach (string host in hosts.Where(h => !string.IsNullOrWhiteSpace(h)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore, notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the authority's certificate and key as PEM (the key readable by the owner only).</summary>
    /// <param name="certificatePath">Where the certificate goes.</param>
    /// <param name="keyPath">Where the key goes.</param>
    public void Save(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, Certificate.ExportCertificatePem());
        WritePrivate(keyPath, _key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes a node's certificate and key as PEM (the key readable by the owner only).</summary>
    /// <param name="certificate">A certificate with its private key, from <see cref="Issue"/>.</param>
    /// <param name="certificatePath">Where the certificate goes.</param>
    /// <param name="keyPath">Where the key goes.</param>
    public static void SaveNode(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key.", nameof(certificate));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private static void WritePrivate(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }
}
