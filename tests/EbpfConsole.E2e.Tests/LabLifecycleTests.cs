using System.Diagnostics;
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
}
