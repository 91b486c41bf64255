using System.CommandLine;
using Backprop.Cluster.Security;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>backprop certs create</c>: the cluster's own CA and a certificate per node, as PEM files for
/// <c>backprop.cluster.tls</c>. An existing CA in the folder is reused, so nodes added later are
/// signed by the same one; existing node files are kept unless <c>--renew</c>.
/// </summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The folder the files go to.", DefaultValueFactory = _ => "certs" };
        var nodes = new Option<string[]>("--nodes") { Description = "Node names, one certificate each (e.g. coordinator worker).", DefaultValueFactory = _ => ["coordinator", "worker"], AllowMultipleArgumentsPerToken = true };
        var hosts = new Option<string[]>("--hosts") { Description = "Extra DNS names or IP addresses written into every node certificate.", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = true };
        var days = new Option<int>("--days") { Description = "How long the certificates are valid.", DefaultValueFactory = _ => 365 };
        var renew = new Option<bool>("--renew") { Description = "Issue the node certificates again even if their files exist." };
        var create = new Command("create", "Create the cluster's CA (unless the folder has one) and a certificate and key for each node.")
        {
            output, nodes, hosts, days, renew,
        };
        create.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            int validDays = parse.GetValue(days);
            if (validDays < 1)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: --days must be at least 1, got {validDays}.");
                return CliErrors.Failed;
            }

            string folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var say = parse.InvocationConfiguration.Output;
            var from = DateTimeOffset.UtcNow.AddMinutes(-5);
            var until = DateTimeOffset.UtcNow.AddDays(validDays);
            string caCertificate = Path.Combine(folder, "ca.crt"), caKey = Path.Combine(folder, "ca.key");
            if (File.Exists(caCertificate) && !File.Exists(caKey))
            {
                // The nodes trust that certificate: a new CA in its place would lock out every one of them.
                parse.InvocationConfiguration.Error.WriteLine(
                    $"error: {caCertificate} is there without its key {caKey}; run this where the CA's key is, or remove {caCertificate} to start a new CA (every node then needs new files).");
                return CliErrors.Failed;
            }

            using var authority = File.Exists(caCertificate) && File.Exists(caKey)
                ? CertificateAuthority.Load(caCertificate, caKey)
                : CertificateAuthority.Create("backprop cluster CA", from, until.AddDays(1));
            if (!File.Exists(caKey))
            {
                authority.Save(caCertificate, caKey);
                say.WriteLine($"wrote {caCertificate} and {caKey} (keep the key off the nodes: it signs new members)");
            }
            else
            {
                say.WriteLine($"using the CA in {caCertificate}");
            }

            foreach (string node in parse.GetValue(nodes)!)
            {
                string certificate = Path.Combine(folder, $"{node}.crt"), key = Path.Combine(folder, $"{node}.key");
                if (File.Exists(certificate) && File.Exists(key) && !parse.GetValue(renew))
                {
                    say.WriteLine($"kept {certificate} (--renew to issue it again)");
                    continue;
                }

                using var issued = authority.Issue(node, parse.GetValue(hosts)!, from, until);
                CertificateAuthority.SaveNode(issued, certificate, key);
                say.WriteLine($"wrote {certificate} and {key}, valid until {until:yyyy-MM-dd}");
            }

            return 0;
        }));
        return new Command("certs", "Certificates for mutual TLS between the cluster's nodes (backprop.cluster.tls).") { create };
    }
}
