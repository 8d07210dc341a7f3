using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Core.Tests.Preflight;

/// <summary>
/// Runs the probe script for real on this machine (read-only commands; the only connection is to a loopback
/// listener) under each POSIX shell present, and parses it back: every section arrives complete.
/// </summary>
public sealed class NodeProbeScriptShellTests
{
    private static readonly string[] CandidateShells = ["/bin/sh", "/bin/dash", "/bin/bash", "/bin/busybox"];

    private static readonly string[] Sections = ["kernel", "os", "arch", "bpffs", "links", "addrs", "kube-ipvs0", "cgroup", "vendor", "tcp", "iptables", "api-0"];

    public static TheoryData<string> Shells() => new(CandidateShells.Where(File.Exists));

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Script_RunUnderShell_ParsesBackEverySection(string shell)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var cluster = Facts.Cluster() with { KubernetesEndpoints = EndpointsAt("127.0.0.1", port) };
        var script = NodeProbeScript.Build(cluster, "node-1");

        var result = await RunAsync(shell, script);
        var facts = NodeProbeScript.ToFacts("node-1", "127.0.0.1", result);

        Assert.True(facts.Failure is null, $"{shell}: {facts.Failure}\n{result.StandardError}");
        foreach (var key in Sections)
        {
            Assert.True(facts.Outputs.ContainsKey(key), $"{shell}: section {key} missing in:\n{result.StandardOutput}\n{result.StandardError}");
        }

        Assert.Equal(Environment.OSVersion.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture), facts.Outputs["kernel"].Output.Split('.')[0]);
        Assert.Equal(0, facts.Outputs["kernel"].ExitCode);
        Assert.Equal("uname -r", facts.Outputs["kernel"].Command);
        Assert.Equal(0, facts.Outputs["api-0"].ExitCode);
        Assert.Contains("connected", facts.Outputs["api-0"].Output, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1/{port}", facts.Outputs["api-0"].Command, StringComparison.Ordinal);
        Assert.Contains("iptables-save", facts.Outputs["iptables"].Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_ClosedPort_ApiSectionFailsFast()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var cluster = Facts.Cluster() with { KubernetesEndpoints = EndpointsAt("127.0.0.1", port) };
        var facts = NodeProbeScript.ToFacts("node-1", "127.0.0.1", await RunAsync("/bin/sh", NodeProbeScript.Build(cluster, "node-1")));

        Assert.NotEqual(0, facts.Outputs["api-0"].ExitCode);
        var p9 = PreflightRules.EvaluateNode(cluster, facts).Only("P9");
        Assert.Equal(Verdict.Fail, p9.Verdict);
        Assert.Contains($"127.0.0.1:{port}", p9.Reason, StringComparison.Ordinal);
    }

    private static ApiObject EndpointsAt(string ip, int port)
    {
        var endpoints = Facts.Endpoints(ip);
        endpoints.Json!["subsets"]![0]!["ports"]![0]!["port"] = port;
        return endpoints;
    }

    private static async Task<ShellResult> RunAsync(string shell, string script)
    {
        var start = new ProcessStartInfo(shell)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (shell.EndsWith("busybox", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("sh");
        }

        start.ArgumentList.Add("-s");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {shell}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(script.AsMemory(), timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return new ShellResult(process.ExitCode, await stdout, await stderr);
    }
}
