namespace Backprop.Cluster.Settings;

/// <summary>
/// The <c>backprop.cluster.tls</c> section: mutual TLS on every connection (Akka.Remote and the
/// tensor lane). Files are PEM, as <c>backprop certs</c> writes them.
/// </summary>
public sealed record TlsSettings
{
    /// <summary><c>enabled</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>ca</c>: the cluster CA's certificate, the only issuer a peer's certificate may have.</summary>
    public string Ca { get; init; } = string.Empty;

    /// <summary><c>certificate</c>: this node's certificate.</summary>
    public string Certificate { get; init; } = string.Empty;

    /// <summary><c>key</c>: this node's private key.</summary>
    public string Key { get; init; } = string.Empty;
}
