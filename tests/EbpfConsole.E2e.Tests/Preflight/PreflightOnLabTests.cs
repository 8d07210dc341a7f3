using System.Diagnostics;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Preflight;

/// <summary>
/// Lab truth (issue 5): each scenario gives the verdicts it stands for, through the installed `preflight --lab --json`
/// — the lab's API, its nodes' real sshd and its known_hosts, exactly as against a cluster.
/// </summary>
[Collection(LabUsers.Name)]
public sealed class PreflightOnLabTests
{
    [Fact]
    public void Healthy_HasNoFail_AndEveryCheckHasEvidence()
    {
        var run = OnScenario("healthy");

        Assert.True(run.Failing.Length == 0, run.Describe());
        Assert.True(run.Result.ExitCode == 0, run.Describe());
        Assert.Equal(["node-1", "node-2"], run.Json["nodes"]!.AsArray().Select(n => (string)n!["name"]!).ToArray());
        Assert.All(run.Checks, c => Assert.False(string.IsNullOrWhiteSpace((string?)c["evidence"]), $"{c["id"]} has no evidence"));
        Assert.Contains("$ uname -r", (string)run.Check("P2", "node-1")["evidence"]!, StringComparison.Ordinal);
        Assert.Equal("manifest", (string)run.Json["cluster"]!["installType"]!);
        Assert.Null(run.Check("P1", null)["node"]);
    }

    [Fact]
    public void KubekeyDefault_FailsP10_OnBothNodes_WithTheConfigAndTheLink()
    {
        var run = OnScenario("kubekey-default");

        Assert.Equal(["P10@node-1", "P10@node-2"], run.Failing);
        Assert.Equal(1, run.Result.ExitCode);
        var evidence = (string)run.Check("P10", "node-2")["evidence"]!;
        Assert.Contains("mode: ipvs", evidence, StringComparison.Ordinal);
        Assert.Contains("kube-ipvs0", evidence, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace((string?)run.Check("P10", "node-2")["remediation"]));
    }

    [Fact]
    public void MissingBpffs_FailsP5_OnNode2Only()
    {
        var run = OnScenario("missing-bpffs");

        Assert.Equal(["P5@node-2"], run.Failing);
        Assert.Equal("pass", (string)run.Check("P5", "node-1")["verdict"]!);
        Assert.Contains("mount", (string)run.Check("P5", "node-2")["evidence"]!, StringComparison.Ordinal);
        Assert.Equal(1, run.Result.ExitCode);
    }

    [Fact]
    public void Operator_HasNoFail()
    {
        var run = OnScenario("operator");

        Assert.True(run.Failing.Length == 0, run.Describe());
        Assert.Equal("operator", (string)run.Json["cluster"]!["installType"]!);
    }

    [Fact]
    public void ChangedHostKey_IsRefused_AndTheOtherNodeIsStillChecked()
    {
        LabScenarios.Ensure("healthy");
        var knownHosts = Path.Combine(LabStateDir(), "ssh", "known_hosts");
        var original = File.ReadAllText(knownHosts);
        try
        {
            // node-2's entry now names another key: exactly what a re-installed (or impersonated) node looks like.
            File.WriteAllText(knownHosts, string.Join('\n', original.Split('\n').Select(l => l.StartsWith("10.99.0.12 ", StringComparison.Ordinal) ? $"10.99.0.12 {OtherKey()}" : l)));

            var run = PreflightRun.Of("--lab");

            var node2 = run.Json["nodes"]!.AsArray().Single(n => (string?)n!["name"] == "node-2")!;
            Assert.Contains("CHANGED", (string?)node2["failure"], StringComparison.Ordinal);
            Assert.Equal("unknown", (string)run.Check("P2", "node-2")["verdict"]!);
            Assert.Equal("pass", (string)run.Check("P2", "node-1")["verdict"]!);
            Assert.Equal(2, run.Result.ExitCode);
        }
        finally
        {
            File.WriteAllText(knownHosts, original);
        }
    }

