using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Backprop.Cluster.Settings;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Security;

/// <summary>
/// Mutual TLS for every connection of a node (Akka.Remote and the tensor lane alike): the node shows
/// its own certificate and accepts a peer only if the peer's certificate chains to the cluster's CA
/// and is within its validity. Names are not checked: in a cluster nodes are reached by addresses
/// that change (containers, pods); being signed by the cluster's own CA is what admits a node.
/// </summary>
public sealed class ClusterTls : IDisposable
{
    private readonly X509Certificate2 _authority;
    private readonly SslStreamCertificateContext _context;

    /// <summary>TLS for a node with <paramref name="certificate"/> (with its private key), trusting <paramref name="authority"/>.</summary>
    /// <param name="authority">The cluster's CA certificate.</param>
    /// <param name="certificate">This node's certificate and key, signed by the CA.</param>
    public ClusterTls(X509Certificate2 authority, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The node's certificate has no private key.", nameof(certificate));
        }

        _authority = authority;
        Certificate = certificate;
        _context = SslStreamCertificateContext.Create(certificate, [authority], offline: true);
    }

    /// <summary>This node's certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// TLS as the settings ask for it: null when off, else the CA certificate and this node's
    /// certificate and key read from their PEM files, with errors that name the setting and the file.
    /// </summary>
    /// <param name="settings">The <c>backprop.cluster.tls</c> section.</param>
    public static ClusterTls? From(TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled)
        {
            return null;
        }

        var authority = Read("ca", settings.Ca, () => X509CertificateLoader.LoadCertificateFromFile(settings.Ca));
        var certificate = Read("certificate", settings.Certificate, () => X509Certificate2.CreateFromPemFile(settings.Certificate, settings.Key));

        // Loaded from PEM the key is ephemeral; a PKCS#12 round trip gives one every platform's TLS can use.
        using (certificate)
        {
            var usable = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
            if (Validate(authority, usable) is { } problem)
            {
                throw new InvalidSettingException("backprop.cluster.tls.certificate", $"{settings.Certificate}: {problem}.");
            }

            return new ClusterTls(authority, usable);
        }
    }

    /// <summary>Why <paramref name="peer"/> is not admitted by <paramref name="authority"/>, or null if it is.</summary>
    /// <param name="authority">The cluster's CA certificate.</param>
    /// <param name="peer">The certificate a peer showed; null if it showed none.</param>
    public static string? Validate(X509Certificate2 authority, X509Certificate? peer)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (peer is null)
        {
            return "it showed no certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var certificate = peer as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        if (chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span))
        {
            return null;
        }

        var problems = chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).ToList();
        if (problems.Contains(X509ChainStatusFlags.NotTimeValid))
        {
            return $"its certificate ({certificate.Subject}) is outside its validity ({certificate.NotBefore:u} to {certificate.NotAfter:u})";
        }

        return $"its certificate ({certificate.Subject}, issued by {certificate.Issuer}) is not signed by this cluster's CA ({authority.Subject}): {string.Join(", ", problems)}";
    }

    /// <summary>Whether a peer's certificate is admitted (the shape TLS callbacks want).</summary>
    /// <param name="peer">The certificate the peer showed.</param>
    public bool Admits(X509Certificate? peer) => Validate(_authority, peer) is null;

    /// <summary>Options for the accepting end: a client certificate is required.</summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = _context,
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, peer, _, _) => Admits(peer),
    };

    /// <summary>Options for the connecting end.</summary>
    /// <param name="host">The host connected to (sent as SNI; not checked against the certificate).</param>
    public SslClientAuthenticationOptions ClientOptions(string host) => new()
    {
        TargetHost = host,
        ClientCertificateContext = _context,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, peer, _, _) => Admits(peer),
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        Certificate.Dispose();
        _authority.Dispose();
    }

    private static T Read<T>(string key, string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidSettingException($"backprop.cluster.tls.{key}", $"could not read \"{path}\": {e.Message}");
        }
    }
}
