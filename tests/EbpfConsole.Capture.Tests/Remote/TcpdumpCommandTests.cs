using EbpfConsole.Capture.Remote;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Tests.Remote;

public sealed class TcpdumpCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ectest-tcpdump-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Create_InterfaceAndFilter_StreamsImmediatePcapToStdoutWithQuotedArguments()
    {
        var command = TcpdumpCommand.Create("eth0", "  tcp port 30604 ", 256);

        Assert.Equal("tcp port 30604", command.Filter);
        Assert.Contains("tcpdump -U --immediate-mode -n -s 256 -w - -i 'eth0' -- 'tcp port 30604' ", command.Script, StringComparison.Ordinal);
        Assert.StartsWith("exec sh -c '", command.CommandText, StringComparison.Ordinal);
        Assert.Null(command.PrivilegePrefix);
    }

    [Fact]
    public void Create_SudoPrefix_RunsTheWholeScriptUnderSudo()
    {
        var command = TcpdumpCommand.Create("eth0", null, privilegePrefix: TcpdumpCommand.SudoPrefix);

        Assert.StartsWith("exec sudo -n sh -c '", command.CommandText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_NoFilter_CapturesEverythingWithoutAFilterArgument(string? filter)
    {
        var command = TcpdumpCommand.Create("any", filter);

        Assert.Null(command.Filter);
        Assert.DoesNotContain(" -- ", command.Script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eth0; touch /tmp/x")]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("-wfile")]
    [InlineData("eth0 -w /etc/x")]
    [InlineData("a'b")]
    [InlineData("eth0\n")]
    [InlineData("averyveryverylongname")]
    [InlineData("")]
    [InlineData("..")]
    public void TryCreate_HostileInterface_IsRefusedOnOneLine(string name)
    {
        Assert.False(TcpdumpCommand.TryCreate(name, null, 256, null, out var command, out var error));

        Assert.Null(command);
        Assert.StartsWith("interface '", error, StringComparison.Ordinal);
        Assert.Contains("is not a Linux interface name", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("tcp\nport 80", @"tcp\nport 80")]
    [InlineData("tcp\0; id", @"tcp\0; id")]
    [InlineData("tcp\r", @"tcp\r")]
    [InlineData("tcp \u001b[2J", @"tcp \x1b[2J")]
    public void TryCreate_FilterWithControlCharacters_IsRefusedAndShownEscaped(string filter, string shown)
    {
        Assert.False(TcpdumpCommand.TryCreate("eth0", filter, 256, null, out _, out var error));

        Assert.Equal($"filter '{shown}' contains a control character (newline, NUL, …); a BPF filter is one line of text", error);
    }

    [Fact]
    public void TryCreate_FilterLongerThanTheLimit_IsRefused()
    {
        Assert.False(TcpdumpCommand.TryCreate("eth0", new string('a', TcpdumpCommand.MaxFilterLength + 1), 256, null, out _, out var error));

        Assert.Contains("at most 4096", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(TcpdumpCommand.MaxSnapLength + 1)]
    public void TryCreate_SnapLengthOutOfRange_IsRefused(int snap)
    {
        Assert.False(TcpdumpCommand.TryCreate("eth0", null, snap, null, out _, out var error));

        Assert.Contains("is outside 1..262144", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sudo -n; id")]
    [InlineData("sudo $(id)")]
    [InlineData("sudo 'x'")]
    public void TryCreate_PrefixWithShellSyntax_IsRefused(string prefix)
    {
        Assert.False(TcpdumpCommand.TryCreate("eth0", null, 256, prefix, out _, out var error));

        Assert.StartsWith("privilege prefix", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadPart_ThrowsCaptureSourceExceptionWithTheOneLineError()
    {
        var ex = Assert.Throws<CaptureSourceException>(() => TcpdumpCommand.Create("eth0;id", null));

        Assert.StartsWith("interface 'eth0;id'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'; touch /tmp/ectest-pwned; '")]
    [InlineData("$(touch /tmp/ectest-pwned)")]
    [InlineData("`touch /tmp/ectest-pwned`")]
    [InlineData("-w /etc/x")]
    [InlineData("tcp port 80 and host 10.0.0.1")]
    public async Task CommandText_InARealShell_HandsTheFilterToTcpdumpAsOneArgumentAfterDoubleDash(string filter)
    {
        var args = Path.Combine(_dir, "args");
        FakeTcpdump($"trap '' TERM; for a in \"$@\"; do printf '%s\\0' \"$a\"; done > {args}; exit 3");
        var command = TcpdumpCommand.Create("eth0", filter, 128);

        var (exit, _, stderr) = await ShellRun.RunAsync(command.CommandText, _dir, keepStdinOpen: true);

        Assert.True(exit == 3, $"exit {exit}: {stderr}"); // tcpdump's status is the command's
        var received = (await File.ReadAllTextAsync(args)).TrimEnd('\0').Split('\0');
        Assert.Equal(["-U", "--immediate-mode", "-n", "-s", "128", "-w", "-", "-i", "eth0", "--", filter], received);
        Assert.False(File.Exists("/tmp/ectest-pwned"));
    }

    [Fact]
    public async Task CommandText_StdinReachesEof_KillsTcpdumpAndKeepsItsStderr()
    {
        var ready = Path.Combine(_dir, "tcpdump-ready");
        FakeTcpdump($"trap 'echo tcpdump-got-term >&2; exit 0' TERM; touch {ready}; while :; do sleep 0.05; done");
        var command = TcpdumpCommand.Create("eth0", null);

        var (exit, _, stderr) = await ShellRun.RunAsync(command.CommandText, _dir, stdin: "\n", closeStdinOnceExists: ready);

        Assert.Equal(0, exit);
        Assert.Contains("tcpdump-got-term", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandText_TcpdumpFailsWhileStdinStaysOpen_EndsWithItsStatusAndStderr()
    {
        FakeTcpdump("echo 'tcpdump: eth9: No such device exists' >&2; exit 1");
        var command = TcpdumpCommand.Create("eth9", null);

        var (exit, _, stderr) = await ShellRun.RunAsync(command.CommandText, _dir, keepStdinOpen: true);

        Assert.Equal(1, exit);
        Assert.Equal("tcpdump: eth9: No such device exists\n", stderr);
    }

    [Fact]
    public async Task CommandText_WithStatsInterval_AsksTcpdumpForStatisticsWithUsr1()
    {
        FakeTcpdump("trap 'echo stats >&2' USR1; trap 'exit 0' TERM; while :; do sleep 0.05; done");
        var command = TcpdumpCommand.Create("eth0", null);
        Assert.True(TcpdumpCommand.TryCreate("eth0", null, 256, null, out var fast, out _, statsIntervalSeconds: 1));

        var (exit, _, stderr) = await ShellRun.RunAsync(fast.CommandText.Replace("cat <&3", "sleep 2.5; cat <&3", StringComparison.Ordinal), _dir, stdin: "\n");

        Assert.Equal(0, exit);
        Assert.Contains("stats", stderr, StringComparison.Ordinal);
        Assert.Contains("while sleep 2 && kill -USR1 $p", command.Script, StringComparison.Ordinal);
    }

    [Fact]
    public void Display_ControlCharacters_AreWrittenAsEscapes()
    {
        Assert.Equal(@"a\nb\tc\0\x07", TcpdumpCommand.Display("a\nb\tc\0\a"));
        Assert.Equal("plain", TcpdumpCommand.Display("plain"));
    }

    /// <summary>A script named tcpdump, first on PATH for the shell runs of these tests.</summary>
    private void FakeTcpdump(string body)
    {
        var path = Path.Combine(_dir, "tcpdump");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
