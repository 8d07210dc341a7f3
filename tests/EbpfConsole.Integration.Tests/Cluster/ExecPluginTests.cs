using System.Text.Json.Nodes;
using EbpfConsole.Cluster.Reading;
using k8s;

namespace EbpfConsole.Integration.Tests.Cluster;

/// <summary>
/// A real exec credential plugin (a shell script) that returns the lab's admin client certificate in an
/// ExecCredential: the lab API accepts only client certificates, so this proves certificates from a plugin are used.
/// </summary>
public sealed class ExecPluginTests(HealthyClusterApiFixture fixture) : IClassFixture<HealthyClusterApiFixture>
{
    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task ReadAsync_ExecPluginGivingAClientCertificate_Works(string apiVersion)
    {
        var kubeconfig = ExecKubeconfig(apiVersion);
        using var connection = fixture.Open(kubeconfig);

        var facts = await new KubernetesClusterReader(connection).ReadAsync(CancellationToken.None);

        Assert.Equal("exec-user", facts.Identity);
        Assert.Equal(2, facts.Nodes.Items.Count);
    }

    [Fact]
    public async Task KubernetesClientItself_HonoursExecClientCertificates()
    {
        // Documents the library: KubernetesClient 21 runs the plugin while building the configuration and uses
        // status.clientCertificateData / clientKeyData as the TLS client certificate.
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(ExecKubeconfig("client.authentication.k8s.io/v1"));
        using var client = new Kubernetes(config);

        var nodes = await client.CoreV1.ListNodeAsync();

        Assert.Equal(2, nodes.Items.Count);
    }

    private string ExecKubeconfig(string apiVersion)
    {
        var credential = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "ExecCredential",
            ["status"] = new JsonObject
            {
                ["clientCertificateData"] = File.ReadAllText(fixture.Paths.ClientCertPath),
                ["clientKeyData"] = File.ReadAllText(fixture.Paths.ClientKeyPath),
            },
        };
        var name = apiVersion.Replace('/', '-').Replace('.', '-');
        var json = fixture.WriteFile($"{name}.json", credential.ToJsonString());
        var plugin = fixture.WriteFile($"{name}-plugin.sh", $"#!/bin/sh\n[ -n \"$KUBERNETES_EXEC_INFO\" ] || exit 9\ncat '{json}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var ca = Convert.ToBase64String(File.ReadAllBytes(fixture.Paths.CaCertPath));
        return fixture.WriteFile($"{name}.kubeconfig", $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: lab
              cluster:
                server: {fixture.Server}
                certificate-authority-data: {ca}
            users:
            - name: exec-user
              user:
                exec:
                  apiVersion: {apiVersion}
                  command: {plugin}
                  interactiveMode: Never
            contexts:
            - name: lab
              context:
                cluster: lab
                user: exec-user
            current-context: lab
            """);
    }
}
