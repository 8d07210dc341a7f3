using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1 at a free port, started as our child with its own config in a temp dir,
/// key-only root login via an authorized_keys file in that dir. Disposing kills exactly that process (and its
/// per-connection children).
/// </summary>
internal sealed class SshdServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private SshdServer(Process process, IPAddress address, int port, string configPath)
    {
        _process = process;
        Address = address;
        Port = port;
        ConfigPath = configPath;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public string ConfigPath { get; }

    /// <summary>The last lines sshd wrote to stderr (-e), for failure messages.</summary>
    public string LogTail => string.Join('\n', _log.TakeLast(30));

    /// <param name="extraConfig">More sshd_config lines (e.g. HostCertificate).</param>
    /// <param name="listenAddress">A loopback address (127.0.0.x); default 127.0.0.1.</param>
    public static async Task<SshdServer> StartAsync(
        string sshd, string dir, string name, IReadOnlyList<string> hostKeys, string authorizedKeys, IReadOnlyList<string>? extraConfig = null,
        string listenAddress = "127.0.0.1")
    {
        Directory.CreateDirectory("/run/sshd"); // privilege separation dir; shared with any system sshd, never deleted
        var address = IPAddress.Parse(listenAddress);
        Assert.True(IPAddress.IsLoopback(address), $"test sshd must listen on loopback, not {listenAddress}");
        var port = FreePort(address);
        var config = Path.Combine(dir, $"{name}_config");
        var lines = new List<string>
        {
            $"ListenAddress {listenAddress}",
            string.Create(CultureInfo.InvariantCulture, $"Port {port}"),
            $"PidFile {Path.Combine(dir, name + ".pid")}",
            $"AuthorizedKeysFile {authorizedKeys}",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "StrictModes no",
            "LogLevel VERBOSE",
        };
        lines.AddRange(hostKeys.Select(k => $"HostKey {k}"));
        lines.AddRange(extraConfig ?? []);
        await File.WriteAllLinesAsync(config, lines);

        var info = new ProcessStartInfo(sshd)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-D", "-e", "-f", config })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start sshd");
        var server = new SshdServer(process, address, port, config);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await server.WaitUntilListeningAsync();
        return server;
    }

    public static int FreePort() => FreePort(IPAddress.Loopback);

    public static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 200 && _log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"sshd exited with {_process.ExitCode} before listening on {Address}:{Port}:\n{LogTail}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Address, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail($"sshd did not listen on {Address}:{Port} within 15s:\n{LogTail}");
    }
}
