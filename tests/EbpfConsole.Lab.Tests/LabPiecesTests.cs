using EbpfConsole.Lab;
using EbpfConsole.Lab.Cluster;

namespace EbpfConsole.Lab.Tests;

public class LabCurlTests
{
    [Fact]
    public void Parse_Success_ReadsStatusAndTheAddressThePodSaw()
    {
        var result = LabCurl.Parse(LabTopology.Client, LabTopology.Node1, new CommandResult(0, "10.99.0.11:41234\n\nhttp_code=200", string.Empty));

        Assert.Equal(new CurlResult("client", "10.99.0.100", "node-1", 200, "10.99.0.11", null), result);
    }

    [Fact]
    public void Parse_ConnectionFailure_ReportsCurlsMessage()
    {
        var result = LabCurl.Parse(LabTopology.Client2, LabTopology.Node2,
            new CommandResult(28, "\nhttp_code=000", "curl: (28) Connection timed out after 3001 milliseconds\n"));

        Assert.Equal(0, result.Status);
        Assert.Null(result.PodSaw);
        Assert.Equal("curl: (28) Connection timed out after 3001 milliseconds", result.Error);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Command_RunsCurlInTheClientNamespaceAgainstTheNodePort()
    {
        var command = LabCurl.Command(LabTopology.Client2, LabTopology.Node2);

        Assert.Equal(["netns", "exec", "eclab-client2", "curl"], command.Args.Take(4));
        Assert.Equal("http://10.99.0.12:30604/", command.Args[^1]);
        Assert.True(command.AllowFailure);
    }
}

public class LabEnvironmentTests
{
    [Fact]
    public void NotRoot_SaysRunWithSudo()
    {
        var ex = Assert.Throws<LabException>(() => LabEnvironment.EnsureReady(false, _ => "/bin/x"));

        Assert.Equal("the lab needs root (network namespaces, iptables, sshd): run it with sudo", ex.Message);
    }

    [Fact]
    public void MissingTool_NamesItAndTheInstallScript()
    {
        var ex = Assert.Throws<LabException>(() => LabEnvironment.EnsureReady(true, p => p is "conntrack" or "nginx" ? null : "/usr/sbin/" + p));

        Assert.Contains("nginx, conntrack", ex.Message, StringComparison.Ordinal);
        Assert.Contains("./install.sh", ex.Message, StringComparison.Ordinal);
    }
}

public class LaunchersTests
{
    private static readonly LabPaths Paths = new("/var/lib/x");

    [Fact]
    public void SshdConfig_KeyOnlyOnTheNodeIpWithStateDirFiles()
    {
        var config = SshdLauncher.Config(Paths, LabTopology.Node2);

        foreach (var line in new[]
        {
            "ListenAddress 10.99.0.12", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
            "PermitRootLogin prohibit-password", "StrictModes no", "HostKey /var/lib/x/node-2/ssh_host_ed25519_key",
            "PidFile /var/lib/x/node-2/sshd.pid", "AuthorizedKeysFile /var/lib/x/ssh/authorized_keys",
        })
        {
            Assert.Contains(line + "\n", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SshdStart_OwnUtsAndMountNamespaceWithBpffs()
    {
        var command = SshdLauncher.StartCommand(Paths, LabTopology.Node1);

        Assert.Equal(["netns", "exec", "eclab-node-1", "unshare", "--uts", "--mount", "--propagation", "private", "sh", "-c"], command.Args.Take(10));
        Assert.Contains("hostname node-1 && mount -t bpf bpf /sys/fs/bpf && ", command.Args[10], StringComparison.Ordinal);
        Assert.EndsWith(" && exec /usr/sbin/sshd -f \"$1\" -E \"$2\"", command.Args[10], StringComparison.Ordinal);
        Assert.Equal("/var/lib/x/node-1/sshd_config", command.Args[12]);
    }

    [Fact]
    public void SshdStart_MountsCgroup2AtRunCalicoCgroupOnANodeOwnTmpfs()
    {
        var script = SshdLauncher.StartCommand(Paths, LabTopology.Node(7)).Args[10];

        Assert.StartsWith("hostname node-7 && ", script, StringComparison.Ordinal);
        Assert.Contains(
            "mount -t tmpfs -o mode=0755,size=64k calico-run /run/calico && mkdir /run/calico/cgroup && mount -t cgroup2 none /run/calico/cgroup && ",
            script, StringComparison.Ordinal);
    }

    [Fact]
    public void SshdStart_GivesTheNodeItsOwnEmptyRootHome()
    {
        var script = SshdLauncher.StartCommand(Paths, LabTopology.Node(3)).Args[10];

        Assert.Contains(" && mount -t tmpfs -o mode=0700,size=1m node-home /root && exec ", script, StringComparison.Ordinal);
    }

    [Fact]
    public void SshdStart_ScenarioWithoutBpffsOrCgroup2_MountsNeither()
    {
        var script = SshdLauncher.StartCommand(Paths, LabTopology.Node2, new LabNodeFacts(false, []) { Cgroup2 = false }).Args[10];

        Assert.DoesNotContain("mount -t bpf", script, StringComparison.Ordinal);
        Assert.DoesNotContain("cgroup2", script, StringComparison.Ordinal);
        Assert.Contains("umount /sys/fs/bpf", script, StringComparison.Ordinal);
    }

    [Fact]
    public void KnownHostsLine_PlainEntryForTheNodeIp()
    {
        Assert.Equal("10.99.0.11 ssh-ed25519 AAAAkey", SshdLauncher.KnownHostsLine(LabTopology.Node1, "ssh-ed25519 AAAAkey node-1\n"));
    }

    [Fact]
    public void NginxConfig_AnswersWithThePeerAndLogsItFirst()
    {
        var config = NginxLauncher.Config(Paths);

        Assert.Contains("user root;", config, StringComparison.Ordinal);
        Assert.Contains("return 200 \"$remote_addr:$remote_port\\n\";", config, StringComparison.Ordinal);
        Assert.Contains("log_format lab '$remote_addr ", config, StringComparison.Ordinal);
        Assert.Contains("access_log /var/lib/x/pod-nginx/access.log lab;", config, StringComparison.Ordinal);
        Assert.Contains("pid /var/lib/x/pod-nginx/nginx.pid;", config, StringComparison.Ordinal);
        Assert.Contains("listen 80;", config, StringComparison.Ordinal);
    }

    [Fact]
    public void LabCommand_ToString_QuotesLikeAShell()
    {
        Assert.Equal("ssh-keygen -N '' -C 'a b' -f /x", new LabCommand("ssh-keygen", ["-N", string.Empty, "-C", "a b", "-f", "/x"]).ToString());
    }
}
