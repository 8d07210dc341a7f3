using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

public sealed class ProcFsTests : IDisposable
{
    private const int Pid = 5_000_101;

    private readonly LabBed _bed = new();
    private readonly LabDaemon _daemon;

    public ProcFsTests() => _daemon = new LabDaemon("nginx", Path.Combine(_bed.Root, "nginx.pid"), "/usr/sbin/nginx", "/var/lib/x/pod-nginx/nginx.conf");

    public void Dispose() => _bed.Dispose();

    [Theory]
    [InlineData("/usr/sbin/nginx", "nginx: master process /usr/sbin/nginx -c /var/lib/x/pod-nginx/nginx.conf", 'S', true)]
    [InlineData("/usr/sbin/nginx (deleted)", "nginx: master process nginx -c /var/lib/x/pod-nginx/nginx.conf -e log", 'S', true)]
    [InlineData("/usr/bin/sleep", "sleep 60 /var/lib/x/pod-nginx/nginx.conf", 'S', false)]
    [InlineData("/usr/sbin/nginx", "nginx: master process nginx -c /var/lib/x/pod-nginx/nginx.conf.bak", 'S', false)]
    [InlineData("/usr/sbin/nginx", "nginx: master process nginx -c /var/lib/x2/pod-nginx/nginx.conf", 'S', false)]
    [InlineData("/usr/sbin/nginx", "nginx: master process nginx -c /var/lib/x/pod-nginx/nginx.conf", 'Z', false)]
    public void IsLabDaemon_NeedsTheBinaryAndTheConfigPath(string exe, string cmdline, char state, bool ours)
    {
        if (ProcFs.RealPath("/usr/sbin/nginx") != "/usr/sbin/nginx")
        {
            exe = exe.Replace("/usr/sbin/nginx", ProcFs.RealPath("/usr/sbin/nginx"), StringComparison.Ordinal);
        }

        _bed.AddProcess(Pid, exe, cmdline, state);

        Assert.Equal(ours, _bed.Proc.IsLabDaemon(Pid, _daemon));
    }

    [Fact]
    public void LiveDaemonPid_MissingOrJunkPidFileOrGoneProcess_IsNull()
    {
        Assert.Null(_bed.Proc.LiveDaemonPid(_daemon));
        File.WriteAllText(_daemon.PidFile, "abc\n");
        Assert.Null(_bed.Proc.LiveDaemonPid(_daemon));
        File.WriteAllText(_daemon.PidFile, $"{Pid}\n");
        Assert.Null(_bed.Proc.LiveDaemonPid(_daemon));
    }

    [Fact]
    public void RealProc_ThisProcess_RunsAndIsItsOwnExecutable_AndItsParentIsAnAncestor()
    {
        var proc = ProcFs.Default;
        var self = Environment.ProcessId;

        Assert.False(proc.IsStopped(self));
        Assert.True(proc.IsStopped(int.MaxValue));
        Assert.Equal(ProcFs.RealPath(Environment.ProcessPath!), proc.ExecutableOf(self));
        var parent = proc.ParentOf(self);
        Assert.NotNull(parent);
        Assert.Contains(self, proc.SelfAndAncestors());
        Assert.Contains(parent.Value, proc.SelfAndAncestors());
    }

    [Fact]
    public void SelfAndAncestors_FollowsTheParentChain()
    {
        _bed.AddProcess(Environment.ProcessId, "/x", "x", parent: Pid);
        _bed.AddProcess(Pid, "/y", "y", parent: Pid + 1);
        _bed.AddProcess(Pid + 1, "/z", "z", parent: 1);

        Assert.Equal(new[] { 1, Environment.ProcessId, Pid, Pid + 1 }.Order(), _bed.Proc.SelfAndAncestors().Order());
    }

    [Fact]
    public void RealPath_ResolvesDirectoryAndFileLinks()
    {
        var root = ProcFs.RealPath(_bed.Root);
        var real = Directory.CreateDirectory(Path.Combine(root, "real", "sbin")).FullName;
        File.WriteAllText(Path.Combine(real, "tool"), string.Empty);
        Directory.CreateSymbolicLink(Path.Combine(root, "sbin"), "real/sbin");
        File.CreateSymbolicLink(Path.Combine(real, "alias"), "tool");

        Assert.Equal(Path.Combine(real, "tool"), ProcFs.RealPath(Path.Combine(root, "sbin", "alias")));
    }
}
