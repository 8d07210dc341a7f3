using System.Diagnostics;
using System.Text.Json;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests;

/// <summary>`lab down` leaves the machine as it was: after a full `up`, and after an `up` killed with SIGKILL.</summary>
[Collection(LabUsers.Name)]
public sealed class LabLifecycleTests
{
    private const string StateDir = "/var/lib/ebpf-console/lab";

    [Fact]
    public void UpThenDown_LeavesTheRootNamespaceAsItWas()
    {
        InstalledConsole.RequireRoot();
        Assert.Equal(0, InstalledConsole.Run("lab", "down").ExitCode);
        var before = RootNamespace.Capture();

        var up = InstalledConsole.Run("lab", "up");
        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.NotEqual(before, RootNamespace.Capture()); // the lab did change something: the check below can fail
        var down = InstalledConsole.Run("lab", "down");

        Assert.True(down.ExitCode == 0, down.Stderr);
        Assert.Equal(before, RootNamespace.Capture());
        Assert.Empty(RootNamespace.LabProcesses(StateDir));
    }

    [Fact]
    public void StatusAndCurlJson_CarryTheDocumentedFields()
    {
        InstalledConsole.RequireRoot();
        LabScenarios.Ensure("healthy");
        Assert.Equal(0, InstalledConsole.Run("lab", "mode", "iptables").ExitCode);

        using var status = JsonDocument.Parse(InstalledConsole.Run("lab", "status", "--json").Stdout);
        var root = status.RootElement;
        Assert.Equal("iptables", root.GetProperty("mode").GetString());
        Assert.Equal(StateDir, root.GetProperty("stateDir").GetString());
        Assert.Equal(["node-1=10.99.0.11", "node-2=10.99.0.12"], NameIp(root.GetProperty("nodes")));
        Assert.Equal(["client=10.99.0.100", "client2=10.99.0.101"], NameIp(root.GetProperty("clients")));
        Assert.Equal("10.244.2.5", root.GetProperty("pod").GetProperty("ip").GetString());

        var curl = InstalledConsole.Run("lab", "curl", "--from", "client2", "--count", "3", "--json");
        Assert.Equal(0, curl.ExitCode);
        using var results = JsonDocument.Parse(curl.Stdout);
        Assert.Equal(3, results.RootElement.GetArrayLength());
        Assert.All(results.RootElement.EnumerateArray(), r =>
        {
            Assert.Equal("client2", r.GetProperty("from").GetString());
            Assert.Equal("10.99.0.101", r.GetProperty("fromIp").GetString());
            Assert.Equal("node-1", r.GetProperty("target").GetString());
            Assert.Equal(200, r.GetProperty("status").GetInt32());
            Assert.Equal("10.99.0.11", r.GetProperty("podSaw").GetString()); // iptables: SNAT to the ingress node
        });

        // The access log agrees: its newest lines start with the address the pod saw.
        var log = InstalledConsole.Run("lab", "logs", "--tail", "3").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, log.Length);
        Assert.All(log, line => Assert.StartsWith("10.99.0.11 ", line, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eclab-net")]
    [InlineData("eclab-pod-nginx")]
    public void UpKilledWithSigkill_ThenDown_LeavesNothing(string killWhenNamespaceExists)
    {
        InstalledConsole.RequireRoot();
        Assert.Equal(0, InstalledConsole.Run("lab", "down").ExitCode);
        var before = RootNamespace.Capture();

        using (var up = Process.Start(new ProcessStartInfo(InstalledConsole.Path, ["lab", "up"]) { RedirectStandardError = true, RedirectStandardOutput = true })!)
        {
            var clock = Stopwatch.StartNew();
            while (!RootNamespace.LabNamespaces().Contains(killWhenNamespaceExists) && !up.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(20);
            }

            Assert.False(up.HasExited, $"'lab up' finished before it could be killed: {up.StandardError.ReadToEnd()}");
            up.Kill(); // SIGKILL: no cleanup code of ours runs
            up.WaitForExit();
        }

        Assert.Contains(killWhenNamespaceExists, RootNamespace.LabNamespaces());
        var down = InstalledConsole.Run("lab", "down");

        Assert.True(down.ExitCode == 0, down.Stderr);
        Assert.Empty(RootNamespace.LabNamespaces());
        Assert.Equal(before, RootNamespace.Capture());
        Assert.Empty(RootNamespace.LabProcesses(StateDir));
    }

    private static string[] NameIp(JsonElement hosts) =>
        hosts.EnumerateArray().Select(h => $"{h.GetProperty("name").GetString()}={h.GetProperty("ip").GetString()}").ToArray();
}