    [Fact]
    public void UnreachableNode_TimesOut_NamingTheTimeout_AndTheOthersProceed()
    {
        LabScenarios.Ensure("healthy");
        NetnsIptables("-I", "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP");
        try
        {
            var clock = Stopwatch.StartNew();
            var run = PreflightRun.Of("--lab", "--timeout", "3s");

            Assert.InRange(clock.Elapsed.TotalSeconds, 2, 30);
            var node2 = run.Json["nodes"]!.AsArray().Single(n => (string?)n!["name"] == "node-2")!;
            Assert.Contains("timed out after 3s", (string?)node2["failure"], StringComparison.Ordinal);
            Assert.Contains("timed out after 3s", (string)run.Check("P5", "node-2")["reason"]!, StringComparison.Ordinal);
            Assert.Equal("pass", (string)run.Check("P5", "node-1")["verdict"]!);
            Assert.Equal("pass", (string)run.Check("P13", "node-2")["verdict"]!); // from the API alone
            Assert.Equal(2, run.Result.ExitCode);
        }
        finally
        {
            NetnsIptables("-D", "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP");
        }
    }

    [Fact]
    public void ViewerIdentity_WithExplicitSshOptions_ListsTheDeniedMigrationActions()
    {
        LabScenarios.Ensure("healthy");
        var state = LabStateDir();
        var run = PreflightRun.Of(
            "--kubeconfig", Path.Combine(state, "api", "viewer.kubeconfig"),
            "--ssh-config", "none", "--ssh-user", "root",
            "--identity", Path.Combine(state, "ssh", "id_ed25519"), "--known-hosts", Path.Combine(state, "ssh", "known_hosts"));

        var rbac = run.Check("RBAC", null);
        Assert.Equal("warn", (string)rbac["verdict"]!);
        Assert.Contains("M4", (string)rbac["reason"]! + (string)rbac["evidence"]!, StringComparison.Ordinal);
        Assert.Equal("pass", (string)run.Check("P5", "node-2")["verdict"]!); // the nodes were reached over SSH as usual
        Assert.True(run.Result.ExitCode == 0, run.Describe());
    }

    [Fact]
    public void TextOutput_ShowsTheMatrix_AndTheFailingDetails()
    {
        LabScenarios.Ensure("missing-bpffs");

        var result = InstalledConsole.Run("preflight", "--lab");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"NODE\s+ADDRESS\s+P2\s+P3\s+P5", result.Stdout);
        Assert.Matches(@"node-2\s+10\.99\.0\.12\s+\S+\s+\S+\s+✗", result.Stdout);
        Assert.Contains("✗ P5 BPF filesystem on node-2: fail", result.Stdout.Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("remediation:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("node-1:", result.Stderr, StringComparison.Ordinal); // progress as nodes finish
    }

    [Theory]
    [InlineData(new[] { "--check", "P99" }, "--check 'P99' is not a check; known: P1,")]
    [InlineData(new[] { "--node", "node-9" }, "node 'node-9' not found; known: node-1, node-2")]
    [InlineData(new[] { "--lab", "--kubeconfig", "/tmp/x" }, "--lab uses the lab's own kubeconfig")]
    [InlineData(new[] { "--lab", "--ssh-user", "admin" }, "--lab uses the lab's own SSH key")]
    public void BadInput_ExitsTwo_WithOneLine(string[] args, string expected)
    {
        LabScenarios.Ensure("healthy");

        var result = InstalledConsole.Run(["preflight", "--lab", .. args.Where(a => a != "--lab")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    private static PreflightRun OnScenario(string scenario)
    {
        LabScenarios.Ensure(scenario);
        return PreflightRun.Of("--lab");
    }

    private static string LabStateDir() => Environment.GetEnvironmentVariable("EBPF_CONSOLE_LAB_DIR") is { Length: > 0 } dir ? dir : "/var/lib/ebpf-console/lab";

    private static void NetnsIptables(params string[] args)
    {
        var result = InstalledConsole.RunFile("ip", ["netns", "exec", "eclab-node-2", "iptables", .. args]);
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    /// <summary>A fresh ed25519 public key ("ssh-ed25519 AAAA…"), made by ssh-keygen.</summary>
    private static string OtherKey()
    {
        var dir = Directory.CreateTempSubdirectory("ectest-key-");
        try
        {
            var key = Path.Combine(dir.FullName, "k");
            Assert.Equal(0, InstalledConsole.RunFile("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]).ExitCode);
            return string.Join(' ', File.ReadAllText(key + ".pub").Trim().Split(' ').Take(2));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
