using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Backprop.Cluster.Configuration;
using Backprop.Cluster.Security;
using Backprop.DeployTests.Kubernetes;
using Backprop.Nn.Settings;

namespace Backprop.DeployTests;

/// <summary>
/// The manifests of deploy/k8s, read as YAML and held to what the program needs: the workers dial the name the
/// coordinator advertises, every port is declared where it is used, the pods run as the image's user, the
/// ConfigMap is a configuration the program's own reader accepts, and TLS is on with the files of a Secret per
/// role, made as the README says. No cluster needed.
/// </summary>
public sealed class KubernetesManifestTests(TlsSecrets secrets) : IClassFixture<TlsSecrets>
{
    private const string Image = "backprop:local";
    private const string ImageUser = "1654";
    private const string RunFolder = "/srv/backprop/runs";

    private const string TlsEnabled = "BACKPROP__CLUSTER__TLS__ENABLED";
    private const string TlsCa = "BACKPROP__CLUSTER__TLS__CA";
    private const string TlsKey = "BACKPROP__CLUSTER__TLS__KEY";

    private static readonly string[] Resources = ["cpu", "memory"];
    private static readonly string[] Probes = ["readinessProbe", "livenessProbe"];
    private static readonly string[] TlsFiles = [TlsCa, "BACKPROP__CLUSTER__TLS__CERTIFICATE", TlsKey];

    private static readonly string Folder = RepositoryRoot.File("deploy/k8s");
    private static readonly ManifestSet Manifests = ManifestSet.LoadFolder(Folder);

    private static Workload Coordinator => Manifests.Workload("StatefulSet", "backprop-coordinator");

    private static Workload Worker => Manifests.Workload("Deployment", "backprop-worker");

    private static Workload[] Workloads => [Coordinator, Worker];

    private static Manifest CoordinatorService => Manifests.Single("Service", "backprop-coordinator");

    private static int AkkaPort => ServicePort("akka");

    private static int LanePort => ServicePort("lane");

