using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EbpfConsole.Lab;

/// <summary>
/// The settings the API server daemon reads (<see cref="LabPaths.ApiServerConfigPath"/>): the scenario it seeds
/// from, the addresses it listens on, the Kubernetes version it reports. The file also records which scenario
/// the running lab was built with, and how many nodes it has (<see cref="Nodes"/>, `lab up --nodes`).
/// </summary>
public sealed record LabApiServerConfig(string Scenario, IReadOnlyList<string> Listen, string KubernetesVersion)
{
    /// <summary>The lab's node count (node-1 … node-N get Node objects); files without it mean <see cref="LabTopology.DefaultNodes"/>.</summary>
    public int Nodes { get; init; } = LabTopology.DefaultNodes;

    /// <summary>The listen addresses of the lab: loopback and the lab's own link, port 6443.</summary>
    public static IReadOnlyList<string> DefaultListen { get; } =
        [.. LabTopology.ApiServerAddresses.Select(a => $"{a}:{LabTopology.ApiServerPort.ToString(CultureInfo.InvariantCulture)}")];

    public string ToJson() => new JsonObject
    {
        ["scenario"] = Scenario,
        ["listen"] = new JsonArray([.. Listen.Select(l => JsonValue.Create(l))]),
        ["kubernetesVersion"] = KubernetesVersion,
        ["nodes"] = Nodes,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The config at <paramref name="path"/>, or null when it is missing, unreadable or not such a file.</summary>
    public static LabApiServerConfig? Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o
                && o["scenario"]?.GetValue<string>() is { Length: > 0 } scenario
                ? new LabApiServerConfig(
                    scenario,
                    o["listen"] is JsonArray listen ? [.. listen.Select(l => l?.GetValue<string>() ?? string.Empty)] : DefaultListen,
                    o["kubernetesVersion"]?.GetValue<string>() ?? string.Empty)
                {
                    Nodes = o["nodes"] is JsonValue n && n.TryGetValue<int>(out var count) && LabTopology.NodeCountError(count) is null
                        ? count
                        : LabTopology.DefaultNodes,
                }
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// Starts the emulated API server (<c>ebpf-console-lab-apiserver --state-dir DIR --config FILE</c>) as a lab
/// service in the root namespace: detached (<c>setsid</c>, stdin /dev/null, output appended to
/// <see cref="LabPaths.ApiServerLogPath"/>), then waits until it is ready: its pid file names a live process that
/// is the daemon, the kubeconfig exists and 127.0.0.1:6443 accepts a connection.
/// </summary>
public sealed partial class LabApiServerLauncher(LabPaths paths, LabShell shell, ProcFs? proc = null)
{
    public const string ExecutableName = "ebpf-console-lab-apiserver";

    /// <summary>The host that runs the daemon's .dll when no apphost was deployed beside it.</summary>
    public const string DotnetHost = "dotnet";

    public static TimeSpan DefaultReadyTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <summary>What the kubeconfig's server is.</summary>
    public static string Url { get; } = $"https://127.0.0.1:{LabTopology.ApiServerPort.ToString(CultureInfo.InvariantCulture)}";

    private readonly ProcFs _proc = proc ?? ProcFs.Default;

    /// <summary>Where the daemon's binary is looked for: beside the running program (the Cli's and the tests' output both have it).</summary>
    internal string BaseDirectory { get; init; } = AppContext.BaseDirectory;

    internal TimeSpan ReadyTimeout { get; init; } = DefaultReadyTimeout;

    /// <summary>True when 127.0.0.1:6443 accepts a TCP connection; replaceable for unit tests.</summary>
    internal Func<CancellationToken, Task<bool>> PortAnswers { get; init; } = ConnectsAsync;

    internal Func<string, string?> Locate { get; init; } = LabEnvironment.Locate;

    public LabDaemon Daemon => LabDaemon.ApiServer(paths);

    /// <summary>The program and leading arguments that run the daemon: its apphost, else <c>dotnet DLL</c>.</summary>
    public IReadOnlyList<string> HostCommand()
    {
        var apphost = Path.Combine(BaseDirectory, ExecutableName);
        if (File.Exists(apphost))
        {
            return [apphost];
        }

        var dll = apphost + ".dll";
        if (File.Exists(dll) && Locate(DotnetHost) is { } dotnet)
        {
            return [dotnet, dll];
        }

        throw new LabException($"the lab's API server ({ExecutableName}) is not installed in {BaseDirectory}: reinstall with ./install.sh");
    }

    /// <summary>`sh -c` that appends the daemon's output to its log and leaves it running in a session of its own.</summary>
    public LabCommand StartCommand() => new(
        "sh",
        [
            "-c", "log=$1; shift; exec setsid -f \"$@\" </dev/null >>\"$log\" 2>&1", "apiserver-launch", paths.ApiServerLogPath,
            .. HostCommand(), "--state-dir", paths.StateDir, "--config", paths.ApiServerConfigPath,
        ]);

    /// <summary>Refuses when something other than this lab's API server listens on port 6443 (loopback or any address).</summary>
    public async Task EnsurePortFreeAsync(CancellationToken ct)
    {
        var ours = _proc.LiveDaemonPid(Daemon);
        var result = await shell.ProbeAsync(ListenersCommand(withProcesses: true), ct).ConfigureAwait(false);
        var taken = ParseListeners(result.StdOut)
            .Where(l => l.Host is not (LabTopology.HostIp or "[::1]"))
            .Where(l => ours is null || !l.Pids.Contains(ours.Value))
            .ToList();
        if (taken.Count > 0)
        {
            var port = LabTopology.ApiServerPort.ToString(CultureInfo.InvariantCulture);
            throw new LabException(
                $"port {port} on 127.0.0.1 is taken by another program ({string.Join(", ", taken.Select(t => t.Local))}; see 'ss -ltnp sport = :{port}'): stop it, then run 'ebpf-console lab up' again");
        }
    }

    /// <summary>Writes the config, starts the daemon and waits until it is ready.</summary>
    public async Task StartAsync(LabApiServerConfig config, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        var start = StartCommand();
        Directory.CreateDirectory(paths.ApiDir);
        var temp = paths.ApiServerConfigPath + ".tmp";
        await File.WriteAllTextAsync(temp, config.ToJson() + "\n", ct).ConfigureAwait(false);
        File.Move(temp, paths.ApiServerConfigPath, overwrite: true);
        File.Delete(paths.ApiServerPidPath);
        var logStart = File.Exists(paths.ApiServerLogPath) ? new FileInfo(paths.ApiServerLogPath).Length : 0;
        await shell.RunAsync(start, ct).ConfigureAwait(false);
        await WaitReadyAsync(logStart, ct).ConfigureAwait(false);
    }

    /// <summary>The daemon runs (pid file → this daemon), its kubeconfig exists and the port answers.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken ct) =>
        _proc.LiveDaemonPid(Daemon) is not null && File.Exists(paths.KubeconfigPath) && await PortAnswers(ct).ConfigureAwait(false);

    /// <summary>The daemon runs and something listens on 127.0.0.1:6443 (the health probe; no TLS handshake).</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct)
    {
        if (_proc.LiveDaemonPid(Daemon) is null)
        {
            return false;
        }

        var result = await shell.ProbeAsync(ListenersCommand(withProcesses: false), ct).ConfigureAwait(false);
        return result.Succeeded && ParseListeners(result.StdOut).Any(l => l.Host is "127.0.0.1" or "0.0.0.0" or "*" or "[::]");
    }

    /// <summary>`ss -Hltn[p] sport = :6443` in the root namespace.</summary>
    public static LabCommand ListenersCommand(bool withProcesses) =>
        new("ss", [withProcesses ? "-Hltnp" : "-Hltn", "sport", "=", ":" + LabTopology.ApiServerPort.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>Listening sockets from `ss -Hltn[p]`: local address, its host part, and the PIDs `-p` showed (none without it).</summary>
    public static IReadOnlyList<(string Local, string Host, IReadOnlyList<int> Pids)> ParseListeners(string output) =>
        (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 5 && f[0] == "LISTEN")
            .Select(f => (f[3], f[3][..Math.Max(0, f[3].LastIndexOf(':'))], (IReadOnlyList<int>)[.. PidPattern().Matches(string.Join(' ', f.Skip(5)))
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))]))
            .ToList();

    /// <summary>Polls until ready; a daemon that logged its stop since <paramref name="logStart"/> fails at once with the error it logged.</summary>
    private async Task WaitReadyAsync(long logStart, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadyTimeout);
        try
        {
            while (!await IsReadyAsync(timeout.Token).ConfigureAwait(false))
            {
                if (StoppedWith(ReadLogSince(logStart)) is { } error)
                {
                    throw new LabException($"the lab's API server stopped: {error} (log: {paths.ApiServerLogPath})");
                }

                await Task.Delay(100, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new LabException(
                $"the lab's API server did not become ready within {ReadyTimeout.TotalSeconds:0.###} s; see {paths.ApiServerLogPath}{LastLogLine()}", ex);
        }
    }

    /// <summary>
    /// When the daemon's log (from this start on) says it stopped: its first ERROR message, without the
    /// "failed unexpectedly" preamble, or "it exited" when it logged none. Null while it has not stopped.
    /// </summary>
    internal static string? StoppedWith(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!lines.Any(l => l.EndsWith(": stopped", StringComparison.Ordinal)))
        {
            return null;
        }

        var error = lines.FirstOrDefault(l => l.Contains(" ERROR ", StringComparison.Ordinal));
        if (error is null)
        {
            return "it exited without logging an error";
        }

        var message = error[(error.IndexOf(": ", error.IndexOf(" ERROR ", StringComparison.Ordinal), StringComparison.Ordinal) + 2)..];
        foreach (var preamble in (string[])["the lab API server failed unexpectedly: ", "the lab API server failed: "])
        {
            if (message.StartsWith(preamble, StringComparison.Ordinal))
            {
                return message[preamble.Length..];
            }
        }

        return message;
    }

    private string ReadLogSince(long offset)
    {
        try
        {
            using var stream = new FileStream(paths.ApiServerLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length <= offset)
            {
                return string.Empty;
            }

            stream.Seek(offset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private string LastLogLine()
    {
        try
        {
            var last = File.ReadLines(paths.ApiServerLogPath).LastOrDefault(l => !string.IsNullOrWhiteSpace(l));
            return last is null ? string.Empty : $" (last line: {last.Trim()})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>True when 127.0.0.1:6443 accepts a TCP connection within a second.</summary>
    public static async Task<bool> ConnectsAsync(CancellationToken ct)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, LabTopology.ApiServerPort, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex PidPattern();
}
