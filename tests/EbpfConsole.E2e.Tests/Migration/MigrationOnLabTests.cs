using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Migration;

/// <summary>
/// Issue 6's acceptance, with the installed `migrate` against the lab: iptables-snat → ebpf-tunnel (nginx logs the client)
/// → ebpf-dsr → rolled back to iptables-snat with every touched object equal to its M0 snapshot — with the console killed
/// (SIGKILL) during M4's apply and during M6's verify, and resuming from its journal each time.
/// </summary>
[Collection(LabUsers.Name)]
public sealed class MigrationOnLabTests : IDisposable
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public void Healthy_ToDsrAndBack_ProvenByCapture_SurvivingKillsDuringM4ApplyAndM6Verify()
    {
        LabMigration.Fresh("healthy");
        LabMigration.Migrate(0, "apply", "--step", "M0", "--yes");
        LabMigration.Migrate(0, "apply", "--step", "M8", "--yes");
        LabMigration.Migrate(0, "apply", "--step", "M2", "--yes");
        LabMigration.Migrate(0, "apply", "--step", "M3", "--yes");

        // M4's apply, killed: the API server is frozen while the console captures 'before M4', so the console is stuck in
        // M4's apply (its step-begin journalled, the object not yet read) when SIGKILL comes.
        using (var killed = RunningConsole.Start("migrate", "apply", "--lab", "--step", "M4", "--yes"))
        {
            killed.WaitForProgress("capturing 'before M4'", StepLimit);
            LabMigration.SignalApiServer("STOP");
            try
            {
                LabMigration.WaitForJournal("step-begin", "M4", StepLimit);
                killed.Kill();
            }
            finally
            {
                LabMigration.SignalApiServer("CONT");
            }
        }

        Assert.Equal("interrupted", LabMigration.State("M4"));
        var status = LabMigration.Migrate(1, "status");
        Assert.Contains("M4 apply was interrupted", status.Stdout, StringComparison.Ordinal);
        var m4 = LabMigration.Migrate(0, "apply", "--step", "M4", "--yes");
        Assert.Contains("M4 applied and verified", m4.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: before M4: iptables-snat", m4.Stdout, StringComparison.Ordinal); // the baseline: SNAT

        // M6's verify, killed: SIGKILL while the proof capture after M6 runs (verify is journalled after it).
        using (var killed = RunningConsole.Start("migrate", "apply", "--lab", "--step", "M6", "--yes"))
        {
            killed.WaitForProgress("capturing 'after M6'", StepLimit);
            killed.Kill();
        }

        var journal = LabMigration.Journal();
        Assert.True(LabMigration.Has(journal, "step-end", "M6", "applied"), "M6's apply ended before the kill");
        Assert.False(LabMigration.Has(journal, "verify", "M6"), "M6's verify had not finished when the console was killed");
        Assert.Equal("interrupted", LabMigration.State("M6"));
        var m6 = LabMigration.Migrate(0, "apply", "--step", "M6", "--yes");
        Assert.Contains("M6 applied and verified", m6.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: after M6: ebpf-tunnel", m6.Stdout, StringComparison.Ordinal);
        Assert.Contains("resuming", m6.Stderr, StringComparison.Ordinal);

        using (var kubectl = new Kubectl(LabMigration.Kubeconfig))
        {
            var log = kubectl.Ok("logs", "-n", "default", "deployment/ebpf-console-nginx", "--tail", "1");
            Assert.Contains("10.99.0.100", log, StringComparison.Ordinal); // nginx logged the client's own address
        }

        var m7 = LabMigration.Migrate(0, "apply", "--step", "M7", "--yes");
        Assert.Contains("proof: after M7: ebpf-dsr", m7.Stdout, StringComparison.Ordinal);

        var back = LabMigration.Migrate(0, "rollback", "--all", "--yes");
        Assert.Contains("proof: after rollback M7: ebpf-tunnel", back.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: after rollback M4: iptables-snat", back.Stdout, StringComparison.Ordinal);
        Assert.Contains("every touched object equals its M0 snapshot", back.Stdout, StringComparison.Ordinal);
        using (var kubectl = new Kubectl(LabMigration.Kubeconfig))
        {
            Assert.Equal("", kubectl.Ok("get", "ds", "-n", "kube-system", "kube-proxy", "-o", "jsonpath={.spec.template.spec.nodeSelector.non-calico}"));
            Assert.Equal("", kubectl.Ok("get", "felixconfigurations.crd.projectcalico.org", "default", "-o", "jsonpath={.spec.bpfEnabled}"));
            Assert.NotEqual(0, kubectl.Run("get", "configmap", "-n", "kube-system", "kubernetes-services-endpoint").ExitCode);
        }
    }

    [Fact]
    public void Operator_TakesTheOperatorPath_ToDsrAndBack()
    {
        LabMigration.Fresh("operator");

        var plan = LabMigration.Migrate(0, "plan");
        Assert.Contains("operator install, Calico v3.29.3 in calico-system", plan.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"M3 .*n/a .*operator", plan.Stdout);
        Assert.Contains("patch installations default", plan.Stdout, StringComparison.Ordinal);

        var all = LabMigration.Migrate(0, "apply", "--all", "--yes");
        Assert.Contains("create configmaps tigera-operator/kubernetes-services-endpoint", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: after M6: ebpf-tunnel", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: after M7: ebpf-dsr", all.Stdout, StringComparison.Ordinal);
        var journal = LabMigration.Journal();
        var m6Targets = journal.Where(e => (string?)e["type"] == "mutation-begin" && (string?)e["step"] == "M6").Select(e => (string?)e["object"]?["resource"]).ToList();
        Assert.Contains("installations", m6Targets);
        Assert.DoesNotContain("felixconfigurations", m6Targets); // never bpfEnabled by hand on an operator install

        var back = LabMigration.Migrate(0, "rollback", "--all", "--yes");
        Assert.Contains("proof: after rollback M4: iptables-snat", back.Stdout, StringComparison.Ordinal);
        Assert.Contains("every touched object equals its M0 snapshot", back.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void OperatorBootstrap_TakesM5_ToDsrAndBack()
    {
        LabMigration.Fresh("operator-bootstrap");

        var plan = LabMigration.Migrate(0, "plan");
        Assert.Contains("operator install, Calico v3.31.0 in calico-system (M5: bpfNetworkBootstrap)", plan.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"M2 .*n/a", plan.Stdout);
        Assert.Matches(@"M6 .*n/a", plan.Stdout);

        var all = LabMigration.Migrate(0, "apply", "--all", "--yes");
        Assert.Contains("M5 applied and verified", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: after M5: ebpf-tunnel", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: after M7: ebpf-dsr", all.Stdout, StringComparison.Ordinal);
        var changed = LabMigration.Journal().Where(e => (string?)e["type"] == "mutation-begin").Select(e => (string?)e["object"]?["resource"]).ToList();
        Assert.DoesNotContain("configmaps", changed); // no ConfigMap with bpfNetworkBootstrap (P19)
        Assert.DoesNotContain("daemonsets", changed); // the operator disables kube-proxy itself

        var back = LabMigration.Migrate(0, "rollback", "--all", "--yes");
        Assert.Contains("proof: after rollback M5: iptables-snat", back.Stdout, StringComparison.Ordinal);
        Assert.Contains("every touched object equals its M0 snapshot", back.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiServerStoppedMidStep_FailsWithAClearMessage_KeepsTheJournal_AndTheStepResumesAfterLabUp()
    {
        LabMigration.Fresh("healthy");
        foreach (var step in new[] { "M0", "M2", "M3", "M4" })
        {
            LabMigration.Migrate(0, "apply", "--step", step, "--yes", "--no-proof");
        }

        CliResult failed;
        using (var run = RunningConsole.Start("migrate", "apply", "--lab", "--step", "M6", "--yes"))
        {
            run.WaitForProgress("capturing 'before M6'", StepLimit);
            LabMigration.SignalApiServer("KILL");
            failed = run.WaitForExit(StepLimit);
        }

        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("the API server could not be reached", failed.Stdout + failed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", failed.Stdout + failed.Stderr, StringComparison.Ordinal);
        var journal = LabMigration.Journal(); // every line parses
        Assert.True(LabMigration.Has(journal, "step-end", "M6", "failed"), "the failed step is journalled as failed");

        var up = InstalledConsole.Run("lab", "up");
        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.Equal("failed", LabMigration.State("M6"));
        var text = InstalledConsole.Run("migrate", "journal", "--lab");
        Assert.Equal(0, text.ExitCode);
        Assert.Equal("", text.Stderr.Trim()); // no unreadable line
        var m6 = LabMigration.Migrate(0, "apply", "--step", "M6", "--yes", "--no-proof");
        Assert.Contains("M6 applied and verified", m6.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedBetweenPreviewAndApply_IsNeverOverwritten()
    {
        LabMigration.Fresh("healthy");
        foreach (var step in new[] { "M0", "M2", "M3" })
        {
            LabMigration.Migrate(0, "apply", "--step", step, "--yes");
        }

        using var tmux = Tmux.Start($"{InstalledConsole.Path} migrate apply --lab --step M4 --no-proof", 250, 50); // wide: the refusal is one line
        tmux.WaitFor("Apply M4 to lab? [y/N]", StepLimit);
        using (var kubectl = new Kubectl(LabMigration.Kubeconfig))
        {
            // Someone else changes the DaemonSet while the preview waits for an answer.
            kubectl.Ok("patch", "ds", "-n", "kube-system", "kube-proxy", "--type", "merge", "-p", """{"spec":{"template":{"spec":{"nodeSelector":{"team":"net"}}}}}""");
            tmux.SendKeys("y", "Enter");
            var screen = tmux.WaitFor("[exited", StepLimit);
            Assert.Contains("since the preview; nothing was overwritten", screen, StringComparison.Ordinal);
            Assert.Contains("[exited 1]", screen, StringComparison.Ordinal);
            Assert.Equal("net", kubectl.Ok("get", "ds", "-n", "kube-system", "kube-proxy", "-o", "jsonpath={.spec.template.spec.nodeSelector.team}"));
            Assert.Equal("", kubectl.Ok("get", "ds", "-n", "kube-system", "kube-proxy", "-o", "jsonpath={.spec.template.spec.nodeSelector.non-calico}"));
        }

        Assert.Equal("failed", LabMigration.State("M4"));
    }

    [Fact]
    public void KubekeyDefault_M1RunsItsNodeCommandOnlyWithConsent_AndClearsP10()
    {
        LabMigration.Fresh("kubekey-default");
        Assert.Equal(1, InstalledConsole.Run("preflight", "--lab").ExitCode); // P10: ipvs, kube-ipvs0
        LabMigration.Migrate(0, "apply", "--step", "M0", "--yes");

        var without = LabMigration.Migrate(1, "apply", "--step", "M1", "--yes");
        Assert.Contains("not run on node-1 (node commands need your consent: --node-commands)", without.Stderr, StringComparison.Ordinal);
        Assert.Contains("kube-ipvs0 still exists on node-1, node-2", without.Stdout, StringComparison.Ordinal);

        var with = LabMigration.Migrate(0, "apply", "--step", "M1", "--yes", "--node-commands");
        Assert.Contains("kube-ipvs0 is gone from every node", with.Stdout, StringComparison.Ordinal);
        var preflight = InstalledConsole.Run("preflight", "--lab");
        Assert.True(preflight.ExitCode == 0, preflight.Stdout + preflight.Stderr);
        Assert.Equal("done", LabMigration.State("M1"));
    }

    [Fact]
    public async Task ClusterPath_ProofCapturesAtTheGivenPoints_WhileTheUsersTrafficFlows()
    {
        LabMigration.Fresh("healthy");
        var state = Directory.CreateTempSubdirectory("ectest-migrate-state-").FullName;
        try
        {
            // The lab reached as any cluster: its kubeconfig and explicit SSH options, the journal under XDG_STATE_HOME.
            var dir = LabMigration.StateDir;
            string[] cluster = ["--kubeconfig", Path.Combine(dir, "api", "kubeconfig"), "--ssh-config", "none", "--ssh-user", "root",
                "--identity", Path.Combine(dir, "ssh", "id_ed25519"), "--known-hosts", Path.Combine(dir, "ssh", "known_hosts")];
            var environment = new Dictionary<string, string> { ["XDG_STATE_HOME"] = state };
            CliResult Run(params string[] args) => InstalledConsole.RunFile(InstalledConsole.Path, ["migrate", .. args, .. cluster], environment);
            foreach (var step in new[] { "M0", "M2", "M3", "M4" })
            {
                var applied = Run("apply", "--step", step, "--yes");
                Assert.True(applied.ExitCode == 0, applied.Stdout + applied.Stderr);
                Assert.Contains("no proof captures around M4, M6, M7: give --proof-points", applied.Stderr, StringComparison.Ordinal);
            }

            using var stop = new CancellationTokenSource();
            var traffic = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    InstalledConsole.Run("lab", "curl");
                    Thread.Sleep(200);
                }
            });
            CliResult m6;
            try
            {
                m6 = Run("apply", "--step", "M6", "--yes", "--proof-points", "node-1:eth0,node-2:eth0", "--proof-window", "3s");
            }
            finally
            {
                await stop.CancelAsync();
                await traffic.WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.True(m6.ExitCode == 0, m6.Stdout + m6.Stderr);
            Assert.Contains("proof: after M6: ebpf-tunnel", m6.Stdout, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(Path.Combine(state, "ebpf-console", "migrations"), "*.jsonl"));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public void MissingBpffs_BlocksTheMigrationWithTheReason_UntilForcedWithOneThatIsJournalled()
    {
        LabMigration.Fresh("missing-bpffs");

        var status = LabMigration.Migrate(0, "status");
        Assert.Matches(@"M0 .*blocked +preflight P5 fails on node-2", status.Stdout);
        var refused = LabMigration.Migrate(1, "apply", "--step", "M0", "--yes");
        Assert.Contains("blocked: preflight P5 fails on node-2", refused.Stdout, StringComparison.Ordinal);

        LabMigration.Migrate(0, "apply", "--step", "M0", "--yes", "--force", "bpffs is mounted by hand before M6");
        Assert.Contains("forced: bpffs is mounted by hand before M6", LabMigration.Migrate(0, "journal").Stdout, StringComparison.Ordinal);
    }

    /// <summary>Every test here leaves a migrated (or broken) lab: take it down so the next test's scenario starts clean.</summary>
    public void Dispose() => InstalledConsole.Run("lab", "down");
}