    [Fact]
    public void Every_document_names_its_api_version_kind_and_name()
    {
        Assert.NotEmpty(Manifests.All);
        Assert.All(Manifests.All, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.ApiVersion), $"{m.File}: a document without apiVersion");
            Assert.False(string.IsNullOrWhiteSpace(m.Kind), $"{m.File}: a document without kind");
            Assert.False(string.IsNullOrWhiteSpace(m.Name), $"{m.File}: a {m.Kind} without metadata.name");
        });
    }

    [Fact]
    public void The_folder_holds_exactly_the_objects_a_job_needs()
    {
        string[] expected =
        [
            "ConfigMap/backprop-config", "Deployment/backprop-worker", "PersistentVolumeClaim/backprop-runs",
            "Service/backprop-coordinator", "StatefulSet/backprop-coordinator",
        ];
        Assert.Equal(expected, Manifests.All.Select(m => $"{m.Kind}/{m.Name}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Kustomization_lists_every_manifest_file_and_only_existing_ones()
    {
        var kustomization = ManifestSet.Documents(File.ReadAllText(Path.Combine(Folder, ManifestSet.KustomizationFile)), ManifestSet.KustomizationFile).Single();
        Assert.Equal("Kustomization", kustomization.Kind);
        var resources = kustomization.Root.Sequence("resources").Children.Select(r => r.ToString()).ToList();

        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(Folder, r)), $"kustomization.yaml lists {r}, which does not exist"));
        Assert.Equal(ManifestSet.ManifestFiles(Folder).Select(Path.GetFileName), resources.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_workload_selects_its_own_pods_and_not_the_others()
    {
        Assert.All(Workloads, w =>
        {
            Assert.NotEmpty(w.SelectorLabels);
            Assert.Empty(LabelSelector.Mismatches(w.SelectorLabels, w.PodLabels));
            Assert.Equal("backprop", w.PodLabels["app.kubernetes.io/name"]);
            Assert.Equal("backprop", w.PodLabels["app.kubernetes.io/part-of"]);
        });
        Assert.Equal("coordinator", Coordinator.PodLabels["app.kubernetes.io/component"]);
        Assert.Equal("worker", Worker.PodLabels["app.kubernetes.io/component"]);

        // Overlapping selectors would make the Deployment and the StatefulSet fight over each other's pods.
        Assert.False(LabelSelector.Selects(Worker.SelectorLabels, Coordinator.PodLabels));
        Assert.False(LabelSelector.Selects(Coordinator.SelectorLabels, Worker.PodLabels));
    }

    [Fact]
    public void The_headless_service_governs_the_coordinator_and_selects_only_its_pod()
    {
        var service = CoordinatorService.Root;
        var selector = service.StringMap("spec", "selector");

        Assert.Equal("None", service.Scalar("spec", "clusterIP"));
        Assert.Equal("true", service.Scalar("spec", "publishNotReadyAddresses"));
        Assert.Empty(LabelSelector.Mismatches(selector, Coordinator.PodLabels));
        Assert.False(LabelSelector.Selects(selector, Worker.PodLabels), "the coordinator's DNS name would also resolve to workers");
        Assert.Equal(CoordinatorService.Name, Coordinator.ServiceName);
        Assert.Equal(1, Coordinator.Replicas);
    }

    [Fact]
    public void Workers_join_the_stable_name_the_coordinator_advertises()
    {
        // A StatefulSet's pod 0 is reachable as <statefulset>-0.<service>; Akka accepts a join only at the
        // exact name the seed advertises.
        var stableHost = $"{Coordinator.Name}-0.{Coordinator.ServiceName}";

        Assert.Equal(stableHost, Coordinator.OnlyContainer.Arg("--public-host"));
        Assert.Equal($"{stableHost}:{AkkaPort}", Worker.OnlyContainer.Arg("--join"));
    }

    [Fact]
    public void The_akka_port_agrees_across_args_container_ports_service_and_probes()
    {
        var targetPort = CoordinatorService.Root.Items("spec", "ports").Single(p => p.Scalar("name") == "akka").Integer("targetPort");
        Assert.Equal(AkkaPort, targetPort);
        Assert.Equal(AkkaPort, int.Parse(Coordinator.OnlyContainer.Arg("--port")!, CultureInfo.InvariantCulture));

        Assert.All(Workloads, w =>
        {
            var container = w.OnlyContainer;
            var listening = int.Parse(container.Arg("--port") ?? throw new InvalidDataException($"{w}: no --port"), CultureInfo.InvariantCulture);
            Assert.Equal(listening, container.Port("akka"));
            Assert.Equal(listening, container.ProbedPort("readinessProbe"));
            Assert.Equal(listening, container.ProbedPort("livenessProbe"));
        });
    }

    [Fact]
    public void The_configured_lane_port_is_fixed_and_declared_by_the_pod_and_the_service()
    {
        var (_, cluster) = ProductConfiguration.Read(ConfigText(Coordinator), []);

        Assert.True(cluster.UsesLane, "the manifests declare a lane port, so the configuration should use the lane");
        Assert.NotEqual(0, cluster.LanePort);
        Assert.Equal(LanePort, cluster.LanePort);
        Assert.Equal(LanePort, Coordinator.OnlyContainer.Port("lane"));
    }

    [Fact]
    public void Every_container_is_resourced_probed_and_runs_the_image_as_its_non_root_user()
    {
        Assert.All(Workloads.SelectMany(w => w.Containers), c =>
        {
            Assert.Equal(Image, c.Node.Scalar("image"));
            Assert.Equal("IfNotPresent", c.Node.Scalar("imagePullPolicy"));
            Assert.True(c.Node.Find("command") is null, $"{c}: a command replaces the image's entrypoint (dotnet backprop.dll)");
            foreach (var resource in Resources)
            {
                var request = Quantity.Parse(c.Node.Scalar("resources", "requests", resource));
                var limit = Quantity.Parse(c.Node.Scalar("resources", "limits", resource));
                Assert.True(request <= limit, $"{c}: the {resource} request is above its limit");
            }

            Assert.NotNull(c.ProbedPort("readinessProbe"));
            Assert.NotNull(c.ProbedPort("livenessProbe"));
            Assert.Equal("true", c.Security("runAsNonRoot"));
            Assert.Equal(ImageUser, c.Security("runAsUser"));
            Assert.Equal("false", c.Security("allowPrivilegeEscalation"));
        });
    }

    [Fact]
    public void Worker_threads_match_its_cpu_request()
    {
        var worker = Worker.OnlyContainer;
        var threads = int.Parse(worker.Arg("--threads")!, CultureInfo.InvariantCulture);

        // 0 would mean every core of the node, more than the pod is given.
        Assert.True(threads > 0);
        Assert.Equal(Quantity.Parse(worker.Node.Scalar("resources", "requests", "cpu")), threads);
    }

    [Fact]
    public void Workers_advertise_their_pod_ip_from_the_downward_api()
    {
        var worker = Worker.OnlyContainer;

        Assert.Equal("$(POD_IP)", worker.Arg("--public-host"));
        Assert.Equal("status.podIP", worker.Env("POD_IP")?.Scalar("valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void The_coordinator_writes_runs_to_a_claim_that_outlives_it()
    {
        var claimName = Coordinator.Volume("runs").Scalar("persistentVolumeClaim", "claimName");
        var claim = Manifests.Single("PersistentVolumeClaim", claimName).Root;

        Assert.Equal(RunFolder, Coordinator.OnlyContainer.MountPath("runs"));
        Assert.Contains("ReadWriteOnce", claim.Sequence("spec", "accessModes").Children.Select(m => m.ToString()));
        Assert.True(Quantity.Parse(claim.Scalar("spec", "resources", "requests", "storage")) > 0);
        Assert.Null(Coordinator.Manifest.Root.Find("spec", "volumeClaimTemplates"));

        // The volume belongs to root unless the pod's fsGroup hands it to the image's user.
        Assert.Equal(ImageUser, Coordinator.PodSpec.Scalar("securityContext", "fsGroup"));

        // SIGTERM makes the coordinator checkpoint; Kubernetes' default of 30 seconds is the least it needs.
        Assert.True(Coordinator.PodSpec.Integer("terminationGracePeriodSeconds") >= 30);
    }

    [Fact]
    public void Both_roles_read_backprop_conf_from_the_config_map()
    {
        Assert.All(Workloads, w =>
        {
            var text = ConfigText(w);
            Assert.Contains("backprop", text, StringComparison.Ordinal);
            Assert.Equal("/etc/backprop/backprop.conf", w.OnlyContainer.Arg("--config"));
        });
    }

    [Fact]
    public void The_config_map_is_a_configuration_the_program_accepts()
    {
        var (settings, cluster) = ProductConfiguration.Read(ConfigText(Coordinator), []);

        // The job waits for --min-workers (or the configured count); more than the replicas would never start.
        var minWorkers = Coordinator.OnlyContainer.Arg("--min-workers") is { } flag ? int.Parse(flag, CultureInfo.InvariantCulture) : cluster.MinWorkers;
        Assert.InRange(minWorkers, 1, Worker.Replicas);

        // Workers load the data themselves: data from a file must be where every pod mounts a volume.
        var dataPath = settings.Data.Path;
        if (!dataPath.StartsWith("builtin:", StringComparison.Ordinal))
        {
            Assert.All(Workloads, w => Assert.Contains(w.MountPaths, m => dataPath.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Environment_overrides_name_settings_the_program_knows()
    {
        var overrides = Workloads.SelectMany(Overrides).ToList();
        var reference = SettingsReader.LoadConfig(null, []);

        Assert.NotEmpty(overrides);
        Assert.All(overrides, o => Assert.True(reference.HasPath(o.Key), $"{o.Key} is no setting of reference.conf"));
        var exception = Record.Exception(() => ProductConfiguration.Read(ConfigText(Coordinator), overrides));
        Assert.Null(exception);
    }

    [Fact]
    public void Both_roles_turn_tls_on_with_files_of_a_secret_mounted_read_only()
    {
        Assert.All(Workloads, w =>
        {
            var container = w.OnlyContainer;
            Assert.Equal("on", container.Env(TlsEnabled)?.ScalarOrNull("value"));
            var (mountPath, secret, mount, volume) = TlsMount(w);
            Assert.Equal("true", mount.ScalarOrNull("readOnly"));

            // A probe that connects and leaves without a handshake has the node log a TLS error each time.
            Assert.All(Probes, kind => Assert.Null(container.Probe(kind)?.Find("tcpSocket")));

            // Without items, a secret volume shows every key of the Secret as a file of that name.
            Assert.Null(volume.Find("secret", "items"));
            foreach (var variable in TlsFiles)
            {
                var path = container.Env(variable)?.ScalarOrNull("value") ?? throw new InvalidDataException($"{w}: {variable} is not set");
                Assert.Equal(mountPath, Path.GetDirectoryName(path));
                Assert.Contains(Path.GetFileName(path), secrets.Files(secret).Keys);
            }
        });
    }

    [Fact]
    public void Each_role_has_a_secret_of_its_own_and_none_holds_the_cas_key()
    {
        var (_, coordinatorSecret, _, _) = TlsMount(Coordinator);
        var (_, workerSecret, _, _) = TlsMount(Worker);
        Assert.NotEqual(coordinatorSecret, workerSecret);

        // A worker must not be able to act as the coordinator, nor anyone with a pod's files sign new members.
        string KeySource(Workload w, string secret) => secrets.Files(secret)[Path.GetFileName(w.OnlyContainer.Env(TlsKey)!.Scalar("value"))];
        Assert.NotEqual(KeySource(Coordinator, coordinatorSecret), KeySource(Worker, workerSecret));
        Assert.All(secrets.Commands, c => Assert.DoesNotContain(c.Files.Values, source => Path.GetFileName(source) == "ca.key"));
    }

    [Fact]
    public void The_readme_replaces_each_secret_with_the_files_it_created_it_from()
    {
        Assert.All(secrets.Commands, c => Assert.Equal(secrets.Files(c.Secret), c.Files));
    }

    [Fact]
    public void The_secret_files_are_readable_by_the_pods_group_and_by_no_one_else()
    {
        const int GroupRead = 0b000_100_000;
        const int Others = 0b000_000_111;
        Assert.All(Workloads, w =>
        {
            // Secret files belong to root and to the pod's fsGroup: the group bits are what lets the image's user read them.
            Assert.Equal(ImageUser, w.PodSpec.Scalar("securityContext", "fsGroup"));
            var text = TlsMount(w).Volume.Scalar("secret", "defaultMode");

            // kubectl reads YAML 1.1, where a leading 0 makes the number octal (0440); JSON would give it in decimal.
            var mode = text.Length > 1 && text[0] == '0' ? Convert.ToInt32(text, 8) : int.Parse(text, CultureInfo.InvariantCulture);
            Assert.True((mode & GroupRead) != 0, $"{w}: defaultMode {text} does not let the pod's group read the key");
            Assert.True((mode & Others) == 0, $"{w}: defaultMode {text} lets any user of the node's pods read the key");
        });
    }

    [Fact]
    public void Both_roles_load_the_certificates_the_readme_makes_and_admit_each_other()
    {
        ClusterTls Load(Workload w)
        {
            var (_, cluster) = ProductConfiguration.Read(ConfigText(w), Overrides(w));
            Assert.True(cluster.Tls.Enabled, $"{w}: TLS is off");
            return ClusterTls.From(cluster.Tls)!;
        }

        using var coordinator = Load(Coordinator);
        using var worker = Load(Worker);
        Assert.Equal("coordinator", coordinator.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal("worker", worker.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.True(coordinator.Admits(worker.Certificate), "the coordinator would refuse the workers' certificate");
        Assert.True(worker.Admits(coordinator.Certificate), "the workers would refuse the coordinator's certificate");
    }

    [Fact]
    public void Secret_commands_are_read_with_their_continuation_lines()
    {
        const string readme = "kubectl create secret generic one \\\n  --from-file=ca.crt=certs/ca.crt --from-file=tls.key=certs/a.key\nkubectl get secrets\n";

        var command = Assert.Single(TlsSecrets.ReadCommands(readme));
        Assert.Equal("one", command.Secret);
        Assert.Equal(new Dictionary<string, string> { ["ca.crt"] = "certs/ca.crt", ["tls.key"] = "certs/a.key" }, command.Files);
    }

    [Fact]
    public void Selector_check_reports_pods_that_lack_a_selected_label()
    {
        const string mismatched = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: backprop
                  app.kubernetes.io/component: worker
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: backprop
                    app.kubernetes.io/component: coordinator
            """;
        var workload = ManifestSet.Parse(mismatched, "in-memory").Workload("Deployment", "broken");

        var problem = Assert.Single(LabelSelector.Mismatches(workload.SelectorLabels, workload.PodLabels));
        Assert.StartsWith("app.kubernetes.io/component:", problem, StringComparison.Ordinal);
        Assert.False(LabelSelector.Selects(workload.SelectorLabels, workload.PodLabels));
    }

    [Fact]
    public void Probe_check_reads_the_port_a_listening_socket_check_looks_for()
    {
        const string probed = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: probed
            spec:
              template:
                spec:
                  containers:
                    - name: web
                      readinessProbe:
                        exec:
                          command: ["grep", "-qsE", ":1F90 [0-9A-F]+:0000 0A", "/proc/net/tcp", "/proc/net/tcp6"]
                      livenessProbe:
                        exec:
                          command: ["cat", "/proc/net/tcp"]
            """;
        var container = ManifestSet.Parse(probed, "in-memory").Workload("Deployment", "probed").OnlyContainer;

        Assert.Equal(8080, container.ProbedPort("readinessProbe"));
        Assert.Null(container.ProbedPort("livenessProbe"));
        Assert.Null(container.ProbedPort("startupProbe"));
    }

    [Fact]
    public void Configuration_check_rejects_a_misspelt_key()
    {
        var error = Assert.Throws<InvalidSettingException>(() => ProductConfiguration.Read("backprop.cluster.lane-prot = 4054", []));
        Assert.Equal("backprop.cluster.lane-prot", error.KeyPath);
    }

    /// <summary>
    /// The secret volume a workload's TLS files come from (the mount at the folder of its CA file), and the Secret's
    /// name.
    /// </summary>
    private static (string MountPath, string Secret, YamlDotNet.RepresentationModel.YamlMappingNode Mount, YamlDotNet.RepresentationModel.YamlMappingNode Volume) TlsMount(Workload workload)
    {
        var container = workload.OnlyContainer;
        var ca = container.Env(TlsCa)?.ScalarOrNull("value") ?? throw new InvalidDataException($"{workload}: {TlsCa} is not set");
        var folder = Path.GetDirectoryName(ca)!;
        var mount = container.Node.Items("volumeMounts").SingleOrDefault(m => m.Scalar("mountPath") == folder)
            ?? throw new InvalidDataException($"{workload}: nothing is mounted at {folder}, where {TlsCa} points");
        var volume = workload.Volume(mount.Scalar("name"));
        return (folder, volume.Scalar("secret", "secretName"), mount, volume);
    }

    /// <summary>
    /// A workload's settings from its environment, as keys; the files of its TLS Secret are taken from where the
    /// fixture made that Secret's files, in place of the pod's mount.
    /// </summary>
    private List<KeyValuePair<string, string>> Overrides(Workload workload)
    {
        var (mountPath, secret, _, _) = TlsMount(workload);
        return [.. workload.OnlyContainer.EnvValues(EnvironmentOverrides.Prefix).Select(e => KeyValuePair.Create(
            EnvironmentOverrides.KeyOf(e.Key),
            Path.GetDirectoryName(e.Value) == mountPath ? Path.Combine(secrets.Folder(secret), Path.GetFileName(e.Value)) : e.Value))];
    }

    private static int ServicePort(string name) =>
        CoordinatorService.Root.Items("spec", "ports").SingleOrDefault(p => p.ScalarOrNull("name") == name)?.Integer("port")
        ?? throw new InvalidDataException($"{CoordinatorService} has no port named {name}");

    /// <summary>The configuration a workload's --config names: the ConfigMap key behind the volume mounted at its folder.</summary>
    private static string ConfigText(Workload workload)
    {
        var container = workload.OnlyContainer;
        var path = container.Arg("--config") ?? throw new InvalidDataException($"{workload}: no --config");
        var folder = path[..path.LastIndexOf('/')];
        var mount = container.Node.Items("volumeMounts").SingleOrDefault(m => m.Scalar("mountPath") == folder)
            ?? throw new InvalidDataException($"{workload}: nothing is mounted at {folder}");
        var configMapName = workload.Volume(mount.Scalar("name")).Scalar("configMap", "name");
        return Manifests.Single("ConfigMap", configMapName).Root.Scalar("data", path[(path.LastIndexOf('/') + 1)..]);
    }
}
